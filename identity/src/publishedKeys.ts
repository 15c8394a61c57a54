import type { JWK } from 'jose';

/**
 * The public members of the key types identity tokens are signed with (IDENTITY_ALGORITHMS):
 * Ed25519 (`OKP`) and P-256 (`EC`). Nothing outside these lists is ever published.
 */
const PUBLIC_MEMBERS = {
  Ed25519: { kty: 'OKP', alg: 'EdDSA', members: ['x'] },
  'P-256': { kty: 'EC', alg: 'ES256', members: ['x', 'y'] },
} as const;

/** The algorithm identity tokens are signed with by a key on curve `crv`; undefined for any other key. */
export function identityAlgorithmOf(crv: string | undefined): 'EdDSA' | 'ES256' | undefined {
  return PUBLIC_MEMBERS[crv as keyof typeof PUBLIC_MEMBERS]?.alg;
}

/** Members that only a private or symmetric key has: their presence means a secret was pasted. */
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * IDENTITY_PUBLISHED_KEYS holds public keys only, of the allowed types. Returns the problem, naming
 * the key by position and `kid`, or nothing when the key may be published.
 */
export function publishedKeyProblem(key: JWK, index: number): string | undefined {
  const name = `key ${index}${key.kid ? ` (kid ${key.kid})` : ''}`;
  const secrets = SECRET_MEMBERS.filter((member) => member in key);
  if (secrets.length > 0) return `${name} holds private material (${secrets.join(', ')}): publish public keys only`;
  const shape = PUBLIC_MEMBERS[key.crv as keyof typeof PUBLIC_MEMBERS];
  if (!shape || key.kty !== shape.kty) {
    return `${name} is ${key.kty}${key.crv ? `/${key.crv}` : ''}: identity keys are Ed25519 (OKP) or P-256 (EC)`;
  }
  if (key.alg !== undefined && key.alg !== shape.alg) return `${name} says alg ${key.alg}; a ${key.crv} key signs ${shape.alg}`;
  const missing = shape.members.filter((member) => typeof key[member] !== 'string');
  if (missing.length > 0) return `${name} lacks ${missing.join(', ')}`;
  return undefined;
}

/** The key as published: its type's public members and nothing else, whatever else it carried. */
export function publicMembersOf(key: JWK): JWK {
  const shape = PUBLIC_MEMBERS[key.crv as keyof typeof PUBLIC_MEMBERS];
  const members = Object.fromEntries(shape.members.map((member) => [member, key[member]]));
  return { kty: shape.kty, crv: key.crv, ...members, alg: shape.alg };
}
