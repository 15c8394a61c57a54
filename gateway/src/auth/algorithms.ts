/**
 * The JWS algorithms a client token may name (jose's, less `none` and the post-quantum ones no
 * identity provider issues yet), and which of them fit which kind of key.
 */

/** Verified with a public key (a JWKS, a PEM): every JWS family but HMAC. */
export const PUBLIC_KEY_ALGORITHMS: readonly string[] = [
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
];

/** HMAC, the public-key families, and `Ed25519`, jose's newer name for EdDSA over that curve. */
export const CLIENT_TOKEN_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512', ...PUBLIC_KEY_ALGORITHMS, 'Ed25519'];

/** An HMAC key shorter than its hash can be guessed offline from one token (RFC 7518, section 3.2). */
export const MIN_SECRET_BYTES = 32;

/** The algorithms of `algorithms` that `symmetric` (JWT_SECRET) or public keys can never verify. */
export function algorithmsUnfitFor(symmetric: boolean, algorithms: readonly string[]): string[] {
  return algorithms.filter((alg) => alg === 'none' || alg.startsWith('HS') !== symmetric);
}
