import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../config.ts';
import { createClientTokenVerifier } from './clientToken.ts';
import { InvalidToken } from './invalidToken.ts';

const A = 'https://a.example.test';
const B = 'https://b.example.test';
let keys: Record<'a' | 'b', { privateKey: CryptoKey; pem: string }>;

beforeAll(async () => {
  const pair = async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    return { privateKey, pem: await exportSPKI(publicKey) };
  };
  keys = { a: await pair(), b: await pair() };
});

function verifierFor() {
  const issuers = [
    { issuer: A, publicKey: keys.a.pem, audiences: ['api'], rolesClaim: 'realm_access.roles' },
    { issuer: B, publicKey: keys.b.pem, audiences: ['api', 'other'], rolesClaim: 'roles' },
  ];
  return createClientTokenVerifier(readGatewayConfig({ JWT_ISSUERS: JSON.stringify(issuers) }).clientAuth);
}

const token = (issuer: string, key: CryptoKey, claims: Record<string, unknown>, audience = 'api') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('ada')
    .setExpirationTime('5m')
    .sign(key);

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidToken);
  return (error as InvalidToken).reason;
}

describe('several issuers (JWT_ISSUERS)', () => {
  it("verifies each issuer's tokens with its own key and reads roles at its own claim", async () => {
    const verify = verifierFor();
    const fromA = await verify(await token(A, keys.a.privateKey, { realm_access: { roles: ['admin'] } }));
    const fromB = await verify(await token(B, keys.b.privateKey, { roles: 'warehouse_staff' }, 'other'));
    expect(fromA.viewer.roles).toEqual(['admin']);
    expect(fromB.viewer.roles).toEqual(['warehouse_staff']);
  });

  it("refuses a token claiming one issuer but signed with another issuer's key", async () => {
    expect(await reasonOf(verifierFor()(await token(B, keys.a.privateKey, { roles: ['admin'] })))).toBe('signature');
  });

  it('refuses an issuer it does not list before trying any key', async () => {
    expect(await reasonOf(verifierFor()(await token('https://c.example.test', keys.a.privateKey, {})))).toBe('issuer');
  });

  it('holds each issuer to its own audiences', async () => {
    expect(await reasonOf(verifierFor()(await token(A, keys.a.privateKey, {}, 'other')))).toBe('audience');
  });
});
