import { describe, expect, it } from 'vitest';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import { stockOf, useInventoryFixture } from './testing.ts';

const wendy = viewer('wendy', 'warehouse_staff');
const inventory = useInventoryFixture();

const adjustInParallel = (sku: string, deltas: readonly number[]) =>
  Promise.all(
    deltas.map((delta) =>
      executeAs(
        inventory.service,
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
    await inventory.db.query(`UPDATE products SET quantity_on_hand = 20 WHERE sku = 'KB-001'`);
    const results = await adjustInParallel('KB-001', Array(50).fill(-1));
    expect(results.filter((result) => result.data?.adjustStock)).toHaveLength(20);
    expect(results.flatMap(errorCodes)).toEqual(Array(30).fill('BAD_USER_INPUT'));
    expect(await stockOf(inventory.db, 'KB-001')).toBe(0);
  });

  it('loses no update: 50 parallel additions all land', async () => {
    const results = await adjustInParallel('MS-002', Array(50).fill(1));
    expect(results.flatMap(errorCodes)).toEqual([]);
    expect(await stockOf(inventory.db, 'MS-002')).toBe(150);
  });

  it('ends with exactly the stock the successful adjustments add up to', async () => {
    const deltas = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const results = await adjustInParallel('MN-003', deltas);
    const applied = deltas.filter((_, i) => results[i]?.data?.adjustStock);
    const refused = deltas.filter((_, i) => !results[i]?.data?.adjustStock);
    expect(refused.every((delta) => delta < 0)).toBe(true);
    expect(results.flatMap(errorCodes)).toEqual(Array(refused.length).fill('BAD_USER_INPUT'));
    expect(await stockOf(inventory.db, 'MN-003')).toBe(applied.reduce((sum, delta) => sum + delta, 0));
  });
});
