/**
 * Every row of the contract's who-may-do-what table, through the gateway, on each database driver.
 * Each subgraph's rows are written beside its policy (`subgraphs/<name>/src/permissions.e2e.ts`);
 * the rows that join subgraphs are here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInventoryContract } from '../subgraphs/inventory/src/permissions.e2e.ts';
import { describeOrdersContract } from '../subgraphs/orders/src/permissions.e2e.ts';
import { describePaymentsContract } from '../subgraphs/payments/src/permissions.e2e.ts';
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

  describe('orders', () => describeOrdersContract(as));

  describe('payments', () => describePaymentsContract(as));

  describe('inventory', () => describeInventoryContract(as));

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
