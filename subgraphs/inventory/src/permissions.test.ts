import { describe, expect, it } from 'vitest';
import { SIGN_IN_REQUIRED } from '#kit';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import { stockOf, useInventoryFixture } from './testing.ts';

const alice = viewer('alice');
const wendy = viewer('wendy', 'warehouse_staff');
const paula = viewer('paula', 'payment_processor');
const ada = viewer('ada', 'admin');
const anonymous = viewer(null);

const inventory = useInventoryFixture();

describe('the catalogue: products, product, sku, name, priceCents, inStock', () => {
  const catalogue = '{ products { sku name priceCents inStock } product(sku: "MN-003") { sku name priceCents inStock } }';

  it.each([
    ['an anonymous caller', anonymous],
    ['a customer', alice],
    ['warehouse staff', wendy],
    ['a payment processor', paula],
    ['an admin', ada],
  ])('is open to %s', async (_who, who) => {
    const result = await executeAs(inventory.service, who, catalogue);
    expect(result.errors).toBeUndefined();
    expect(result.data?.products).toContainEqual({ sku: 'KB-001', name: 'Mechanical Keyboard', priceCents: 4999, inStock: true });
    expect(result.data?.product).toEqual({ sku: 'MN-003', name: '4K Monitor', priceCents: 17999, inStock: false });
  });
});

describe('quantityOnHand', () => {
  const query = '{ product(sku: "KB-001") { sku name quantityOnHand } }';

  it.each([
    ['warehouse staff', wendy],
    ['an admin', ada],
  ])('is visible to %s', async (_who, who) => {
    expect(await executeAs(inventory.service, who, query)).toEqual({
      data: { product: { sku: 'KB-001', name: 'Mechanical Keyboard', quantityOnHand: 25 } },
    });
  });

  it.each([
    ['a customer', alice, 'FORBIDDEN', 'Only warehouse staff and admins can see stock levels'],
    ['a payment processor', paula, 'FORBIDDEN', 'Only warehouse staff and admins can see stock levels'],
    ['an anonymous caller', anonymous, 'UNAUTHENTICATED', SIGN_IN_REQUIRED],
  ])('is null for %s, and nothing else is', async (_who, who, code, message) => {
    const result = await executeAs(inventory.service, who, query);
    expect(result.data).toEqual({ product: { sku: 'KB-001', name: 'Mechanical Keyboard', quantityOnHand: null } });
    expect(errorCodes(result)).toEqual([code]);
    expect(result.errors?.[0]).toMatchObject({ message, path: ['product', 'quantityOnHand'] });
  });

  it('is denied per product in a list, keeping every product', async () => {
    const result = await executeAs(inventory.service, alice, '{ products { sku quantityOnHand } }');
    expect(result.data?.products).toEqual([
      { sku: 'KB-001', quantityOnHand: null },
      { sku: 'MN-003', quantityOnHand: null },
      { sku: 'MS-002', quantityOnHand: null },
    ]);
    expect(errorCodes(result)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('adjustStock', () => {
  const adjust = (sku: string) => `mutation { adjustStock(sku: "${sku}", delta: 5) { sku quantityOnHand } }`;

  it('is allowed to warehouse staff', async () => {
    const result = await executeAs(inventory.service, wendy, adjust('MS-002'));
    expect(result).toEqual({ data: { adjustStock: { sku: 'MS-002', quantityOnHand: 105 } } });
  });

  it.each([
    ['an admin', ada, 'FORBIDDEN', 'Only warehouse staff can adjust stock'],
    ['a customer', alice, 'FORBIDDEN', 'Only warehouse staff can adjust stock'],
    ['a payment processor', paula, 'FORBIDDEN', 'Only warehouse staff can adjust stock'],
    ['an anonymous caller', anonymous, 'UNAUTHENTICATED', SIGN_IN_REQUIRED],
  ])('is refused to %s, leaving stock alone', async (_who, who, code, message) => {
    const result = await executeAs(inventory.service, who, adjust('MS-002'));
    expect(result.data).toBeNull();
    expect(errorCodes(result)).toEqual([code]);
    expect(result.errors?.[0]?.message).toBe(message);
    expect(await stockOf(inventory.db, 'MS-002')).toBe(100);
  });

  // The role rule runs before the resolver looks the SKU up, so refusals reveal nothing.
  it('tells only warehouse staff that a SKU is unknown', async () => {
    expect(errorCodes(await executeAs(inventory.service, wendy, adjust('NOPE')))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await executeAs(inventory.service, alice, adjust('NOPE')))).toEqual(['FORBIDDEN']);
  });
});

describe('federation fields under the shield', () => {
  const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }';

  it('resolves Product references for anyone, anonymous included', async () => {
    const result = await executeAs(inventory.service, anonymous, entities, { r: [{ __typename: 'Product', sku: 'KB-001' }] });
    expect(result).toEqual({ data: { _entities: [{ name: 'Mechanical Keyboard' }] } });
  });

  it('applies the field rules to references as to queries', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name quantityOnHand } } }';
    const r = [{ __typename: 'Product', sku: 'KB-001' }];
    const customer = await executeAs(inventory.service, alice, query, { r });
    expect(customer.data?._entities).toEqual([{ name: 'Mechanical Keyboard', quantityOnHand: null }]);
    expect(errorCodes(customer)).toEqual(['FORBIDDEN']);
    const staff = await executeAs(inventory.service, wendy, query, { r });
    expect(staff).toEqual({ data: { _entities: [{ name: 'Mechanical Keyboard', quantityOnHand: 25 }] } });
  });

  it('serves the SDL with its federation directives', async () => {
    const result = await executeAs(inventory.service, anonymous, '{ _service { sdl } }');
    expect((result.data?._service as { sdl: string }).sdl).toContain('@key(fields: "sku")');
  });
});
