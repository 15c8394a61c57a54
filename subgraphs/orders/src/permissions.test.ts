import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import type { Database } from '#kit';
import { createOrdersFixture, LOCAL_POLICY_ENGINES } from './testing.ts';

const alice = viewer('alice');
const bob = viewer('bob');
const wendy = viewer('wendy', 'warehouse_staff');
const paula = viewer('paula', 'payment_processor');
const ada = viewer('ada', 'admin');
const anonymous = viewer(null);

// The same suite, word for word, whichever engine decides the rows: they must agree.
describe.each(LOCAL_POLICY_ENGINES)('the orders rows decided by %s', (_engine, createEngine) => {
  const PLACED_AT = new Date('2026-01-01T12:00:00.000Z');
  let clock = new Date(PLACED_AT);
  let db: Database;
  let service: Awaited<ReturnType<typeof createOrdersFixture>>['service'];

  beforeAll(async () => {
    ({ db, service } = await createOrdersFixture({ now: () => clock, policy: createEngine() }));
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    clock = new Date(PLACED_AT);
    await db.exec(`DELETE FROM order_items; DELETE FROM orders;`);
    await db.query(
      `INSERT INTO orders (id, user_id, status, created_at) VALUES
         ('o-alice', 'alice', 'PENDING', $1), ('o-bob', 'bob', 'PENDING', $1), ('o-done', 'alice', 'PROCESSED', $1)`,
      [PLACED_AT],
    );
    await db.query(`INSERT INTO order_items VALUES ('o-alice', 1, 'KB-001', 1)`);
  });

  const readOrder = (id: string) => `{ order(id: "${id}") { id userId status items { quantity product { sku } } } }`;

  describe('reading an order', () => {
    it.each([
      ['its owner', alice],
      ['warehouse staff', wendy],
      ['an admin', ada],
    ])('is allowed to %s', async (_who, who) => {
      const result = await executeAs(service, who, readOrder('o-alice'));
      expect(result.errors).toBeUndefined();
      expect(result.data?.order).toMatchObject({ id: 'o-alice', userId: 'alice', items: [{ quantity: 1 }] });
    });

    it.each([
      ['another customer', bob, 'FORBIDDEN'],
      ['a payment processor', paula, 'FORBIDDEN'],
      ['an anonymous caller', anonymous, 'UNAUTHENTICATED'],
    ])('is denied to %s', async (_who, who, code) => {
      const result = await executeAs(service, who, readOrder('o-alice'));
      expect(result.data?.order).toBeNull();
      expect(errorCodes(result)).toEqual([code]);
    });

    it('names the rule when it denies', async () => {
      const result = await executeAs(service, bob, readOrder('o-alice'));
      expect(result.errors?.[0]?.message).toBe("Only the order's owner, warehouse staff and admins can read an order");
    });

    it('answers null without an error for an order that does not exist', async () => {
      const result = await executeAs(service, bob, readOrder('nope'));
      expect(result).toEqual({ data: { order: null } });
    });

    it('applies the same rule to entity references', async () => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }`;
      const representations = [{ __typename: 'Order', id: 'o-alice' }];
      const denied = await executeAs(service, bob, query, { r: representations });
      expect(denied.data?._entities).toEqual([null]);
      expect(errorCodes(denied)).toContain('FORBIDDEN');
      const allowed = await executeAs(service, alice, query, { r: representations });
      expect(allowed.data?._entities).toEqual([{ id: 'o-alice', status: 'PENDING' }]);
    });
  });

  describe('listing orders', () => {
    it('myOrders gives a customer their own orders only', async () => {
      const result = await executeAs(service, alice, '{ myOrders { id userId } }');
      expect(result.data?.myOrders).toEqual(
        expect.arrayContaining([
          { id: 'o-alice', userId: 'alice' },
          { id: 'o-done', userId: 'alice' },
        ]),
      );
      expect((result.data?.myOrders as unknown[]).length).toBe(2);
    });

    it('myOrders needs a signed-in user', async () => {
      const result = await executeAs(service, anonymous, '{ myOrders { id } }');
      expect(result.data).toBeNull();
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    });

    it('orders (all) is for admins', async () => {
      const allowed = await executeAs(service, ada, '{ orders { id } }');
      expect((allowed.data?.orders as unknown[]).length).toBe(3);
      for (const who of [alice, wendy, paula]) {
        const denied = await executeAs(service, who, '{ orders { id } }');
        expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
        expect(denied.errors?.[0]?.message).toBe('Only admins can list all orders');
      }
    });
  });

  describe('placeOrder', () => {
    const place = 'mutation($items: [OrderItemInput!]!) { placeOrder(items: $items) { userId status items { quantity } } }';

    it('is allowed to any signed-in user, whatever their roles', async () => {
      for (const who of [alice, wendy, paula, ada]) {
        const result = await executeAs(service, who, place, { items: [{ sku: 'KB-001', quantity: 2 }] });
        expect(result.errors).toBeUndefined();
        expect(result.data?.placeOrder).toMatchObject({ userId: who.sub, status: 'PENDING' });
      }
    });

    it('is denied to anonymous callers', async () => {
      const result = await executeAs(service, anonymous, place, { items: [{ sku: 'KB-001', quantity: 1 }] });
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('cancelOrder', () => {
    const cancel = (id: string) => `mutation { cancelOrder(id: "${id}") { id status } }`;

    it('lets the owner cancel a pending order at 29:59', async () => {
      clock = new Date(PLACED_AT.getTime() + 29 * 60_000 + 59_000);
      const result = await executeAs(service, alice, cancel('o-alice'));
      expect(result.data?.cancelOrder).toEqual({ id: 'o-alice', status: 'CANCELLED' });
    });

    it('refuses at 30:00', async () => {
      clock = new Date(PLACED_AT.getTime() + 30 * 60_000);
      const result = await executeAs(service, alice, cancel('o-alice'));
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toBe('An order can only be cancelled within 30 minutes of being placed');
    });

    it.each([
      ['another customer', bob],
      ['an admin', ada],
      ['warehouse staff', wendy],
    ])('refuses %s', async (_who, who) => {
      const result = await executeAs(service, who, cancel('o-alice'));
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toBe("Only the order's owner can cancel it");
    });

    it('refuses an order that is not pending', async () => {
      const result = await executeAs(service, alice, cancel('o-done'));
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toBe('Only a pending order can be cancelled');
    });

    it('answers NOT_FOUND for an unknown id before looking at ownership', async () => {
      const result = await executeAs(service, bob, cancel('nope'));
      expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    });

    it('asks anonymous callers to sign in', async () => {
      const result = await executeAs(service, anonymous, cancel('o-alice'));
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('processOrder', () => {
    const processOrder = (id: string) => `mutation { processOrder(id: "${id}") { id status } }`;

    it('lets warehouse staff process a pending order', async () => {
      const result = await executeAs(service, wendy, processOrder('o-bob'));
      expect(result.data?.processOrder).toEqual({ id: 'o-bob', status: 'PROCESSED' });
    });

    it.each([
      ['the owner', viewer('bob')],
      ['an admin', ada],
      ['a payment processor', paula],
    ])('is refused to %s', async (_who, who) => {
      const result = await executeAs(service, who, processOrder('o-bob'));
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toBe('Only warehouse staff can process orders');
    });

    it('refuses an order that is not pending', async () => {
      const result = await executeAs(service, wendy, processOrder('o-done'));
      expect(result.errors?.[0]?.message).toBe('Only a pending order can be processed');
    });

    it('answers NOT_FOUND for an unknown id', async () => {
      const result = await executeAs(service, wendy, processOrder('nope'));
      expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    });
  });

  describe('orderExists (for the payments subgraph)', () => {
    it.each([
      ['a payment processor', paula],
      ['an admin', ada],
    ])('answers %s', async (_who, who) => {
      const result = await executeAs(service, who, '{ yes: orderExists(id: "o-bob") no: orderExists(id: "nope") }');
      expect(result.data).toEqual({ yes: true, no: false });
    });

    it('is refused to customers and warehouse staff', async () => {
      for (const who of [alice, wendy]) {
        const result = await executeAs(service, who, '{ orderExists(id: "o-bob") }');
        expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      }
    });
  });

  describe('anything no rule names', () => {
    it('keeps the federation SDL available to gateway callers', async () => {
      const result = await executeAs(service, anonymous, '{ _service { sdl } }');
      expect(result.data?._service).toMatchObject({ sdl: expect.stringContaining('type Order') });
    });
  });
});
