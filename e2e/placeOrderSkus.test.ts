/**
 * Poison orders, through the gateway: placeOrder asks inventory, over an onward call with a token
 * the gateway minted for inventory, whether every SKU exists, and bounds their length. An order
 * already stored for a SKU inventory does not know can no longer null an admin listing silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_DRIVER } from './probes.ts';
import { codes, DEMO, startStack, type Stack } from './stack.ts';

const PLACE =
  'mutation($items: [OrderItemInput!]!) { placeOrder(items: $items) { id userId items { quantity product { sku name } } } }';
const LISTING = '{ orders { id items { quantity product { sku name priceCents } } } }';

let stack: Stack;
let bob: string;
let ada: string;

beforeAll(async () => {
  stack = await startStack({ driver: FAST_DRIVER });
  [bob, ada] = await Promise.all([stack.token(DEMO.bob), stack.token(DEMO.ada)]);
});
afterAll(() => stack?.stop());

const countOrders = async () =>
  (await stack.subgraphs.orders.db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders'))[0]!.count;
const inventoryRequests = () =>
  stack.subgraphRequests.filter((headers) => headers.host?.endsWith(`:${stack.subgraphs.inventory.server.port}`)).length;

describe('placeOrder checks every SKU with inventory', () => {
  it('places an order whose SKUs inventory knows, and the admin listing shows it', async () => {
    const placed = await stack.query(PLACE, { token: bob, variables: { items: [{ sku: 'MS-002', quantity: 2 }] } });
    expect(placed.body).toMatchObject({
      data: { placeOrder: { userId: 'bob', items: [{ quantity: 2, product: { sku: 'MS-002', name: 'Wireless Mouse' } }] } },
    });
    const listing = await stack.query(LISTING, { token: ada });
    expect(listing.body.errors).toBeUndefined();
    expect(listing.body.data.orders.map((order: { id: string }) => order.id)).toContain(placed.body.data.placeOrder.id);
  });

  it('refuses a SKU inventory does not know with BAD_USER_INPUT naming it, storing nothing', async () => {
    const before = await countOrders();
    const items = [
      { sku: 'KB-001', quantity: 1 },
      { sku: 'POISON-1', quantity: 1 },
    ];
    const response = await stack.query(PLACE, { token: bob, variables: { items } });
    expect(response.status).toBe(200);
    expect(response.body.data).toBeNull();
    expect(response.body.errors).toMatchObject([{ message: 'Unknown SKU: POISON-1', extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(await countOrders()).toBe(before);
    expect((await stack.query(LISTING, { token: ada })).body.errors).toBeUndefined();
  });

  it.each([
    ['65 characters', 'K'.repeat(65)],
    ['90 KB', 'K'.repeat(90_000)],
  ])('refuses a SKU of %s with BAD_USER_INPUT, without asking inventory or echoing it', async (_case, sku) => {
    const [before, asked] = [await countOrders(), inventoryRequests()];
    const response = await stack.query(PLACE, { token: bob, variables: { items: [{ sku, quantity: 1 }] } });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.message).toBe(`A SKU is at most 64 characters; got ${sku.length}`);
    expect(await countOrders()).toBe(before);
    expect(inventoryRequests()).toBe(asked);
  });

  it('refuses, with SERVICE_UNAVAILABLE and storing nothing, while inventory is down', async () => {
    const before = await countOrders();
    await stack.stopSubgraph('inventory');
    try {
      const response = await stack.query(PLACE, { token: bob, variables: { items: [{ sku: 'KB-001', quantity: 1 }] } });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|localhost|stacktrace/);
      expect(await countOrders()).toBe(before);
    } finally {
      await stack.restartSubgraph('inventory');
    }
  });
});

describe('an order stored before the check, for a SKU inventory does not know', () => {
  beforeAll(async () => {
    const db = stack.subgraphs.orders.db;
    await db.query("INSERT INTO orders (id, user_id) VALUES ('order-poison', 'bob')");
    await db.query("INSERT INTO order_items (order_id, position, sku, quantity) VALUES ('order-poison', 1, 'GHOST-404', 1)");
  });
  afterAll(async () => {
    await stack.subgraphs.orders.db.query("DELETE FROM order_items WHERE order_id = 'order-poison'");
    await stack.subgraphs.orders.db.query("DELETE FROM orders WHERE id = 'order-poison'");
  });

  it('never nulls the admin listing without an error: the error names the SKU', async () => {
    const response = await stack.query(LISTING, { token: ada });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeDefined();
    expect(response.body.errors).toMatchObject([{ message: 'No product with SKU GHOST-404', extensions: { code: 'NOT_FOUND' } }]);
  });

  it('leaves listings without product fields whole', async () => {
    const response = await stack.query('{ orders { id items { quantity product { sku } } } }', { token: ada });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.orders.map((order: { id: string }) => order.id)).toContain('order-poison');
  });
});
