import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '#kit';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import type { createInventoryService } from './service.ts';
import { createInventoryFixture, restoreDemoProducts, stockOf } from './testing.ts';

const wendy = viewer('wendy', 'warehouse_staff');
let db: Database;
let service: ReturnType<typeof createInventoryService>;

beforeAll(async () => {
  ({ db, service } = await createInventoryFixture());
});
beforeEach(() => restoreDemoProducts(db));
afterAll(() => db.close());

const adjustInParallel = (sku: string, deltas: readonly number[]) =>
  Promise.all(
    deltas.map((delta) =>
      executeAs(
        service,
        wendy,
        'mutation($sku: ID!, $delta: Int!) { adjustStock(sku: $sku, delta: $delta) { quantityOnHand } }',
        {
          sku,
          delta,
        },
      ),
    ),
  );

describe('racing stock adjustments', () => {
  it('never oversells: of 50 parallel removals from a stock of 20, exactly 20 succeed', async () => {
    await db.query(`UPDATE products SET quantity_on_hand = 20 WHERE sku = 'KB-001'`);
    const results = await adjustInParallel('KB-001', Array(50).fill(-1));
    expect(results.filter((result) => result.data?.adjustStock)).toHaveLength(20);
    expect(results.flatMap(errorCodes)).toEqual(Array(30).fill('BAD_USER_INPUT'));
    expect(await stockOf(db, 'KB-001')).toBe(0);
  });

  it('loses no update: 50 parallel additions all land', async () => {
    const results = await adjustInParallel('MS-002', Array(50).fill(1));
    expect(results.flatMap(errorCodes)).toEqual([]);
    expect(await stockOf(db, 'MS-002')).toBe(150);
  });

  it('ends with exactly the stock the successful adjustments add up to', async () => {
    const deltas = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const results = await adjustInParallel('MN-003', deltas);
    const applied = deltas.filter((_, i) => results[i]?.data?.adjustStock);
    const refused = deltas.filter((_, i) => !results[i]?.data?.adjustStock);
    expect(refused.every((delta) => delta < 0)).toBe(true);
    expect(results.flatMap(errorCodes)).toEqual(Array(refused.length).fill('BAD_USER_INPUT'));
    expect(await stockOf(db, 'MN-003')).toBe(applied.reduce((sum, delta) => sum + delta, 0));
  });
});
