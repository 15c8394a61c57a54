/**
 * The identity protocol, both of its ends: the gateway turns a client's claims into a `Viewer` and
 * signs it for each subgraph (and onward targets); a subgraph verifies the token minted for it.
 */
export {
  ANONYMOUS,
  COMPANION_CLAIM,
  DEFAULT_IDENTITY_ISSUER,
  IDENTITY_ALGORITHMS,
  IDENTITY_HEADER,
  IDENTITY_MAX_LIFETIME_SECONDS,
  IDENTITY_TOKEN_TTL_SECONDS,
  IDENTITY_TOKEN_TYPE,
  onwardIdentityHeader,
  onwardTargetOf,
  type Viewer,
} from './protocol.ts';
export {
  claimsOf,
  ClaimsRejected,
  readClaim,
  viewerFromClaims,
  viewerFromIdentityClaims,
  type IdentityClaims,
} from './claims.ts';
export { createIdentitySigner, type IdentitySigner, type SignerOptions } from './signer.ts';
export {
  createIdentityVerifier,
  IdentityRejected,
  onwardTokensIn,
  type IdentityKeySource,
  type IdentityVerifier,
  type IdentityVerifierOptions,
  type OnwardTokens,
} from './verifier.ts';
export { KeyMaterialRejected, readIdentityPublicKey, readIdentitySigningKey } from './keyMaterial.ts';
export { identityAlgorithmOf, publicMembersOf, publishedKeyProblem } from './publishedKeys.ts';
export { TokenCache } from './tokenCache.ts';
