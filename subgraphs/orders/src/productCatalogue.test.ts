/**
 * The HTTP product catalogue against a stand-in of inventory's HTTP API: a subgraph served by the
 * kit on a loopback port, behind the same identity guard, answering `_entities` for `Product` as
 * inventory does (NOT_FOUND for a SKU it has no product for). Orders never loads inventory's code.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, onwardIdentityHeader, type Viewer } from '#identity';
import { notFound } from '#platform';
import { type Database, type IncomingRequest, type RunningServer } from '#kit';
import { createTestSigningKey, mintIdentity, viewer, type TestSigningKey } from '#identity/testing';
import { errorCodes, executeAs, serveBehindIdentityGuard } from '#kit/testing';
import { createHttpProductCatalogue, ProductCatalogueUnavailable, type ProductCatalogue } from './productCatalogue.ts';
import { createOrdersService } from './service.ts';
import { createOrdersFixture, DEMO_SKUS } from './testing.ts';

const alice = viewer('alice');

let key: TestSigningKey;
let inventoryStandIn: RunningServer;
/** Headers of every request the stand-in received. */
const received: IncomingHttpHeaders[] = [];
let catalogue: ProductCatalogue;

async function startInventoryStandIn(): Promise<RunningServer> {
  const known = new Set<string>(DEMO_SKUS);
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Product @key(fields: "sku") { sku: ID! }
        type Query { product(sku: ID!): Product }
      `),
      resolvers: {
        Product: {
          __resolveReference: ({ sku }: { sku: string }) =>
            known.has(sku) ? { sku } : Promise.reject(notFound(`No product with SKU ${sku}`)),
        },
      },
    },
  ]);
  const server = await serveBehindIdentityGuard(
    { name: 'inventory', schema, createContext: () => ({}), checkHealth: async () => {} },
    key,
  );
  server.httpServer.prependListener('request', (req) => received.push(req.headers));
  return server;
}

beforeAll(async () => {
  key = await createTestSigningKey();
  inventoryStandIn = await startInventoryStandIn();
  catalogue = createHttpProductCatalogue({ url: inventoryStandIn.url });
});
afterAll(() => inventoryStandIn?.stop());

/** What orders receives from the gateway: `who`, and a token for inventory minted for `audience`. */
async function requestFrom(who: Viewer, audience = 'inventory'): Promise<IncomingRequest> {
  const token = await mintIdentity(who, { audience, key });
  return { viewer: who, headers: { [onwardIdentityHeader('inventory')]: token }, requestId: 'request-1' };
}

describe('the HTTP product catalogue', () => {
  it('names the SKUs inventory does not know, asking for all of them in one request', async () => {
    const before = received.length;
    const request = await requestFrom(alice);
    expect(await catalogue.unknownSkus(['KB-001', 'NOPE-1', 'MS-002', 'NOPE-2'], request)).toEqual(['NOPE-1', 'NOPE-2']);
    expect(await catalogue.unknownSkus([...DEMO_SKUS], request)).toEqual([]);
    expect(received.length - before).toBe(2);
    expect(received.at(-1)![IDENTITY_HEADER]).toBe(request.headers[onwardIdentityHeader('inventory')]);
    expect(received.at(-1)!['x-request-id']).toBe('request-1');
  });

  it('refuses to ask without the onward token for inventory', async () => {
    const request = { viewer: alice, headers: { [IDENTITY_HEADER]: 'the token for orders' }, requestId: 'request-2' };
    await expect(catalogue.unknownSkus(['KB-001'], request)).rejects.toThrow(/no identity token for inventory/);
  });

  it('fails clearly when inventory rejects the token (minted for another subgraph)', async () => {
    await expect(catalogue.unknownSkus(['KB-001'], await requestFrom(alice, 'orders'))).rejects.toThrow(
      'inventory answered HTTP 401',
    );
  });

  it('fails clearly when inventory cannot be reached', async () => {
    const nowhere = createHttpProductCatalogue({ url: 'http://127.0.0.1:1/graphql', timeoutMs: 1_000 });
    await expect(nowhere.unknownSkus(['KB-001'], await requestFrom(alice))).rejects.toThrow(/inventory could not be reached/);
  });

  it('gives up on an inventory that accepts the connection and never answers, within its timeout', async () => {
    const blackHole: Server = createServer(() => {});
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blackHole.address() as AddressInfo;
      const hung = createHttpProductCatalogue({ url: `http://127.0.0.1:${port}/graphql`, timeoutMs: 300 });
      const started = Date.now();
      await expect(hung.unknownSkus(['KB-001'], await requestFrom(alice))).rejects.toThrow(ProductCatalogueUnavailable);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      blackHole.closeAllConnections();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });
});

describe('placeOrder, asking inventory over HTTP', () => {
  let fixture: { db: Database; service: Awaited<ReturnType<typeof createOrdersFixture>>['service'] };
  beforeAll(async () => {
    fixture = await createOrdersFixture({ products: catalogue });
  });
  afterAll(() => fixture.db.close());

  const place = 'mutation($items: [OrderItemInput!]!) { placeOrder(items: $items) { userId items { product { sku } } } }';
  const countOrders = async () =>
    (await fixture.db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders'))[0]!.count;

  it('places an order whose SKUs inventory knows', async () => {
    const { headers } = await requestFrom(alice);
    const result = await executeAs(fixture.service, alice, place, { items: [{ sku: 'KB-001', quantity: 1 }] }, headers);
    expect(result).toEqual({ data: { placeOrder: { userId: 'alice', items: [{ product: { sku: 'KB-001' } }] } } });
  });

  it('refuses a SKU inventory does not know with BAD_USER_INPUT naming it, storing nothing', async () => {
    const { headers } = await requestFrom(alice);
    const before = await countOrders();
    const items = [
      { sku: 'KB-001', quantity: 1 },
      { sku: 'GHOST-9', quantity: 1 },
    ];
    const result = await executeAs(fixture.service, alice, place, { items }, headers);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toBe('Unknown SKU: GHOST-9');
    expect(await countOrders()).toBe(before);
  });

  it('answers SERVICE_UNAVAILABLE, storing nothing, when inventory cannot be asked', async () => {
    const unreachable = createHttpProductCatalogue({ url: 'http://127.0.0.1:1/graphql', timeoutMs: 1_000 });
    const cutOff = createOrdersService({ db: fixture.db, products: unreachable });
    const { headers } = await requestFrom(alice);
    const before = await countOrders();
    const result = await executeAs(cutOff, alice, place, { items: [{ sku: 'KB-001', quantity: 1 }] }, headers);
    expect(errorCodes(result)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(result.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1|http/);
    expect(await countOrders()).toBe(before);
  });
});
