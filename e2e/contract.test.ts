/**
 * Every row of the contract's who-may-do-what table, through the gateway, on each database driver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS } from './drivers.ts';
import { codes, DEMO, startStack, type Stack } from './stack.ts';

describe.each(DRIVERS)('the contract through the gateway (%s)', (driver) => {
  let stack: Stack;
  const tokens: Record<keyof typeof DEMO, string> = {} as never;
  beforeAll(async () => {
    stack = await startStack({ driver });
    for (const [name, user] of Object.entries(DEMO)) tokens[name as keyof typeof DEMO] = await stack.token(user);
  });
  afterAll(() => stack?.stop());

  const as = (who: keyof typeof DEMO | null, document: string, variables?: unknown) =>
    stack.query(document, { ...(who ? { token: tokens[who] } : {}), variables });

  describe('orders', () => {
    it.each([['alice'], ['wendy'], ['ada']] as const)('order(id) is readable by %s', async (who) => {
      const response = await as(who, '{ order(id: "order-1") { id userId status } }');
      expect(response.body).toEqual({ data: { order: { id: 'order-1', userId: 'alice', status: 'PENDING' } } });
    });

    it.each([['bob', 'FORBIDDEN'], ['paula', 'FORBIDDEN'], [null, 'UNAUTHENTICATED']] as const)(
      'order(id) is null with an error for %s',
      async (who, code) => {
        const response = await as(who, '{ order(id: "order-1") { id } }');
        expect(response.status).toBe(200);
        expect(response.body.data).toEqual({ order: null });
        expect(codes(response)).toEqual([code]);
      },
    );

    it('order(id) of no order is null without an error', async () => {
      expect((await as('bob', '{ order(id: "no-such-order") { id } }')).body).toEqual({ data: { order: null } });
    });

    it('myOrders gives each user their own', async () => {
      const alice = await as('alice', '{ myOrders { id } }');
      expect(alice.body.data.myOrders.map((order: { id: string }) => order.id).sort()).toEqual(['order-1', 'order-2']);
      expect(codes(await as(null, '{ myOrders { id } }'))).toEqual(['UNAUTHENTICATED']);
    });

    it('orders (all) is for admins only', async () => {
      expect((await as('ada', '{ orders { id } }')).body.data.orders.length).toBeGreaterThanOrEqual(3);
      for (const who of ['alice', 'wendy', 'paula'] as const) {
        expect(codes(await as(who, '{ orders { id } }'))).toEqual(['FORBIDDEN']);
      }
    });

    it('placeOrder needs a signed-in user and validates items', async () => {
      const place = 'mutation($items: [OrderItemInput!]!) { placeOrder(items: $items) { userId status } }';
      const placed = await as('bob', place, { items: [{ sku: 'KB-001', quantity: 1 }] });
      expect(placed.body.data.placeOrder).toEqual({ userId: 'bob', status: 'PENDING' });
      expect(codes(await as(null, place, { items: [{ sku: 'KB-001', quantity: 1 }] }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await as('bob', place, { items: [{ sku: 'KB-001', quantity: 0 }] }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await as('bob', place, { items: [] }))).toEqual(['BAD_USER_INPUT']);
    });

    it('placeOrder takes only SKUs inventory knows, of at most 64 characters', async () => {
      const place = 'mutation($items: [OrderItemInput!]!) { placeOrder(items: $items) { id } }';
      const unknown = await as('bob', place, { items: [{ sku: 'KB-001', quantity: 1 }, { sku: 'NO-SUCH-SKU', quantity: 1 }] });
      expect(unknown.body.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
      expect(unknown.body.errors![0]!.message).toContain('NO-SUCH-SKU');
      expect(codes(await as('bob', place, { items: [{ sku: 'K'.repeat(65), quantity: 1 }] }))).toEqual(['BAD_USER_INPUT']);
      const mine = await as('bob', '{ myOrders { items { product { sku } } } }');
      const skus = mine.body.data.myOrders.flatMap((order: { items: { product: { sku: string } }[] }) => order.items.map((item) => item.product.sku));
      expect(skus).not.toContain('NO-SUCH-SKU');
    });

    it('cancelOrder: owner only, pending only, within 30 minutes, NOT_FOUND first', async () => {
      const cancel = (id: string) => `mutation { cancelOrder(id: "${id}") { id status } }`;
      const bobsOwn = await as('bob', 'mutation { placeOrder(items: [{ sku: "MS-002", quantity: 1 }]) { id } }');
      const id = bobsOwn.body.data.placeOrder.id;
      expect(codes(await as('alice', cancel(id)))).toEqual(['FORBIDDEN']);
      expect(codes(await as('ada', cancel(id)))).toEqual(['FORBIDDEN']);
      expect((await as('bob', cancel(id))).body.data.cancelOrder).toEqual({ id, status: 'CANCELLED' });
      const again = await as('bob', cancel(id));
      expect(codes(again)).toEqual(['FORBIDDEN']);
      expect(again.body.errors![0]!.message).toBe('Only a pending order can be cancelled');
      const tooOld = await as('alice', cancel('order-2'));
      expect(tooOld.body.errors![0]).toMatchObject({
        message: 'An order can only be cancelled within 30 minutes of being placed',
        extensions: { code: 'FORBIDDEN' },
      });
      expect(codes(await as('alice', cancel('no-such-order')))).toEqual(['NOT_FOUND']);
    });

    it('processOrder is for warehouse staff only', async () => {
      const placed = await as('alice', 'mutation { placeOrder(items: [{ sku: "KB-001", quantity: 2 }]) { id } }');
      const process = `mutation { processOrder(id: "${placed.body.data.placeOrder.id}") { status } }`;
      for (const who of ['alice', 'ada', 'paula'] as const) {
        const denied = await as(who, process);
        expect(denied.body.errors![0]).toMatchObject({ message: 'Only warehouse staff can process orders', extensions: { code: 'FORBIDDEN' } });
      }
      expect((await as('wendy', process)).body.data.processOrder).toEqual({ status: 'PROCESSED' });
      expect(codes(await as('wendy', process))).toEqual(['FORBIDDEN']);
    });

    it('keeps orderExists out of the public graph', async () => {
      const response = await as('paula', '{ orderExists(id: "order-1") }');
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });
  });

  describe('payments', () => {
    it('payment(id) is for payment processors and admins', async () => {
      for (const who of ['paula', 'ada'] as const) {
        const response = await as(who, '{ payment(id: "payment-1") { id amountCents currency status } }');
        expect(response.body.data.payment).toEqual({ id: 'payment-1', amountCents: 8997, currency: 'USD', status: 'CAPTURED' });
      }
      for (const [who, code] of [['alice', 'FORBIDDEN'], ['wendy', 'FORBIDDEN'], [null, 'UNAUTHENTICATED']] as const) {
        const response = await as(who, '{ payment(id: "payment-1") { id amountCents } }');
        expect(response.body.data).toEqual({ payment: null });
        expect(codes(response)).toContain(code);
      }
    });

    it('Payment.order follows the orders rules: a processor sees the payment, not the order', async () => {
      const paula = await as('paula', '{ payment(id: "payment-1") { amountCents order { id status } } }');
      expect(paula.body.data.payment).toEqual({ amountCents: 8997, order: null });
      expect(codes(paula)).toContain('FORBIDDEN');
      // The key alone is payments' to give, yet orders still decides.
      const keyOnly = await as('paula', '{ payment(id: "payment-1") { order { id } } }');
      expect(keyOnly.body.data.payment).toEqual({ order: null });
      expect(codes(keyOnly)).toEqual(['FORBIDDEN']);
      const ada = await as('ada', '{ payment(id: "payment-1") { order { id userId status } } }');
      expect(ada.body.data.payment.order).toEqual({ id: 'order-1', userId: 'alice', status: expect.any(String) });
    });

    it('Order.payments is for the owner, payment processors and admins', async () => {
      const alice = await as('alice', '{ order(id: "order-1") { payments { id amountCents status } } }');
      expect(alice.body.data.order.payments).toEqual([{ id: 'payment-1', amountCents: 8997, status: 'CAPTURED' }]);
      const wendy = await as('wendy', '{ order(id: "order-1") { id payments { id } } }');
      expect(wendy.body.data.order).toEqual({ id: 'order-1', payments: null });
      expect(codes(wendy)).toEqual(['FORBIDDEN']);
    });

    it('initiatePayment: payment processors only, positive amounts, known orders', async () => {
      const initiate = (orderId: string, amountCents: number) =>
        `mutation { initiatePayment(orderId: "${orderId}", amountCents: ${amountCents}) { amountCents currency status } }`;
      expect((await as('paula', initiate('order-3', 500))).body.data.initiatePayment).toEqual({
        amountCents: 500,
        currency: 'USD',
        status: 'CAPTURED',
      });
      for (const who of ['ada', 'alice', 'wendy'] as const) expect(codes(await as(who, initiate('order-3', 500)))).toEqual(['FORBIDDEN']);
      expect(codes(await as(null, initiate('order-3', 500)))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await as('paula', initiate('order-3', 0)))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await as('paula', initiate('no-such-order', 500)))).toEqual(['NOT_FOUND']);
    });

    it('refundPayment: processors and admins, CAPTURED only', async () => {
      const created = await as('paula', 'mutation { initiatePayment(orderId: "order-2", amountCents: 100) { id } }');
      const id = created.body.data.initiatePayment.id;
      const refund = `mutation { refundPayment(id: "${id}") { id status } }`;
      expect(codes(await as('alice', refund))).toEqual(['FORBIDDEN']);
      expect((await as('ada', refund)).body.data.refundPayment).toEqual({ id, status: 'REFUNDED' });
      expect(codes(await as('paula', refund))).toEqual(['FORBIDDEN']);
      expect(codes(await as('paula', 'mutation { refundPayment(id: "no-such-payment") { id } }'))).toEqual(['NOT_FOUND']);
    });
  });

  describe('inventory', () => {
    it('the catalogue is public, anonymous included', async () => {
      const response = await as(null, '{ products { sku name priceCents inStock } product(sku: "MN-003") { inStock } }');
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.products).toContainEqual({ sku: 'KB-001', name: 'Mechanical Keyboard', priceCents: 4999, inStock: true });
      expect(response.body.data.product).toEqual({ inStock: false });
    });

    it('quantityOnHand is for warehouse staff and admins; for others only that field is null', async () => {
      for (const who of ['wendy', 'ada'] as const) {
        expect((await as(who, '{ product(sku: "MS-002") { quantityOnHand } }')).body.data.product.quantityOnHand).toEqual(expect.any(Number));
      }
      const alice = await as('alice', '{ product(sku: "MS-002") { name quantityOnHand } }');
      expect(alice.body.data.product).toEqual({ name: 'Wireless Mouse', quantityOnHand: null });
      expect(alice.body.errors).toMatchObject([{ path: ['product', 'quantityOnHand'], extensions: { code: 'FORBIDDEN' } }]);
    });

    it('adjustStock is for warehouse staff; never below zero; NOT_FOUND for unknown SKUs', async () => {
      const adjust = (sku: string, delta: number) => `mutation { adjustStock(sku: "${sku}", delta: ${delta}) { quantityOnHand } }`;
      for (const who of ['ada', 'alice'] as const) expect(codes(await as(who, adjust('MN-003', 1)))).toEqual(['FORBIDDEN']);
      expect((await as('wendy', adjust('MN-003', 2))).body.data.adjustStock).toEqual({ quantityOnHand: 2 });
      expect(codes(await as('wendy', adjust('MN-003', -3)))).toEqual(['BAD_USER_INPUT']);
      expect((await as('wendy', '{ product(sku: "MN-003") { quantityOnHand } }')).body.data.product.quantityOnHand).toBe(2);
      expect(codes(await as('wendy', adjust('NOPE-1', 1)))).toEqual(['NOT_FOUND']);
    });
  });

  describe('across all three subgraphs', () => {
    it('joins orders, inventory and payments in one query', async () => {
      const response = await as('alice', `{
        order(id: "order-1") {
          id
          items { quantity product { sku name priceCents } }
          payments { amountCents status }
        }
      }`);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.order).toEqual({
        id: 'order-1',
        items: [
          { quantity: 1, product: { sku: 'KB-001', name: 'Mechanical Keyboard', priceCents: 4999 } },
          { quantity: 2, product: { sku: 'MS-002', name: 'Wireless Mouse', priceCents: 1999 } },
        ],
        payments: [{ amountCents: 8997, status: 'CAPTURED' }],
      });
    });

    it('keeps partial data when one field is denied', async () => {
      const response = await as('bob', '{ products { sku } order(id: "order-1") { id } myOrders { id } }');
      expect(response.status).toBe(200);
      expect(response.body.data.products).toHaveLength(3);
      expect(response.body.data.order).toBeNull();
      expect(response.body.data.myOrders.map((order: { id: string }) => order.id)).toContain('order-3');
    });

    it('treats role names as data: prototype names grant nothing and break nothing', async () => {
      const token = await stack.token({ sub: 'mallory', roles: ['constructor', '__proto__', 'toString', 'hasOwnProperty'] });
      const response = await stack.query(
        '{ myOrders { id } products { sku quantityOnHand } payment(id: "payment-1") { id } }',
        { token },
      );
      expect(response.status).toBe(200);
      expect(response.body.data.myOrders).toEqual([]);
      expect(response.body.data.products.map((product: { quantityOnHand: unknown }) => product.quantityOnHand)).toEqual([null, null, null]);
      expect(response.body.data.payment).toBeNull();
      expect(new Set(codes(response))).toEqual(new Set(['FORBIDDEN']));
    });

    it('never leaks stack traces or internal URLs', async () => {
      const response = await as('bob', '{ order(id: "order-1") { id } payment(id: "payment-1") { id } }');
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/stacktrace|127\.0\.0\.1|localhost|node_modules/);
    });
  });
});
