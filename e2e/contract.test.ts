/**
 * Every row of the contract's who-may-do-what table, through the gateway, on each database driver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS } from './drivers.ts';
import { describeOrdersContract } from './ordersContract.ts';
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

  describe('orders', () => describeOrdersContract(as));

  describe('payments', () => {
    it('payment(id) is for payment processors and admins', async () => {
      for (const who of ['paula', 'ada'] as const) {
        const response = await as(who, '{ payment(id: "payment-1") { id amountCents currency status } }');
        expect(response.body.data.payment).toEqual({ id: 'payment-1', amountCents: 8997, currency: 'USD', status: 'CAPTURED' });
      }
      for (const [who, code] of [
        ['alice', 'FORBIDDEN'],
        ['wendy', 'FORBIDDEN'],
        [null, 'UNAUTHENTICATED'],
      ] as const) {
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
      for (const who of ['ada', 'alice', 'wendy'] as const)
        expect(codes(await as(who, initiate('order-3', 500)))).toEqual(['FORBIDDEN']);
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
      const adjust = (sku: string, delta: number) =>
        `mutation { adjustStock(sku: "${sku}", delta: ${delta}) { quantityOnHand } }`;
      for (const who of ['ada', 'alice'] as const) expect(codes(await as(who, adjust('MN-003', 1)))).toEqual(['FORBIDDEN']);
      expect((await as('wendy', adjust('MN-003', 2))).body.data.adjustStock).toEqual({ quantityOnHand: 2 });
      expect(codes(await as('wendy', adjust('MN-003', -3)))).toEqual(['BAD_USER_INPUT']);
      expect((await as('wendy', '{ product(sku: "MN-003") { quantityOnHand } }')).body.data.product.quantityOnHand).toBe(2);
      expect(codes(await as('wendy', adjust('NOPE-1', 1)))).toEqual(['NOT_FOUND']);
    });
  });

  describe('across all three subgraphs', () => {
    it('joins orders, inventory and payments in one query', async () => {
      const response = await as(
        'alice',
        `{
        order(id: "order-1") {
          id
          items { quantity product { sku name priceCents } }
          payments { amountCents status }
        }
      }`,
      );
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
      const response = await stack.query('{ myOrders { id } products { sku quantityOnHand } payment(id: "payment-1") { id } }', {
        token,
      });
      expect(response.status).toBe(200);
      expect(response.body.data.myOrders).toEqual([]);
      expect(response.body.data.products.map((product: { quantityOnHand: unknown }) => product.quantityOnHand)).toEqual([
        null,
        null,
        null,
      ]);
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
