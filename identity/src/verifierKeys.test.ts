import { createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityVerifier } from './verifier.ts';
import { createTestSigningKey, mintIdentity, viewer, type TestSigningKey } from './testing.ts';

/** A stand-in for the gateway's JWKS endpoint: serves whichever keys the test says, and counts fetches. */
let jwks: Server;
let served: TestSigningKey[] = [];
let fetches = 0;
beforeAll(async () => {
  jwks = createServer(async (_req, res) => {
    fetches += 1;
    const keys = await Promise.all(
      served.map(async (key) => ({
        ...(await exportJWK(createPublicKey(key.publicKeyPem))),
        kid: key.kid,
        alg: 'EdDSA',
        use: 'sig',
      })),
    );
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function verifier() {
  const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  return createIdentityVerifier({ audience: 'orders', issuer: 'federation-gateway', keys: { jwksUrl: url } });
}

describe('the gateway JWKS, refetched on an unknown kid', () => {
  it("accepts a restarted gateway's new key a second later, not after a 30 s lockout", async () => {
    const before = await createTestSigningKey('before-restart');
    const after = await createTestSigningKey('after-restart');
    served = [before];
    const verify = verifier();
    await verify(await mintIdentity(viewer('alice'), { audience: 'orders', key: before }));

    served = [after];
    await sleep(1_100);
    const accepted = await verify(await mintIdentity(viewer('alice'), { audience: 'orders', key: after }));
    expect(accepted.sub).toBe('alice');
  });

  it('fetches at most about once a second however many unknown kids arrive', async () => {
    const known = await createTestSigningKey('known');
    served = [known];
    const verify = verifier();
    fetches = 0;
    const started = Date.now();
    let attempts = 0;
    while (Date.now() - started < 1_500) {
      const stranger = await createTestSigningKey(`random-${attempts++}`);
      await expect(verify(await mintIdentity(viewer('mallory'), { audience: 'orders', key: stranger }))).rejects.toThrow();
    }
    expect(attempts).toBeGreaterThan(20);
    expect(fetches).toBeLessThanOrEqual(3);
  });
});
