import { describe, expect, it } from 'vitest';
import { observeQueries } from '#kit';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import { createInventoryService } from './service.ts';
import { MAX_QUANTITY_ON_HAND } from './store.ts';
import { stockOf, useInventoryFixture } from './testing.ts';

const wendy = viewer('wendy', 'warehouse_staff');
const inventory = useInventoryFixture();

const adjust = 'mutation($sku: ID!, $delta: Int!) { adjustStock(sku: $sku, delta: $delta) { sku quantityOnHand inStock } }';
const adjustStock = (sku: string, delta: number) => executeAs(inventory.service, wendy, adjust, { sku, delta });

describe('reading the catalogue', () => {
  it('lists the demo products by SKU', async () => {
    const result = await executeAs(inventory.service, wendy, '{ products { sku name priceCents quantityOnHand inStock } }');
    expect(result.data?.products).toEqual([
      { sku: 'KB-001', name: 'Mechanical Keyboard', priceCents: 4999, quantityOnHand: 25, inStock: true },
      { sku: 'MN-003', name: '4K Monitor', priceCents: 17999, quantityOnHand: 0, inStock: false },
      { sku: 'MS-002', name: 'Wireless Mouse', priceCents: 1999, quantityOnHand: 100, inStock: true },
    ]);
  });

  it('answers null, without an error, for an unknown SKU', async () => {
    expect(await executeAs(inventory.service, viewer(null), '{ product(sku: "NOPE") { name } }')).toEqual({
      data: { product: null },
    });
  });

  it('answers a reference to no product with NOT_FOUND naming the SKU, beside the products it has', async () => {
    const r = [
      { __typename: 'Product', sku: 'KB-001' },
      { __typename: 'Product', sku: 'NO-SUCH-SKU' },
    ];
    const result = await executeAs(
      inventory.service,
      viewer(null),
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku } } }',
      { r },
    );
    expect(result.data?._entities).toEqual([{ sku: 'KB-001' }, null]);
    expect(result.errors?.map((error) => [error.message, error.extensions?.code, error.path])).toEqual([
      ['No product with SKU NO-SUCH-SKU', 'NOT_FOUND', ['_entities', 1]],
    ]);
  });

  it('resolves 100 Product references with one SQL query', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `('SKU-${i}', 'Product ${i}', ${i}, ${i})`).join(', ');
    await inventory.db.exec(`INSERT INTO products (sku, name, price_cents, quantity_on_hand) VALUES ${rows}`);
    const statements: string[] = [];
    const counted = createInventoryService({ db: observeQueries(inventory.db, (sql) => statements.push(sql)) });
    const r = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Product', sku: `SKU-${i}` }));
    const result = await executeAs(
      counted,
      viewer(null),
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku name inStock } } }',
      { r },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual(
      Array.from({ length: 100 }, (_, i) => ({ sku: `SKU-${i}`, name: `Product ${i}`, inStock: i > 0 })),
    );
    expect(statements).toHaveLength(1);
  });
});

describe('adjustStock', () => {
  it('adds stock, and inStock follows', async () => {
    const result = await adjustStock('MN-003', 4);
    expect(result).toEqual({ data: { adjustStock: { sku: 'MN-003', quantityOnHand: 4, inStock: true } } });
  });

  it('removes stock down to exactly 0', async () => {
    const result = await adjustStock('KB-001', -25);
    expect(result).toEqual({ data: { adjustStock: { sku: 'KB-001', quantityOnHand: 0, inStock: false } } });
  });

  it('treats a delta of 0 as a read of the current stock', async () => {
    const result = await adjustStock('KB-001', 0);
    expect(result).toEqual({ data: { adjustStock: { sku: 'KB-001', quantityOnHand: 25, inStock: true } } });
  });

  it('refuses to go below 0 with BAD_USER_INPUT and leaves stock unchanged', async () => {
    const result = await adjustStock('KB-001', -26);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toBe('Stock of KB-001 cannot go below 0: not enough on hand to remove 26');
    expect(await stockOf(inventory.db, 'KB-001')).toBe(25);
  });

  it('refuses to go past what the column holds, rather than failing', async () => {
    await inventory.db.query(`UPDATE products SET quantity_on_hand = $1 WHERE sku = 'KB-001'`, [MAX_QUANTITY_ON_HAND - 1]);
    expect(errorCodes(await adjustStock('KB-001', 2))).toEqual(['BAD_USER_INPUT']);
    expect(await stockOf(inventory.db, 'KB-001')).toBe(MAX_QUANTITY_ON_HAND - 1);
    expect((await adjustStock('KB-001', 1)).data?.adjustStock).toMatchObject({ quantityOnHand: MAX_QUANTITY_ON_HAND });
  });

  it.each([0, 1, -1])('answers NOT_FOUND for an unknown SKU (delta %i)', async (delta) => {
    expect(errorCodes(await adjustStock('NOPE', delta))).toEqual(['NOT_FOUND']);
  });

  it.each([1_000_001, -1_000_001, 2_147_483_647])('refuses a delta of %i as a typo', async (delta) => {
    expect(errorCodes(await adjustStock('MS-002', delta))).toEqual(['BAD_USER_INPUT']);
    expect(await stockOf(inventory.db, 'MS-002')).toBe(100);
  });

  it('accepts the largest delta allowed', async () => {
    expect((await adjustStock('MS-002', 1_000_000)).data?.adjustStock).toMatchObject({ quantityOnHand: 1_000_100 });
  });

  // GraphQL's Int coercion turns these away before any resolver runs.
  it.each([1.5, 2 ** 31, Number.MAX_SAFE_INTEGER + 2])('never sees a delta of %d', async (delta) => {
    const result = await adjustStock('MS-002', delta);
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(await stockOf(inventory.db, 'MS-002')).toBe(100);
  });
});
