import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries, type Database } from '#kit';
import { onwardIdentityHeader } from '#identity';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import { OrderDirectoryUnavailable } from './orderDirectory.ts';
import { createPaymentsService } from './service.ts';
import { createPaymentsFixture, fakeOrderDirectory } from './testing.ts';

const paula = viewer('paula', 'payment_processor');
const ada = viewer('ada', 'admin');
let db: Database;
let service: ReturnType<typeof createPaymentsService>;

beforeAll(async () => {
  ({ db, service } = await createPaymentsFixture());
});
afterAll(() => db.close());

const countPayments = async () => (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM payments'))[0]!.count;

const initiate = `mutation($orderId: ID!, $amountCents: Int!, $currency: String) {
  initiatePayment(orderId: $orderId, amountCents: $amountCents, currency: $currency) {
    id amountCents currency status createdAt
  }
}`;

describe('initiatePayment', () => {
  it('captures the payment, in USD unless told otherwise', async () => {
    const result = await executeAs(service, paula, initiate, { orderId: 'order-2', amountCents: 1999 });
    const payment = result.data?.initiatePayment as { id: string; createdAt: string };
    expect(payment).toMatchObject({ amountCents: 1999, currency: 'USD', status: 'CAPTURED' });
    const [stored] = await db.query<{ order_id: string }>('SELECT order_id FROM payments WHERE id = $1', [payment.id]);
    expect(stored?.order_id).toBe('order-2');
    expect(new Date(payment.createdAt).toISOString()).toBe(payment.createdAt);
    const again = await executeAs(service, paula, `{ payment(id: "${payment.id}") { amountCents status } }`);
    expect(again.data?.payment).toEqual({ amountCents: 1999, status: 'CAPTURED' });
  });

  it('asks the order directory with the request as it arrived, onward token included', async () => {
    const orders = fakeOrderDirectory();
    const headers = { [onwardIdentityHeader('orders')]: 'token-for-orders' };
    const withDirectory = createPaymentsService({ db, orders: orders.directory });
    await executeAs(withDirectory, paula, initiate, { orderId: 'order-1', amountCents: 100, currency: 'EUR' }, headers);
    expect(orders.asked).toEqual([{ orderId: 'order-1', request: { viewer: paula, headers, requestId: 'test-request' } }]);
  });

  it.each([
    ['a zero amount', 0, 'USD'],
    ['a negative amount', -100, 'USD'],
    ['a lower-case currency', 100, 'usd'],
    ['a two-letter currency', 100, 'US'],
    ['a currency name', 100, 'DOLLARS'],
    ['an empty currency', 100, ''],
  ])('refuses %s with BAD_USER_INPUT, before asking orders, and stores nothing', async (_case, amountCents, currency) => {
    const orders = fakeOrderDirectory();
    const before = await countPayments();
    const result = await executeAs(createPaymentsService({ db, orders: orders.directory }), paula, initiate, {
      orderId: 'order-1',
      amountCents,
      currency,
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(orders.asked).toEqual([]);
    expect(await countPayments()).toBe(before);
  });

  it('answers NOT_FOUND for an order orders does not know, and stores nothing', async () => {
    const before = await countPayments();
    const result = await executeAs(service, paula, initiate, { orderId: 'order-404', amountCents: 100 });
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    expect(result.errors?.[0]?.message).toBe('No order with id order-404');
    expect(await countPayments()).toBe(before);
  });

  it('fails the mutation, storing nothing, when orders cannot say whether the order exists', async () => {
    const unavailable = createPaymentsService({
      db,
      orders: {
        exists: async () => Promise.reject(new OrderDirectoryUnavailable('orders answered HTTP 503')),
        readable: async () => Promise.reject(new OrderDirectoryUnavailable('orders answered HTTP 503')),
      },
    });
    const before = await countPayments();
    const result = await executeAs(unavailable, paula, initiate, { orderId: 'order-1', amountCents: 100 });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.originalError).toBeInstanceOf(OrderDirectoryUnavailable);
    // A code that tells the client to retry, and words without the operator's detail.
    expect(result.errors?.[0]).toMatchObject({
      message: 'The orders service is unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    expect(await countPayments()).toBe(before);
  });
});

describe('refundPayment', () => {
  it('marks a captured payment refunded and leaves the rest of it alone', async () => {
    const refund = 'mutation { refundPayment(id: "payment-2") { id amountCents currency status } }';
    const result = await executeAs(service, ada, refund);
    expect(result).toEqual({
      data: { refundPayment: { id: 'payment-2', amountCents: 17999, currency: 'USD', status: 'REFUNDED' } },
    });
  });
});

describe('reading', () => {
  // The demo data untouched by the mutations above.
  let demo: Database;
  beforeAll(async () => {
    ({ db: demo } = await createPaymentsFixture());
  });
  afterAll(() => demo.close());

  const countingQueries = (statements: string[]) =>
    createPaymentsService({
      db: observeQueries(demo, (sql) => statements.push(sql)),
      orders: fakeOrderDirectory().directory,
    });

  it('lists the payments of many orders with one query, an order without payments included', async () => {
    const statements: string[] = [];
    const representations = [
      { __typename: 'Order', id: 'order-1', userId: 'alice' },
      { __typename: 'Order', id: 'order-2', userId: 'alice' },
      { __typename: 'Order', id: 'order-3', userId: 'bob' },
    ];
    const result = await executeAs(
      countingQueries(statements),
      paula,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id payments { id } } } }',
      { r: representations },
    );
    expect(result.data?._entities).toEqual([
      { id: 'order-1', payments: [{ id: 'payment-1' }] },
      { id: 'order-2', payments: [] },
      { id: 'order-3', payments: [{ id: 'payment-2' }] },
    ]);
    expect(statements).toHaveLength(1);
  });

  it('resolves many payment references with one query', async () => {
    const statements: string[] = [];
    const representations = ['payment-1', 'payment-2', 'nope'].map((id) => ({ __typename: 'Payment', id }));
    const result = await executeAs(
      countingQueries(statements),
      ada,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id amountCents } } }',
      { r: representations },
    );
    expect(result.data?._entities).toEqual([
      { id: 'payment-1', amountCents: 8997 },
      { id: 'payment-2', amountCents: 17999 },
      null,
    ]);
    expect(statements).toHaveLength(1);
  });
});
