import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, type Viewer } from '#identity';
import { type Database, type RunningServer } from '#kit';
import { createTestSigningKey, mintIdentity, viewer, type MintOptions, type TestSigningKey } from '#identity/testing';
import { serveBehindIdentityGuard } from '#kit/testing';
import { INVENTORY } from './service.ts';
import { createInventoryFixture } from './testing.ts';

const wendy = viewer('wendy', 'warehouse_staff');

let key: TestSigningKey;
let db: Database;
let server: RunningServer;

beforeAll(async () => {
  key = await createTestSigningKey();
  const fixture = await createInventoryFixture();
  db = fixture.db;
  server = await serveBehindIdentityGuard(fixture.service, key);
});
afterAll(async () => {
  await server?.stop();
  await db?.close();
});

/** A token as the gateway would sign it for this subgraph, unless `options` spoil it. */
const mint = (who: Viewer = wendy, options: Partial<MintOptions> = {}) =>
  mintIdentity(who, { audience: INVENTORY.name, key, ...options });

async function post(query: string, token?: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { [IDENTITY_HEADER]: token } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

const stockQuery = '{ product(sku: "KB-001") { name quantityOnHand } }';

describe('the identity guard', () => {
  it('serves a request carrying a valid identity token', async () => {
    expect(await post(stockQuery, await mint())).toEqual({
      status: 200,
      body: { data: { product: { name: 'Mechanical Keyboard', quantityOnHand: 25 } } },
    });
  });

  it('answers 401 UNAUTHENTICATED without a token, before any GraphQL work', async () => {
    const response = await post(stockQuery);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
  });

  it.each([
    ['minted for another subgraph', () => mint(wendy, { audience: 'orders' })],
    ['expired', () => mint(wendy, { expiresIn: -1 })],
    ['signed by another key', async () => mint(wendy, { key: await createTestSigningKey() })],
    ['typed as a plain JWT', () => mint(wendy, { type: 'JWT' })],
    ['without a type', () => mint(wendy, { type: null })],
  ])('answers 401 to a token %s', async (_case, token) => {
    expect((await post(stockQuery, await token())).status).toBe(401);
  });

  it('guards the federation fields as well', async () => {
    const sdl = '{ _service { sdl } }';
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }';
    const r = [{ __typename: 'Product', sku: 'MS-002' }];
    expect((await post(sdl)).status).toBe(401);
    expect((await post(entities, undefined, { r })).status).toBe(401);

    const served = await post(sdl, await mint(viewer(null)));
    expect(served.status).toBe(200);
    expect(served.body.data._service.sdl).toContain('@key(fields: "sku")');
    expect(await post(entities, await mint(viewer(null)), { r })).toEqual({
      status: 200,
      body: { data: { _entities: [{ name: 'Wireless Mouse' }] } },
    });
  });

  it('takes roles from the token alone, never from x-user-* headers', async () => {
    const forged = { 'x-user-id': 'wendy', 'x-user-roles': 'warehouse_staff' };
    const response = await post(stockQuery, await mint(viewer(null)), undefined, forged);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ product: { name: 'Mechanical Keyboard', quantityOnHand: null } });
    expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('/health', () => {
  it('answers 200 without a token', async () => {
    const response = await fetch(server.url.replace(/\/graphql$/, '/health'));
    expect(response.status).toBe(200);
  });
});
