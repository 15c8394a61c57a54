import type { JWTPayload } from 'jose';
import { InvalidToken } from './invalidToken.ts';

export interface TokenAgeLimits {
  /** JWT_MAX_TOKEN_AGE: how old a token may be, and how far away its expiry may lie. */
  maxAgeSeconds: number;
  clockToleranceSeconds: number;
}

/**
 * jose checks `exp` and `nbf` against the clock; this bounds the rest of a token's timeline, so a
 * token minted to live forever (`exp` 1e308) or dated a year ahead is refused like an expired one.
 * `iat` is optional (the contract requires only `exp`), but checked whenever it is present.
 */
export function assertTokenAge(payload: JWTPayload, now: Date, limits: TokenAgeLimits): void {
  const nowSeconds = now.getTime() / 1000;
  const { maxAgeSeconds, clockToleranceSeconds } = limits;
  if (payload.iat !== undefined) {
    if (payload.iat > nowSeconds + clockToleranceSeconds) {
      throw new InvalidToken('issued_in_future', 'The token was issued in the future');
    }
    if (nowSeconds - payload.iat > maxAgeSeconds + clockToleranceSeconds) {
      throw new InvalidToken('too_old', `The token is older than the maximum age of ${maxAgeSeconds} seconds`);
    }
  }
  if (payload.exp! - nowSeconds > maxAgeSeconds + clockToleranceSeconds) {
    throw new InvalidToken('lifetime', `The token expires more than ${maxAgeSeconds} seconds from now`);
  }
}
