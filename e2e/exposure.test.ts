/**
 * What the edge must never hand out: private key material in the published JWKS, metrics on the
 * client-facing port in production, internal service names in production errors.
 */
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '#kit';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const jwkOf = (key: Parameters<typeof exportJWK>[0]) => exportJWK(key);

describe('IDENTITY_PUBLISHED_KEYS', () => {
  it.each([
    ['an RSA private key', () => jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
    ['an RSA public key', () => jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)],
    ['an oct secret', async () => ({ kty: 'oct', k: Buffer.from('a shared secret of some length').toString('base64url') })],
    ['an Ed25519 private key', async () => jwkOf((await generateKeyPair('EdDSA', { extractable: true })).privateKey)],
    ['a P-384 public key', async () => jwkOf((await generateKeyPair('ES384', { extractable: true })).publicKey)],
  ])('refuses %s at start, naming the key', async (_case, makeKey) => {
    const key = { ...(await makeKey()), kid: 'rotation-next' };
    const starting = stack.startGateway({ IDENTITY_PUBLISHED_KEYS: JSON.stringify([key]) });
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toThrow(/IDENTITY_PUBLISHED_KEYS.*key 0 \(kid rotation-next\)/);
  });

  it('publishes an Ed25519 public key with its public members only', async () => {
    const publicJwk = await jwkOf((await generateKeyPair('EdDSA', { extractable: true })).publicKey);
    const gateway = await stack.startGateway({
      IDENTITY_PUBLISHED_KEYS: JSON.stringify([{ ...publicJwk, kid: 'next', x5u: 'https://attacker.test/chain', ext: true }]),
    });
    const jwks = (await (await fetch(new URL('/.well-known/jwks.json', gateway.url))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys[1]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, alg: 'EdDSA', kid: 'next', use: 'sig' });
  });
});
