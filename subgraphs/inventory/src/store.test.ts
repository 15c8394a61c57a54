import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { observeQueries, type Database } from '#kit';
import { createProductLoaders, createProductStore, MAX_QUANTITY_ON_HAND, type ProductStore } from './store.ts';
import { createInventoryFixture, restoreDemoProducts, stockOf } from './testing.ts';

let db: Database;
let store: ProductStore;

beforeAll(async () => {
  ({ db } = await createInventoryFixture());
  store = createProductStore(db);
});
beforeEach(() => restoreDemoProducts(db));
afterAll(() => db.close());

describe('adjustStock', () => {
  it('returns the product as written', async () => {
    expect(await store.adjustStock('MS-002', -30)).toEqual({
      sku: 'MS-002',
      name: 'Wireless Mouse',
      priceCents: 1999,
      quantityOnHand: 70,
    });
  });

  it.each([
    ['an unknown SKU', 'NOPE', 1],
    ['a removal below 0', 'KB-001', -26],
    ['an addition past the column maximum', 'KB-001', MAX_QUANTITY_ON_HAND],
  ])('writes nothing and returns undefined for %s', async (_case, sku, delta) => {
    expect(await store.adjustStock(sku, delta)).toBeUndefined();
    expect(await stockOf(db, 'KB-001')).toBe(25);
  });
});

describe('the product loader', () => {
  it('answers every SKU in the order asked, null for unknown ones, in one query', async () => {
    const statements: string[] = [];
    const loaders = createProductLoaders(createProductStore(observeQueries(db, (sql) => statements.push(sql))));
    const products = await loaders.product.loadMany(['MS-002', 'NOPE', 'KB-001', 'MS-002']);
    expect(products.map((product) => (product && 'sku' in product ? product.sku : product))).toEqual([
      'MS-002',
      null,
      'KB-001',
      'MS-002',
    ]);
    expect(statements).toHaveLength(1);
  });
});
