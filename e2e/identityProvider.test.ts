/**
 * A real identity provider in front of the stack: oidc-provider on loopback issues RS256 and ES256
 * JWT access tokens, and a gateway verifies them against its JWKS. Login, roles, audience,
 * algorithms, expiry, key rotation, and the provider's outage, end to end.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_AUDIENCE,
  forgedToken,
  newSigningKey,
  startIdentityProvider,
  type IdentityProvider,
  type SigningKey,
} from './identityProvider.ts';
import { FAST_DRIVER, watchSubgraphs } from './probes.ts';
import { codes, startStack, type GraphQLResponse, type Stack } from './stack.ts';

let stack: Stack;
let idp: IdentityProvider;
let keys: { rsa1: SigningKey; ec1: SigningKey; ec2: SigningKey; stranger: SigningKey };
type Gateway = Awaited<ReturnType<Stack['startGateway']>>;
let gateway: Gateway;

/** Gateway settings for this provider; the roles come from a Keycloak-style nested claim. */
const envFor = (provider: IdentityProvider, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  JWT_JWKS_URL: provider.jwksUrl,
  JWT_ISSUER: provider.issuer,
  JWT_AUDIENCE: API_AUDIENCE,
  JWT_ALGORITHMS: 'RS256,ES256',
  JWT_ROLES_CLAIM: 'realm_access.roles',
  JWT_JWKS_COOLDOWN: '0',
  ...extra,
});

beforeAll(async () => {
  keys = {
    rsa1: await newSigningKey('rsa-1', 'RS256'),
    ec1: await newSigningKey('ec-1', 'ES256'),
    ec2: await newSigningKey('ec-2', 'ES256'),
    stranger: await newSigningKey('stranger', 'ES256'),
  };
  [stack, idp] = await Promise.all([startStack({ driver: FAST_DRIVER }), startIdentityProvider([keys.rsa1, keys.ec1])]);
  gateway = await stack.startGateway(envFor(idp));
});
afterAll(async () => {
  await idp?.stop();
  await stack?.stop();
});

const STOCK = '{ products { sku quantityOnHand } }';

function expectUnauthenticated(response: GraphQLResponse, description: RegExp) {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  expect(response.headers.get('www-authenticate')).toMatch(description);
  expect(codes(response)).toEqual(['UNAUTHENTICATED']);
}

/** A token in the provider's format, signed by a key the provider never published. */
const forged = (key: SigningKey, claims: Record<string, unknown>) => forgedToken(idp.issuer, key, { claims });

describe('logging in at the provider', () => {
  it.each([
    ['rs256', 'RS256', 'rsa-1'],
    ['es256', 'ES256', 'ec-1'],
  ] as const)('issues a %s JWT access token for the API, with the roles claim', async (resource, alg, kid) => {
    const token = await idp.token('wendy', resource);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg, kid, typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({
      iss: idp.issuer,
      aud: API_AUDIENCE,
      sub: 'wendy',
      realm_access: { roles: ['warehouse_staff'] },
      exp: expect.any(Number),
    });
  });
});

describe('a gateway verifying against the provider JWKS', () => {
  it.each(['rs256', 'es256'] as const)('accepts its %s tokens and maps the nested roles claim', async (resource) => {
    const wendy = await gateway.query(STOCK, { token: await idp.token('wendy', resource) });
    expect(wendy.status).toBe(200);
    expect(wendy.body.errors).toBeUndefined();
    const stock = Object.fromEntries(
      wendy.body.data.products.map((product: { sku: string; quantityOnHand: number }) => [product.sku, product.quantityOnHand]),
    );
    expect(stock).toEqual({ 'KB-001': 25, 'MS-002': 100, 'MN-003': 0 });

    const alice = await gateway.query(STOCK, { token: await idp.token('alice', resource) });
    expect(alice.status).toBe(200);
    expect(alice.body.data.products.every((product: { quantityOnHand: unknown }) => product.quantityOnHand === null)).toBe(true);
    expect(new Set(codes(alice))).toEqual(new Set(['FORBIDDEN']));

    const ada = await gateway.query('{ orders { id } }', { token: await idp.token('ada', resource) });
    expect(ada.body.data.orders.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses its token for another API (audience), before any subgraph sees it', async () => {
    const token = await idp.token('ada', 'otherApi');
    const { result, reached } = await watchSubgraphs(stack, () => gateway.query('{ orders { id } }', { token }));
    expectUnauthenticated(result, /wrong audience/);
    expect(reached).toBe(0);
  });

  it('refuses an algorithm outside JWT_ALGORITHMS even with a key the provider published', async () => {
    const esOnly = await stack.startGateway(envFor(idp, { JWT_ALGORITHMS: 'ES256' }));
    expect((await esOnly.query(STOCK, { token: await idp.token('wendy', 'es256') })).status).toBe(200);
    expectUnauthenticated(await esOnly.query(STOCK, { token: await idp.token('wendy', 'rs256') }), /algorithm is not allowed/);
  });

  it('refuses a token signed by a key the provider never published', async () => {
    expectUnauthenticated(await gateway.query('{ orders { id } }', { token: await forged(keys.stranger, {}) }), /unknown key/);
    // Under a kid the provider did publish, the signature gives it away.
    const impostor = { ...keys.stranger, kid: 'ec-1' };
    expectUnauthenticated(
      await gateway.query('{ orders { id } }', { token: await forged(impostor, {}) }),
      /signature is invalid/,
    );
  });

  it('stops accepting a token once it expires, even one it has already verified and cached', async () => {
    const token = await idp.token('wendy', 'shortLived');
    const { exp } = decodeJwt(token);
    expect((await gateway.query(STOCK, { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp! * 1000 - Date.now() + 1_100));
    expectUnauthenticated(await gateway.query(STOCK, { token }), /expired/);
  });
});

describe('signing-key rotation at the provider', () => {
  it('is followed without a restart: new key accepted, withdrawn key refused from the next refetch on', async () => {
    const rotating = await stack.startGateway(envFor(idp));
    const beforeRotation = await idp.token('wendy', 'es256');
    const unseenOldKeyToken = await idp.token('ada', 'es256');
    expect(decodeProtectedHeader(beforeRotation).kid).toBe('ec-1');
    expect((await rotating.query(STOCK, { token: beforeRotation })).status).toBe(200);

    // Rollover: ec-2 signs from now on; ec-1 stays published for tokens already out there.
    idp.useKeys([keys.ec2, keys.ec1, keys.rsa1]);
    const afterRotation = await idp.token('wendy', 'es256');
    expect(decodeProtectedHeader(afterRotation).kid).toBe('ec-2');
    expect((await rotating.query(STOCK, { token: afterRotation })).status).toBe(200);
    expect((await rotating.query('{ orders { id } }', { token: unseenOldKeyToken })).status).toBe(200);

    // Retirement: ec-1 is withdrawn. The gateway honours its cached copy until it next refetches
    // the key set (an unknown kid, or the cache's maximum age); from then on ec-1 is refused.
    idp.useKeys([keys.ec2, keys.rsa1]);
    const lastOfOldKey = await forged(keys.ec1, {});
    expect((await rotating.query('{ orders { id } }', { token: lastOfOldKey })).status).toBe(200);
    const unknown = await forged(await newSigningKey('not-yet-published', 'ES256'), {});
    expectUnauthenticated(await rotating.query('{ orders { id } }', { token: unknown }), /unknown key/);
    const nextOfOldKey = await forged(keys.ec1, { jti: 'another' });
    expectUnauthenticated(await rotating.query('{ orders { id } }', { token: nextOfOldKey }), /unknown key/);
    expect((await rotating.query(STOCK, { token: await idp.token('wendy', 'es256') })).status).toBe(200);
  });
});

describe('when the provider is down', () => {
  let outage: Gateway;
  let unseenToken: string;
  let unknownKid: string;
  beforeAll(async () => {
    unknownKid = await forged(await newSigningKey('never-published', 'ES256'), {});
    idp.useKeys([keys.ec2, keys.rsa1]);
    outage = await stack.startGateway(envFor(idp));
    expect((await outage.query(STOCK, { token: await idp.token('wendy', 'es256') })).status).toBe(200);
    unseenToken = await idp.token('ada', 'rs256');
  });
  afterAll(() => idp.setState('up'));

  it.each(['down', 'jwks-503'] as const)(
    '(%s) cached keys keep verifying new tokens; an unknown kid is a 401, not a 500',
    async (state) => {
      await idp.setState(state);
      const known = await outage.query('{ orders { id } }', { token: unseenToken });
      expect(known.status).toBe(200);
      expect(known.body.data.orders.length).toBeGreaterThanOrEqual(3);

      const { result, reached } = await watchSubgraphs(stack, () => outage.query('{ orders { id } }', { token: unknownKid }));
      expectUnauthenticated(result, /signing keys could not be fetched/);
      expect(reached).toBe(0);
      await idp.setState('up');
    },
  );

  it('answers within JWT_JWKS_TIMEOUT_MS when the provider accepts connections and never answers', async () => {
    // A stand-in for a hung provider: it takes the connection and says nothing.
    const hung = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const jwksUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/jwks`;
      const stuck = await stack.startGateway({ ...envFor(idp), JWT_JWKS_URL: jwksUrl, JWT_JWKS_TIMEOUT_MS: '300' });
      const startedAt = Date.now();
      expectUnauthenticated(await stuck.query('{ orders { id } }', { token: unknownKid }), /signing keys could not be fetched/);
      expect(Date.now() - startedAt).toBeLessThan(3_000);
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });

  it('recovers: once the provider is back, a new key is fetched and accepted', async () => {
    await idp.setState('down');
    idp.useKeys([keys.stranger, keys.ec2, keys.rsa1]);
    await idp.setState('up');
    const fresh = await idp.token('wendy', 'es256');
    expect(decodeProtectedHeader(fresh).kid).toBe('stranger');
    expect((await outage.query(STOCK, { token: fresh })).status).toBe(200);
  });
});
