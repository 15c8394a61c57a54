import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, COMPANION_CLAIM, IDENTITY_TOKEN_TYPE } from './protocol.ts';
import { viewer } from './testing.ts';
import { createIdentitySigner } from './signer.ts';

const ISSUER = 'federation-gateway';

describe('createIdentitySigner', () => {
  it('signs a short-lived token for one subgraph that its JWKS verifies', async () => {
    const signer = await createIdentitySigner({ issuer: ISSUER });
    const token = await signer.sign(viewer('wendy', 'warehouse_staff'), 'inventory');
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(signer.jwks), {
      issuer: ISSUER,
      audience: 'inventory',
      typ: IDENTITY_TOKEN_TYPE,
    });
    expect(payload).toMatchObject({ sub: 'wendy', roles: ['warehouse_staff'], email: 'wendy@example.com' });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
    expect(protectedHeader.kid).toBe(signer.jwks.keys[0]!.kid);
  });

  it('leaves sub out for an anonymous caller', async () => {
    const signer = await createIdentitySigner({ issuer: ISSUER });
    const { payload } = await jwtVerify(await signer.sign(ANONYMOUS, 'orders'), createLocalJWKSet(signer.jwks));
    expect(payload.sub).toBeUndefined();
    expect(payload.roles).toEqual([]);
  });

  it('reuses a token per user and subgraph until shortly before it expires', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const signer = await createIdentitySigner({ issuer: ISSUER, now: () => now });
    const alice = viewer('alice');
    const first = await signer.sign(alice, 'orders');
    expect(await signer.sign(alice, 'orders')).toBe(first);
    expect(await signer.sign(alice, 'payments')).not.toBe(first);
    expect(await signer.sign(viewer('bob'), 'orders')).not.toBe(first);
    expect(await signer.sign(viewer('alice', 'admin'), 'orders')).not.toBe(first);
    now = new Date(now.getTime() + 44_000);
    expect(await signer.sign(alice, 'orders')).toBe(first);
    now = new Date(now.getTime() + 2_000);
    expect(await signer.sign(alice, 'orders')).not.toBe(first);
  });

  it('forgets the cached tokens of a revoked user, and only theirs', async () => {
    const signer = await createIdentitySigner({ issuer: ISSUER });
    const [alice, bob] = [viewer('alice'), viewer('bob')];
    const [aliceFirst, bobFirst] = [await signer.sign(alice, 'orders'), await signer.sign(bob, 'orders')];
    signer.forget('alice');
    expect(await signer.sign(alice, 'orders')).not.toBe(aliceFirst);
    expect(await signer.sign(bob, 'orders')).toBe(bobFirst);
  });

  it('gives every token its own jti, and binds an onward token to its companion', async () => {
    const signer = await createIdentitySigner({ issuer: ISSUER });
    const paula = viewer('paula', 'payment_processor');
    const forPayments = await signer.sign(paula, 'payments');
    const forOrders = await signer.signOnward(paula, 'orders', forPayments);
    const { payload: own } = await jwtVerify(forPayments, createLocalJWKSet(signer.jwks), { audience: 'payments' });
    const { payload: onward } = await jwtVerify(forOrders, createLocalJWKSet(signer.jwks), { audience: 'orders' });
    expect(own.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(onward.jti).not.toBe(own.jti);
    expect(onward).toMatchObject({ sub: 'paula', [COMPANION_CLAIM]: own.jti });
    expect(decodeJwt(await signer.sign(paula, 'orders')).jti).not.toBe(onward.jti);
  });

  it('caches an onward token per companion, never handing one bound to another token', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const signer = await createIdentitySigner({ issuer: ISSUER, now: () => now });
    const paula = viewer('paula', 'payment_processor');
    const first = await signer.sign(paula, 'payments');
    const onward = await signer.signOnward(paula, 'orders', first);
    expect(await signer.signOnward(paula, 'orders', first)).toBe(onward);
    now = new Date(now.getTime() + 46_000);
    const second = await signer.sign(paula, 'payments');
    expect(second).not.toBe(first);
    expect(decodeJwt(await signer.signOnward(paula, 'orders', second))[COMPANION_CLAIM]).toBe(decodeJwt(second).jti);
  });

  it('signs with a configured P-256 key given as PEM', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signer = await createIdentitySigner({ issuer: ISSUER, signingKey: pem });
    const token = await signer.sign(viewer('ada', 'admin'), 'orders');
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
    expect(signer.jwks.keys[0]).not.toHaveProperty('d');
    await expect(jwtVerify(token, createLocalJWKSet(signer.jwks))).resolves.toBeTruthy();
  });

  it('publishes the next key beside the signing one, for rotation', async () => {
    const next = await createIdentitySigner({ issuer: ISSUER });
    const current = await createIdentitySigner({ issuer: ISSUER, publishedKeys: next.jwks.keys });
    expect(current.jwks.keys.map((key) => key.kid)).toEqual([current.jwks.keys[0]!.kid, next.jwks.keys[0]!.kid]);
    const tokenFromNext = await next.sign(viewer('ada'), 'orders');
    await expect(jwtVerify(tokenFromNext, createLocalJWKSet(current.jwks))).resolves.toBeTruthy();
  });

  it('refuses an RSA signing key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(createIdentitySigner({ issuer: ISSUER, signingKey: pem })).rejects.toThrow('Ed25519 or P-256');
  });

  it('never hands out a cached token that expires before a request under the deadline could end', async () => {
    const start = new Date('2026-01-01T00:00:00Z').getTime();
    let now = new Date(start);
    const requestDeadlineSeconds = 30;
    const signer = await createIdentitySigner({ issuer: ISSUER, now: () => now, refreshMarginSeconds: requestDeadlineSeconds });
    for (let second = 0; second <= 120; second += 1) {
      now = new Date(start + second * 1000);
      const { payload } = await jwtVerify(await signer.sign(viewer('alice'), 'orders'), createLocalJWKSet(signer.jwks), {
        currentDate: now,
      });
      expect(payload.exp! - now.getTime() / 1000, `at ${second} s`).toBeGreaterThanOrEqual(requestDeadlineSeconds);
    }
  });

  it('refuses a refresh margin the token lifetime cannot cover', async () => {
    await expect(createIdentitySigner({ issuer: ISSUER, ttlSeconds: 60, refreshMarginSeconds: 60 })).rejects.toThrow(
      /refresh margin/,
    );
  });
});
