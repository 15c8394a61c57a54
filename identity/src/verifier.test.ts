/**
 * The shape of an identity token, as the gateway mints it: one audience, a short life, issued now,
 * under an id; and onward tokens bound to the token they travel with.
 */
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdentityVerifier, IdentityRejected, type IdentityVerifier } from './verifier.ts';
import { DEFAULT_IDENTITY_ISSUER } from './protocol.ts';
import { createTestSigningKey, mintIdentity, viewer, type MintOptions, type TestSigningKey } from './testing.ts';

const paula = viewer('paula', 'payment_processor');
const ada = viewer('ada', 'admin');

let key: TestSigningKey;
let verify: IdentityVerifier;
beforeAll(async () => {
  key = await createTestSigningKey();
  verify = createIdentityVerifier({
    audience: 'payments',
    issuer: DEFAULT_IDENTITY_ISSUER,
    keys: { publicKey: key.publicKeyPem },
    maxLifetimeSeconds: 300,
  });
});

const mint = (options: Partial<MintOptions> = {}, who = paula) => mintIdentity(who, { audience: 'payments', key, ...options });

async function rejection(token: string, onward?: Map<string, string>): Promise<string> {
  const error = await verify(token, onward).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(IdentityRejected);
  return (error as IdentityRejected).reason;
}

describe('an identity token', () => {
  it('is accepted as the gateway mints it, and at the longest lifetime allowed', async () => {
    expect((await verify(await mint())).sub).toBe('paula');
    expect((await verify(await mint({ expiresIn: 300 }))).sub).toBe('paula');
  });

  it('is refused with several audiences, even when this subgraph is one of them', async () => {
    expect(await rejection(await mint({ audience: ['payments', 'orders'] }))).toBe('more than one audience');
    expect(await rejection(await mint({ audience: ['payments'] }))).toBe('more than one audience');
  });

  it('is refused when it lives longer than the maximum (a 10-year exp, or one second over)', async () => {
    expect(await rejection(await mint({ expiresIn: 10 * 365 * 86_400 }))).toBe('lifetime too long');
    expect(await rejection(await mint({ expiresIn: 301 }))).toBe('lifetime too long');
  });

  it('is refused when issued in the future, even with a short life', async () => {
    expect(await rejection(await mint({ issuedAtOffset: 60, expiresIn: 120 }))).toBe('issued in the future');
  });

  it('is refused without a token id', async () => {
    expect(await rejection(await mint({ tokenId: null }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await rejection(await mint({ tokenId: '' }))).toBe('no token id');
  });
});

describe('an onward token beside it', () => {
  const ownId = 'payments-token-1';
  const forOrders = (options: Partial<MintOptions> = {}, who = paula) =>
    mintIdentity(who, { audience: 'orders', key, companionOf: ownId, ...options });
  const onward = async (token: string) => new Map([['orders', token]]);

  it('is accepted when minted for its target, for the same user, naming this token', async () => {
    const own = await mint({ tokenId: ownId });
    expect(await verify(own, await onward(await forOrders()))).toEqual(paula);
  });

  it("is refused when it is another user's (paula's token, ada's onward token)", async () => {
    const own = await mint({ tokenId: ownId });
    expect(await rejection(own, await onward(await forOrders({}, ada)))).toBe("onward token for orders is another user's");
  });

  it('is refused when it names another token, or none', async () => {
    const own = await mint({ tokenId: ownId });
    expect(await rejection(own, await onward(await forOrders({ companionOf: 'payments-token-2' })))).toBe(
      'onward token for orders belongs to another token',
    );
    const unbound = await mintIdentity(paula, { audience: 'orders', key });
    expect(await rejection(own, await onward(unbound))).toBe('onward token for orders belongs to another token');
  });

  it('is refused when not minted for the target it is sent for, or not valid at all', async () => {
    const own = await mint({ tokenId: ownId });
    const forInventory = await forOrders({ audience: 'inventory' });
    expect(await rejection(own, await onward(forInventory))).toBe('onward token for orders: ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await rejection(own, await onward('garbage'))).toBe('onward token for orders: ERR_JWS_INVALID');
    expect(await rejection(own, await onward(await forOrders({ expiresIn: 3600 })))).toBe(
      'onward token for orders: lifetime too long',
    );
  });

  it('is refused even when the token it names was itself verified first (no cache shortcut)', async () => {
    const own = await mint({ tokenId: ownId });
    const adas = await forOrders({}, ada);
    expect(decodeJwt(adas).companion_jti).toBe(ownId);
    await verify(own);
    expect(await rejection(own, await onward(adas))).toBe("onward token for orders is another user's");
  });
});
