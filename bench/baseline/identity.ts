/**
 * Identities as the secure gateway says them, minus the signature (`alg: none`), and the subgraph
 * side that only decodes them: what the baseline uses instead of signing and verifying. Never use
 * any of this outside bench/: it trusts whatever a caller sends.
 */
import { decodeJwt, UnsecuredJWT } from 'jose';
import {
  claimsOf,
  IDENTITY_TOKEN_TTL_SECONDS,
  IdentityRejected,
  viewerFromIdentityClaims,
  type IdentityVerifier,
  type Viewer,
} from '#identity';

export function encodeIdentity(viewer: Viewer, audience: string): string {
  return new UnsecuredJWT({ ...claimsOf(viewer) })
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${IDENTITY_TOKEN_TTL_SECONDS}s`)
    .encode();
}

/** The identity is decoded, never checked. */
export const decodeIdentity: IdentityVerifier = async (token) => {
  if (!token) throw new IdentityRejected('missing');
  try {
    return viewerFromIdentityClaims(decodeJwt(token));
  } catch {
    throw new IdentityRejected('malformed');
  }
};
