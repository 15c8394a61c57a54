/**
 * The JWS algorithms a client token may name (jose's, less `none` and the post-quantum ones no
 * identity provider issues yet), and which of them fit which kind of key.
 */
export const CLIENT_TOKEN_ALGORITHMS: readonly string[] = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** An HMAC key shorter than its hash can be guessed offline from one token (RFC 7518, section 3.2). */
export const MIN_SECRET_BYTES = 32;

/** The algorithms of `algorithms` that `symmetric` (JWT_SECRET) or public keys can never verify. */
export function algorithmsUnfitFor(symmetric: boolean, algorithms: readonly string[]): string[] {
  return algorithms.filter((alg) => alg === 'none' || alg.startsWith('HS') !== symmetric);
}
