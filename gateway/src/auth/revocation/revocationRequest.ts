import type { Revocation } from './revocationList.ts';

/** What an operator asks for: a token by `jti` (its `exp` when known), or a subject by `sub`. */
export interface RevocationRequest {
  jti?: unknown;
  sub?: unknown;
  exp?: unknown;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 1024;

/**
 * The revocation to store, or what is wrong with the request. An entry is kept only as long as a
 * token it covers can still verify: until the token's `exp`, and never past `maxLifetimeSeconds`
 * from now (JWT_MAX_TOKEN_AGE and the clock tolerance: no token older than that gets in anyway).
 */
export function revocationFor(request: RevocationRequest, nowSeconds: number, maxLifetimeSeconds: number): Revocation | string {
  const latest = nowSeconds + maxLifetimeSeconds;
  if (request.jti !== undefined) {
    if (!isText(request.jti)) return 'jti must be a non-empty string';
    if (request.sub !== undefined && !isText(request.sub)) return 'sub must be a non-empty string';
    if (request.exp !== undefined && (typeof request.exp !== 'number' || !Number.isFinite(request.exp))) {
      return 'exp must be a number of seconds since the epoch';
    }
    const until = Math.min(typeof request.exp === 'number' ? request.exp : latest, latest);
    if (until <= nowSeconds) return 'that token has already expired';
    return { kind: 'token', jti: request.jti, until, ...(request.sub === undefined ? {} : { sub: request.sub as string }) };
  }
  if (request.sub !== undefined) {
    if (!isText(request.sub)) return 'sub must be a non-empty string';
    return { kind: 'subject', sub: request.sub, notBefore: nowSeconds, until: latest };
  }
  return 'name a token (jti) or a subject (sub)';
}
