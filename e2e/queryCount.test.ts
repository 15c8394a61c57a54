/**
 * A customer's orders with their items, products and payments (the bench's scenario 2) cost a
 * fixed number of SQL statements whatever the number of orders: items, `Order.payments` and the
 * entity references each subgraph resolves are batched per request with DataLoader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '#roster';
import { startStack, type Stack } from './stack.ts';

const MY_ORDERS =
  'query MyOrders { myOrders { id status items { quantity product { name priceCents } } payments { amountCents status } } }';
const PLACE = 'mutation Place($items: [OrderItemInput!]!) { placeOrder(items: $items) { id } }';
const PAY = 'mutation Pay($orderId: ID!, $amount: Int!) { initiatePayment(orderId: $orderId, amountCents: $amount) { id } }';
const ITEMS = [
  { sku: 'KB-001', quantity: 1 },
  { sku: 'MS-002', quantity: 2 },
  { sku: 'MN-003', quantity: 3 },
];

describe('SQL statements per myOrders request (orders, items, products, payments)', () => {
  const statements: Record<SubgraphName, string[]> = { orders: [], payments: [], inventory: [] };
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ onQuery: (subgraph, sql) => statements[subgraph].push(sql) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Places `count` paid orders for a new customer, then counts what one myOrders request costs. */
  async function statementsFor(sub: string, count: number): Promise<Record<SubgraphName, number>> {
    const customer = await stack.token({ sub });
    const processor = await stack.token({ sub: 'query-count-paula', roles: ['payment_processor'] });
    const orderIds: string[] = [];
    for (let index = 0; index < count; index++) {
      const placed = await stack.query(PLACE, { token: customer, variables: { items: ITEMS } });
      const id = placed.body.data.placeOrder.id as string;
      const paid = await stack.query(PAY, { token: processor, variables: { orderId: id, amount: 100 } });
      expect(paid.body.errors).toBeUndefined();
      orderIds.push(id);
    }
    for (const name of SUBGRAPH_NAMES) statements[name].length = 0;
    const answer = await stack.query(MY_ORDERS, { token: customer });
    expect(answer.body.errors).toBeUndefined();
    const orders: { id: string; items: unknown[]; payments: unknown[] }[] = answer.body.data.myOrders;
    expect(orders.map((order) => order.id).sort()).toEqual([...orderIds].sort());
    for (const order of orders) {
      expect(order.items).toHaveLength(ITEMS.length);
      expect(order.payments).toEqual([{ amountCents: 100, status: 'CAPTURED' }]);
    }
    return { orders: statements.orders.length, payments: statements.payments.length, inventory: statements.inventory.length };
  }

  it('is the same for 1 order and for 10: one per list, whatever its length', async () => {
    const one = await statementsFor('one-order-customer', 1);
    const ten = await statementsFor('ten-order-customer', 10);
    expect(ten).toEqual(one);
    // orders: the orders, then all their items; payments: all the orders' payments; inventory: the products.
    expect(ten).toEqual({ orders: 2, payments: 1, inventory: 1 });
  });
});
