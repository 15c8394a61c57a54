/**
 * The orders rows of the contract's who-may-do-what table, through the gateway: run by
 * e2e/contract.test.ts on the in-code rules and by e2e/contractCedar.test.ts with
 * ORDERS_POLICY_ENGINE=cedar.
 */
import { expect, it } from 'vitest';
import { codesOf, type AskAs } from '#kit/testing';

export function describeOrdersContract(as: AskAs) {
  it.each([['alice'], ['wendy'], ['ada']] as const)('order(id) is readable by %s', async (who) => {
    const response = await as(who, '{ order(id: "order-1") { id userId status } }');
    expect(response.body).toEqual({ data: { order: { id: 'order-1', userId: 'alice', status: 'PENDING' } } });
  });

  it.each([
    ['bob', 'FORBIDDEN'],
    ['paula', 'FORBIDDEN'],
    [null, 'UNAUTHENTICATED'],
  ] as const)('order(id) is null with an error for %s', async (who, code) => {
    const response = await as(who, '{ order(id: "order-1") { id } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ order: null });
    expect(codesOf(response)).toEqual([code]);
  });

  it('order(id) of no order is null without an error', async () => {
    expect((await as('bob', '{ order(id: "no-such-order") { id } }')).body).toEqual({ data: { order: null } });
  });

  it('myOrders gives each user their own', async () => {
    const alice = await as('alice', '{ myOrders { id } }');
    expect(alice.body.data.myOrders.map((order: { id: string }) => order.id).sort()).toEqual(['order-1', 'order-2']);
    expect(codesOf(await as(null, '{ myOrders { id } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('orders (all) is for admins only', async () => {
    expect((await as('ada', '{ orders { id } }')).body.data.orders.length).toBeGreaterThanOrEqual(3);
    for (const who of ['alice', 'wendy', 'paula'] as const) {
      expect(codesOf(await as(who, '{ orders { id } }'))).toEqual(['FORBIDDEN']);
    }
  });

  it('placeOrder needs a signed-in user and validates items', async () => {
    const place = 'mutation($items: [OrderItemInput!]!) { placeOrder(items: $items) { userId status } }';
    const placed = await as('bob', place, { items: [{ sku: 'KB-001', quantity: 1 }] });
    expect(placed.body.data.placeOrder).toEqual({ userId: 'bob', status: 'PENDING' });
    expect(codesOf(await as(null, place, { items: [{ sku: 'KB-001', quantity: 1 }] }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await as('bob', place, { items: [{ sku: 'KB-001', quantity: 0 }] }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await as('bob', place, { items: [] }))).toEqual(['BAD_USER_INPUT']);
  });

  it('placeOrder takes only SKUs inventory knows, of at most 64 characters', async () => {
    const place = 'mutation($items: [OrderItemInput!]!) { placeOrder(items: $items) { id } }';
    const unknown = await as('bob', place, {
      items: [
        { sku: 'KB-001', quantity: 1 },
        { sku: 'NO-SUCH-SKU', quantity: 1 },
      ],
    });
    expect(unknown.body.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(unknown.body.errors![0]!.message).toContain('NO-SUCH-SKU');
    expect(codesOf(await as('bob', place, { items: [{ sku: 'K'.repeat(65), quantity: 1 }] }))).toEqual(['BAD_USER_INPUT']);
    const mine = await as('bob', '{ myOrders { items { product { sku } } } }');
    const skus = mine.body.data.myOrders.flatMap((order: { items: { product: { sku: string } }[] }) =>
      order.items.map((item) => item.product.sku),
    );
    expect(skus).not.toContain('NO-SUCH-SKU');
  });

  it('cancelOrder: owner only, pending only, within 30 minutes, NOT_FOUND first', async () => {
    const cancel = (id: string) => `mutation { cancelOrder(id: "${id}") { id status } }`;
    const bobsOwn = await as('bob', 'mutation { placeOrder(items: [{ sku: "MS-002", quantity: 1 }]) { id } }');
    const id = bobsOwn.body.data.placeOrder.id;
    expect(codesOf(await as('alice', cancel(id)))).toEqual(['FORBIDDEN']);
    expect(codesOf(await as('ada', cancel(id)))).toEqual(['FORBIDDEN']);
    expect((await as('bob', cancel(id))).body.data.cancelOrder).toEqual({ id, status: 'CANCELLED' });
    const again = await as('bob', cancel(id));
    expect(codesOf(again)).toEqual(['FORBIDDEN']);
    expect(again.body.errors![0]!.message).toBe('Only a pending order can be cancelled');
    const tooOld = await as('alice', cancel('order-2'));
    expect(tooOld.body.errors![0]).toMatchObject({
      message: 'An order can only be cancelled within 30 minutes of being placed',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(codesOf(await as('alice', cancel('no-such-order')))).toEqual(['NOT_FOUND']);
  });

  it('processOrder is for warehouse staff only', async () => {
    const placed = await as('alice', 'mutation { placeOrder(items: [{ sku: "KB-001", quantity: 2 }]) { id } }');
    const process = `mutation { processOrder(id: "${placed.body.data.placeOrder.id}") { status } }`;
    for (const who of ['alice', 'ada', 'paula'] as const) {
      const denied = await as(who, process);
      expect(denied.body.errors![0]).toMatchObject({
        message: 'Only warehouse staff can process orders',
        extensions: { code: 'FORBIDDEN' },
      });
    }
    expect((await as('wendy', process)).body.data.processOrder).toEqual({ status: 'PROCESSED' });
    expect(codesOf(await as('wendy', process))).toEqual(['FORBIDDEN']);
  });

  it('keeps orderExists out of the public graph', async () => {
    const response = await as('paula', '{ orderExists(id: "order-1") }');
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
}
