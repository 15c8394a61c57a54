import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#kit';
import { errorCodes, executeAs, viewer } from '#kit/testing';
import type { createInventoryService } from './service.ts';
import { createInventoryFixture } from './testing.ts';

const alice = viewer('alice');
const wendy = viewer('wendy', 'warehouse_staff');
const paula = viewer('paula', 'payment_processor');
const ada = viewer('ada', 'admin');
const anonymous = viewer(null);

let db: Database;
let service: ReturnType<typeof createInventoryService>;
beforeAll(async () => {
  ({ db, service } = await createInventoryFixture());
});
afterAll(() => db.close());

describe('the catalogue', () => {
  it.each([
    ['anonymous callers', anonymous],
    ['customers', alice],
    ['payment processors', paula],
  ])('is public to %s', async (_who, who) => {
    const result = await executeAs(service, who, '{ products { sku name priceCents inStock } product(sku: "MN-003") { name inStock } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.products).toContainEqual({ sku: 'KB-001', name: 'Mechanical Keyboard', priceCents: 4999, inStock: true });
    expect(result.data?.product).toEqual({ name: '4K Monitor', inStock: false });
  });

  it('answers null for an unknown SKU', async () => {
    expect(await executeAs(service, anonymous, '{ product(sku: "nope") { name } }')).toEqual({ data: { product: null } });
  });
});

describe('quantityOnHand', () => {
  const query = '{ product(sku: "KB-001") { name quantityOnHand } }';

  it.each([
    ['warehouse staff', wendy],
    ['admins', ada],
  ])('is visible to %s', async (_who, who) => {
    const result = await executeAs(service, who, query);
    expect(result).toEqual({ data: { product: { name: 'Mechanical Keyboard', quantityOnHand: 25 } } });
  });

  it.each([
    ['a customer', alice, 'FORBIDDEN'],
    ['a payment processor', paula, 'FORBIDDEN'],
    ['an anonymous caller', anonymous, 'UNAUTHENTICATED'],
  ])('is null for %s, and only that field', async (_who, who, code) => {
    const result = await executeAs(service, who, query);
    expect(result.data).toEqual({ product: { name: 'Mechanical Keyboard', quantityOnHand: null } });
    expect(errorCodes(result)).toEqual([code]);
    expect(result.errors?.[0]?.path).toEqual(['product', 'quantityOnHand']);
  });

  it('names the rule when it denies', async () => {
    const result = await executeAs(service, alice, query);
    expect(result.errors?.[0]?.message).toBe('Only warehouse staff and admins can see stock levels');
  });
});

describe('adjustStock', () => {
  const adjust = 'mutation { adjustStock(sku: "MS-002", delta: 5) { quantityOnHand } }';

  it('is allowed to warehouse staff', async () => {
    const result = await executeAs(service, wendy, adjust);
    expect(result.errors).toBeUndefined();
    await executeAs(service, wendy, 'mutation { adjustStock(sku: "MS-002", delta: -5) { sku } }');
  });

  it.each([
    ['an admin', ada, 'FORBIDDEN'],
    ['a customer', alice, 'FORBIDDEN'],
    ['a payment processor', paula, 'FORBIDDEN'],
    ['an anonymous caller', anonymous, 'UNAUTHENTICATED'],
  ])('is refused to %s', async (_who, who, code) => {
    const result = await executeAs(service, who, adjust);
    expect(result.data).toBeNull();
    expect(errorCodes(result)).toEqual([code]);
    if (code === 'FORBIDDEN') expect(result.errors?.[0]?.message).toBe('Only warehouse staff can adjust stock');
  });
});

describe('entity references', () => {
  it('still resolve once the shield is applied, with the same field rules', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name priceCents quantityOnHand } } }';
    const r = [{ __typename: 'Product', sku: 'KB-001' }];
    const anonymousResult = await executeAs(service, anonymous, query, { r });
    expect(anonymousResult.data?._entities).toEqual([{ name: 'Mechanical Keyboard', priceCents: 4999, quantityOnHand: null }]);
    expect(errorCodes(anonymousResult)).toEqual(['UNAUTHENTICATED']);
    const staffResult = await executeAs(service, wendy, query, { r });
    expect(staffResult.data?._entities).toEqual([{ name: 'Mechanical Keyboard', priceCents: 4999, quantityOnHand: 25 }]);
  });

  it('keeps the federation directives in the SDL it serves', async () => {
    const result = await executeAs(service, anonymous, '{ _service { sdl } }');
    expect((result.data?._service as { sdl: string }).sdl).toContain('@key(fields: "sku")');
  });
});
