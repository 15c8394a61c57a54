/**
 * The identity token the gateway signs for one subgraph. Shared by the gateway (which signs) and
 * the kit (which verifies), so both sides agree on every name below.
 */
export const IDENTITY_HEADER = 'x-identity-token';

/** Header carrying a token the gateway minted for `target`, for a subgraph that calls it onward. */
export const onwardIdentityHeader = (target: string): string => `x-identity-token-for-${target}`;

/** Own media type, so a client token can never pass as an identity token or the reverse. */
export const IDENTITY_TOKEN_TYPE = 'identity+jwt';

export const DEFAULT_IDENTITY_ISSUER = 'federation-gateway';

export const IDENTITY_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** Identity tokens live at most this long; the gateway re-signs before they run out. */
export const IDENTITY_TOKEN_TTL_SECONDS = 60;

/** Who is asking, as the gateway established it. `sub` is null for an anonymous caller. */
export interface Viewer {
  readonly sub: string | null;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
}

export const ANONYMOUS: Viewer = Object.freeze({ sub: null, email: null, roles: [], scopes: [] });

export interface IdentityClaims {
  sub?: string;
  email?: string;
  roles: string[];
  scope?: string;
}

export function claimsOf(viewer: Viewer): IdentityClaims {
  return {
    ...(viewer.sub === null ? {} : { sub: viewer.sub }),
    ...(viewer.email === null ? {} : { email: viewer.email }),
    roles: [...viewer.roles],
    ...(viewer.scopes.length > 0 ? { scope: viewer.scopes.join(' ') } : {}),
  };
}
