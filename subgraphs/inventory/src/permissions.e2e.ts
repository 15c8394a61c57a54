/**
 * The inventory rows of the contract's who-may-do-what table, through the gateway, run by
 * e2e/contract.test.ts on each database driver.
 */
import { expect, it } from 'vitest';
import { codesOf, type AskAs } from '#kit/testing';

export function describeInventoryContract(as: AskAs) {
  it('the catalogue is public, anonymous included', async () => {
    const response = await as(null, '{ products { sku name priceCents inStock } product(sku: "MN-003") { inStock } }');
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.products).toContainEqual({
      sku: 'KB-001',
      name: 'Mechanical Keyboard',
      priceCents: 4999,
      inStock: true,
    });
    expect(response.body.data.product).toEqual({ inStock: false });
  });

  it('quantityOnHand is for warehouse staff and admins; for others only that field is null', async () => {
    for (const who of ['wendy', 'ada'] as const) {
      expect((await as(who, '{ product(sku: "MS-002") { quantityOnHand } }')).body.data.product.quantityOnHand).toEqual(
        expect.any(Number),
      );
    }
    const alice = await as('alice', '{ product(sku: "MS-002") { name quantityOnHand } }');
    expect(alice.body.data.product).toEqual({ name: 'Wireless Mouse', quantityOnHand: null });
    expect(alice.body.errors).toMatchObject([{ path: ['product', 'quantityOnHand'], extensions: { code: 'FORBIDDEN' } }]);
  });

  it('adjustStock is for warehouse staff; never below zero; NOT_FOUND for unknown SKUs', async () => {
    const adjust = (sku: string, delta: number) => `mutation { adjustStock(sku: "${sku}", delta: ${delta}) { quantityOnHand } }`;
    for (const who of ['ada', 'alice'] as const) expect(codesOf(await as(who, adjust('MN-003', 1)))).toEqual(['FORBIDDEN']);
    expect((await as('wendy', adjust('MN-003', 2))).body.data.adjustStock).toEqual({ quantityOnHand: 2 });
    expect(codesOf(await as('wendy', adjust('MN-003', -3)))).toEqual(['BAD_USER_INPUT']);
    expect((await as('wendy', '{ product(sku: "MN-003") { quantityOnHand } }')).body.data.product.quantityOnHand).toBe(2);
    expect(codesOf(await as('wendy', adjust('NOPE-1', 1)))).toEqual(['NOT_FOUND']);
  });
}
