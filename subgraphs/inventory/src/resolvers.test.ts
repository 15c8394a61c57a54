import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { observeQueries, type Database } from '#kit';
import { errorCodes, executeAs, viewer } from '#kit/testing';
import { createInventoryService } from './service.ts';
import { createInventoryFixture } from './testing.ts';

const wendy = viewer('wendy', 'warehouse_staff');
let db: Database;
let service: ReturnType<typeof createInventoryService>;

beforeEach(async () => {
  await db?.close();
  ({ db, service } = await createInventoryFixture());
});
afterAll(() => db.close());

const stockOf = async (sku: string) =>
  (await db.query<{ quantity_on_hand: number }>('SELECT quantity_on_hand FROM products WHERE sku = $1', [sku]))[0]
    ?.quantity_on_hand;

describe('adjustStock', () => {
  it('adds and removes stock', async () => {
    const added = await executeAs(service, wendy, 'mutation { adjustStock(sku: "MN-003", delta: 4) { quantityOnHand inStock } }');
    expect(added.data?.adjustStock).toEqual({ quantityOnHand: 4, inStock: true });
    const removed = await executeAs(service, wendy, 'mutation { adjustStock(sku: "MN-003", delta: -4) { quantityOnHand inStock } }');
    expect(removed.data?.adjustStock).toEqual({ quantityOnHand: 0, inStock: false });
  });

  it('refuses to go below zero with BAD_USER_INPUT and leaves stock unchanged', async () => {
    const result = await executeAs(service, wendy, 'mutation { adjustStock(sku: "KB-001", delta: -26) { quantityOnHand } }');
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toContain('cannot go below 0');
    expect(await stockOf('KB-001')).toBe(25);
  });

  it('answers NOT_FOUND for an unknown SKU', async () => {
    const result = await executeAs(service, wendy, 'mutation { adjustStock(sku: "NOPE", delta: 1) { sku } }');
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
  });

  it('refuses absurd deltas', async () => {
    const result = await executeAs(service, wendy, 'mutation { adjustStock(sku: "KB-001", delta: 2000000) { sku } }');
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await stockOf('KB-001')).toBe(25);
  });

  it('never oversells: 50 parallel -1 on a stock of 20 succeed exactly 20 times', async () => {
    await db.query(`UPDATE products SET quantity_on_hand = 20 WHERE sku = 'KB-001'`);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        executeAs(service, wendy, 'mutation { adjustStock(sku: "KB-001", delta: -1) { quantityOnHand } }'),
      ),
    );
    expect(results.filter((result) => result.data?.adjustStock)).toHaveLength(20);
    expect(results.flatMap(errorCodes)).toEqual(Array(30).fill('BAD_USER_INPUT'));
    expect(await stockOf('KB-001')).toBe(0);
  });
});

describe('products', () => {
  it('lists the demo catalogue by SKU', async () => {
    const result = await executeAs(service, viewer(null), '{ products { sku inStock } }');
    expect(result.data?.products).toEqual([
      { sku: 'KB-001', inStock: true },
      { sku: 'MN-003', inStock: false },
      { sku: 'MS-002', inStock: true },
    ]);
  });

  it('resolves 100 Product references with one SQL query', async () => {
    const values = Array.from({ length: 100 }, (_, i) => `('SKU-${i}', 'Product ${i}', ${i}, ${i})`).join(', ');
    await db.query(`INSERT INTO products (sku, name, price_cents, quantity_on_hand) VALUES ${values}`);
    const statements: string[] = [];
    const counted = createInventoryService({ db: observeQueries(db, (sql) => statements.push(sql)) });
    const r = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Product', sku: `SKU-${i}` }));
    const result = await executeAs(counted, viewer(null), 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }', { r });
    expect((result.data?._entities as unknown[]).length).toBe(100);
    expect((result.data?._entities as { name: string }[])[99]).toEqual({ name: 'Product 99' });
    expect(statements).toHaveLength(1);
  });
});
