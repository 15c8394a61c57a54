import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries, type Database } from '#kit';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import { createOrdersService } from './service.ts';
import { createOrdersFixture, DEMO_SKUS, inventoryStandIn } from './testing.ts';

const alice = viewer('alice');
let db: Database;
let service: ReturnType<typeof createOrdersService>;

beforeAll(async () => {
  ({ db, service } = await createOrdersFixture());
});
afterAll(() => db.close());

const place = `mutation($items: [OrderItemInput!]!) {
  placeOrder(items: $items) { id userId status createdAt items { quantity product { sku } } }
}`;

describe('placeOrder', () => {
  it('stores the order and its items in one go', async () => {
    const items = [
      { sku: 'KB-001', quantity: 3 },
      { sku: 'MS-002', quantity: 1 },
    ];
    const result = await executeAs(service, alice, place, { items });
    const order = result.data?.placeOrder as { id: string; createdAt: string };
    expect(order).toMatchObject({
      userId: 'alice',
      status: 'PENDING',
      items: [
        { quantity: 3, product: { sku: 'KB-001' } },
        { quantity: 1, product: { sku: 'MS-002' } },
      ],
    });
    expect(new Date(order.createdAt).toISOString()).toBe(order.createdAt);
    const again = await executeAs(service, alice, `{ order(id: "${order.id}") { items { quantity } } }`);
    expect(again.data?.order).toEqual({ items: [{ quantity: 3 }, { quantity: 1 }] });
  });

  it.each([
    ['no items', []],
    ['51 items', Array.from({ length: 51 }, () => ({ sku: 'KB-001', quantity: 1 }))],
    ['quantity 0', [{ sku: 'KB-001', quantity: 0 }]],
    ['quantity 1001', [{ sku: 'KB-001', quantity: 1001 }]],
    ['a blank SKU', [{ sku: ' ', quantity: 1 }]],
    ['a SKU of 65 characters', [{ sku: 'K'.repeat(65), quantity: 1 }]],
    ['a SKU of 90 KB', [{ sku: 'K'.repeat(90_000), quantity: 1 }]],
    [
      'a SKU inventory does not know',
      [
        { sku: 'KB-001', quantity: 1 },
        { sku: 'NO-SUCH-SKU', quantity: 1 },
      ],
    ],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_case, items) => {
    const countOrders = async () => (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders'))[0]!.count;
    const before = await countOrders();
    const result = await executeAs(service, alice, place, { items });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await countOrders()).toBe(before);
  });

  it('names every SKU inventory does not know, once each', async () => {
    const items = [
      { sku: 'NOPE-1', quantity: 1 },
      { sku: 'KB-001', quantity: 1 },
      { sku: 'NOPE-2', quantity: 1 },
      { sku: 'NOPE-1', quantity: 2 },
    ];
    const result = await executeAs(service, alice, place, { items });
    expect(result.errors?.[0]).toMatchObject({
      message: 'Unknown SKUs: NOPE-1, NOPE-2',
      extensions: { code: 'BAD_USER_INPUT', unknownSkus: ['NOPE-1', 'NOPE-2'] },
    });
  });

  it('accepts a SKU of 64 characters that inventory knows', async () => {
    const sku = 'S'.repeat(64);
    const { service: withLongSku, db: own } = await createOrdersFixture({ products: inventoryStandIn([sku]) });
    const result = await executeAs(withLongSku, alice, place, { items: [{ sku, quantity: 1 }] });
    expect(result.errors).toBeUndefined();
    await own.close();
  });

  it('accepts the edges: 50 items, quantity 1 and 1000', async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ sku: DEMO_SKUS[i % 3]!, quantity: i % 2 ? 1 : 1000 }));
    const result = await executeAs(service, alice, place, { items });
    expect(result.errors).toBeUndefined();
    expect((result.data?.placeOrder as { items: unknown[] }).items).toHaveLength(50);
  });
});

describe('reading', () => {
  it('myOrders lists newest first, with the seeded demo orders', async () => {
    const result = await executeAs(service, viewer('bob'), '{ myOrders { id status items { quantity product { sku } } } }');
    expect(result.data?.myOrders).toEqual([
      { id: 'order-3', status: 'PENDING', items: [{ quantity: 1, product: { sku: 'MN-003' } }] },
    ]);
  });

  it('loads the items of many orders with one query', async () => {
    const statements: string[] = [];
    const counted = createOrdersService({ db: observeQueries(db, (sql) => statements.push(sql)), products: inventoryStandIn() });
    const result = await executeAs(counted, viewer('ada', 'admin'), '{ orders { id items { quantity } } }');
    expect((result.data?.orders as unknown[]).length).toBeGreaterThan(3);
    expect(statements).toHaveLength(2);
  });

  it('resolves many order references with one query', async () => {
    const statements: string[] = [];
    const counted = createOrdersService({ db: observeQueries(db, (sql) => statements.push(sql)), products: inventoryStandIn() });
    const representations = ['order-1', 'order-2', 'order-3'].map((id) => ({ __typename: 'Order', id }));
    const result = await executeAs(
      counted,
      viewer('wendy', 'warehouse_staff'),
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id userId } } }',
      { r: representations },
    );
    expect(result.data?._entities).toEqual([
      { id: 'order-1', userId: 'alice' },
      { id: 'order-2', userId: 'alice' },
      { id: 'order-3', userId: 'bob' },
    ]);
    expect(statements).toHaveLength(1);
  });
});
