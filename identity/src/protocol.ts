/**
 * The names of the identity protocol: the token the gateway signs for one subgraph, and the onward
 * tokens it signs for the subgraphs that one may call. The gateway signs (signer.ts) and each
 * subgraph verifies (verifier.ts) against these, so both ends agree on every name.
 */
export const IDENTITY_HEADER = 'x-identity-token';

/** Header carrying a token the gateway minted for `target`, for a subgraph that calls it onward. */
const ONWARD_HEADER_PREFIX = `${IDENTITY_HEADER}-for-`;

export const onwardIdentityHeader = (target: string): string => `${ONWARD_HEADER_PREFIX}${target}`;

/** The target an onward header is for, or undefined for any other header (names in lower case). */
export function onwardTargetOf(headerName: string): string | undefined {
  return headerName.startsWith(ONWARD_HEADER_PREFIX) ? headerName.slice(ONWARD_HEADER_PREFIX.length) : undefined;
}

/** Own media type, so a client token can never pass as an identity token or the reverse. */
export const IDENTITY_TOKEN_TYPE = 'identity+jwt';

export const DEFAULT_IDENTITY_ISSUER = 'federation-gateway';

export const IDENTITY_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** Identity tokens live at most this long; the gateway re-signs before they run out. */
export const IDENTITY_TOKEN_TTL_SECONDS = 60;

/**
 * The longest `exp - iat` a subgraph accepts by default (`IDENTITY_MAX_LIFETIME`): room for the
 * gateway's own lifetime to grow, none for a token minted to last.
 */
export const IDENTITY_MAX_LIFETIME_SECONDS = 300;

/**
 * Claim of an onward token (one sent in `onwardIdentityHeader(target)`) naming the `jti` of the
 * identity token it travels with. The subgraph that forwards it accepts it only beside that token,
 * for the same `sub`, so a token for one user cannot ride along with another user's.
 */
export const COMPANION_CLAIM = 'companion_jti';

/** Who is asking, as the gateway established it. `sub` is null for an anonymous caller. */
export interface Viewer {
  readonly sub: string | null;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
}

export const ANONYMOUS: Viewer = Object.freeze({ sub: null, email: null, roles: [], scopes: [] });
