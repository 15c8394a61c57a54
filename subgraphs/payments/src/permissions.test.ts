import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import { NO_RULE_MESSAGE, type Database } from '#kit';
import { createPaymentsFixture, ORDERS_STAND_IN_REFUSAL } from './testing.ts';

const alice = viewer('alice');
const bob = viewer('bob');
const wendy = viewer('wendy', 'warehouse_staff');
const paula = viewer('paula', 'payment_processor');
const ada = viewer('ada', 'admin');
const anonymous = viewer(null);

let db: Database;
let service: Awaited<ReturnType<typeof createPaymentsFixture>>['service'];

beforeAll(async () => {
  ({ db, service } = await createPaymentsFixture({ seed: false }));
});
afterAll(() => db.close());

// order-1 is alice's and order-3 bob's, as in the demo data the fake order directory knows.
beforeEach(async () => {
  await db.exec(`DELETE FROM payments;
    INSERT INTO payments (id, order_id, amount_cents, currency, status) VALUES
      ('pay-alice', 'order-1', 8997, 'USD', 'CAPTURED'),
      ('pay-alice-refunded', 'order-1', 500, 'EUR', 'REFUNDED'),
      ('pay-bob', 'order-3', 17999, 'USD', 'CAPTURED');`);
});

const READ_PAYMENTS_DENIED = 'Only payment processors and admins can read payments';

const readPayment = (id: string) => `{ payment(id: "${id}") { id amountCents currency status createdAt } }`;

describe('payment(id)', () => {
  it.each([
    ['a payment processor', paula],
    ['an admin', ada],
  ])('is allowed to %s', async (_who, who) => {
    const result = await executeAs(service, who, readPayment('pay-alice'));
    expect(result.errors).toBeUndefined();
    expect(result.data?.payment).toMatchObject({
      id: 'pay-alice',
      amountCents: 8997,
      currency: 'USD',
      status: 'CAPTURED',
    });
  });

  it.each([
    ["the order's owner", alice],
    ['another customer', bob],
    ['warehouse staff', wendy],
  ])('is denied to %s', async (_who, who) => {
    const result = await executeAs(service, who, readPayment('pay-alice'));
    expect(result.data?.payment).toBeNull();
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.message).toBe(READ_PAYMENTS_DENIED);
  });

  it('asks anonymous callers to sign in', async () => {
    const result = await executeAs(service, anonymous, readPayment('pay-alice'));
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers null without an error for a payment that does not exist', async () => {
    expect(await executeAs(service, paula, readPayment('nope'))).toEqual({ data: { payment: null } });
  });

  it("gives the payment's order, as a reference, to those orders lets read it", async () => {
    const result = await executeAs(service, ada, '{ payment(id: "pay-alice") { order { id } } }');
    expect(result).toEqual({ data: { payment: { order: { id: 'order-1' } } } });
  });

  it("hides the payment's order, even its id, from a payment processor, in the words orders refused with", async () => {
    const result = await executeAs(service, paula, '{ payment(id: "pay-alice") { amountCents order { id } } }');
    expect(result.data).toEqual({ payment: { amountCents: 8997, order: null } });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.message).toBe(ORDERS_STAND_IN_REFUSAL);
  });
});

describe('a Payment entity reference (reached other than through Order.payments)', () => {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id amountCents } } }`;
  const representations = [{ __typename: 'Payment', id: 'pay-alice' }];

  it.each([
    ['a payment processor', paula],
    ['an admin', ada],
  ])('is readable by %s', async (_who, who) => {
    const result = await executeAs(service, who, query, { r: representations });
    expect(result).toEqual({ data: { _entities: [{ id: 'pay-alice', amountCents: 8997 }] } });
  });

  it.each([
    ["the order's owner", alice],
    ['warehouse staff', wendy],
  ])('is denied to %s', async (_who, who) => {
    const result = await executeAs(service, who, query, { r: representations });
    expect(result.data?._entities).toEqual([null]);
    expect(errorCodes(result)).toContain('FORBIDDEN');
    expect(result.errors?.[0]?.message).toBe(READ_PAYMENTS_DENIED);
  });
});

describe('Order.payments (an Order representation carrying userId, as @requires has the gateway send)', () => {
  const query = `query($r: [_Any!]!) {
    _entities(representations: $r) { ... on Order { id payments { id amountCents status } } }
  }`;
  const aliceOrder = [{ __typename: 'Order', id: 'order-1', userId: 'alice' }];
  const alicePayments = [
    { id: 'pay-alice', amountCents: 8997, status: 'CAPTURED' },
    { id: 'pay-alice-refunded', amountCents: 500, status: 'REFUNDED' },
  ];

  it.each([
    ["the order's owner", alice],
    ['a payment processor', paula],
    ['an admin', ada],
  ])('lists the payments, and lets them be read, for %s', async (_who, who) => {
    const result = await executeAs(service, who, query, { r: aliceOrder });
    expect(result).toEqual({ data: { _entities: [{ id: 'order-1', payments: alicePayments }] } });
  });

  it.each([
    ['another customer', bob, 'FORBIDDEN'],
    ['warehouse staff', wendy, 'FORBIDDEN'],
    ['an anonymous caller', anonymous, 'UNAUTHENTICATED'],
  ])('is denied to %s, leaving the order itself', async (_who, who, code) => {
    const result = await executeAs(service, who, query, { r: aliceOrder });
    expect(result.data?._entities).toEqual([{ id: 'order-1', payments: null }]);
    expect(errorCodes(result)).toEqual([code]);
  });

  it('names the rule when it denies', async () => {
    const result = await executeAs(service, bob, query, { r: aliceOrder });
    expect(result.errors?.[0]?.message).toBe("Only the order's owner, payment processors and admins can read its payments");
  });

  it('denies a customer when the representation does not say who owns the order', async () => {
    const result = await executeAs(service, alice, query, { r: [{ __typename: 'Order', id: 'order-1' }] });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });

  it('recognises the payments of an order under an alias', async () => {
    const aliased = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { paid: payments { id } } } }`;
    const result = await executeAs(service, alice, aliased, { r: aliceOrder });
    expect(result).toEqual({ data: { _entities: [{ paid: [{ id: 'pay-alice' }, { id: 'pay-alice-refunded' }] }] } });
  });
});

describe('initiatePayment', () => {
  const initiate = (orderId: string) =>
    `mutation { initiatePayment(orderId: "${orderId}", amountCents: 1250) { amountCents status } }`;

  it('is allowed to a payment processor', async () => {
    const result = await executeAs(service, paula, initiate('order-3'));
    expect(result).toEqual({
      data: { initiatePayment: { amountCents: 1250, status: 'CAPTURED' } },
    });
  });

  it.each([
    ["the order's owner", bob],
    ['an admin', ada],
    ['warehouse staff', wendy],
  ])('is refused to %s', async (_who, who) => {
    const result = await executeAs(service, who, initiate('order-3'));
    expect(result.data).toBeNull();
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.message).toBe('Only payment processors can initiate payments');
  });

  it('asks anonymous callers to sign in', async () => {
    const result = await executeAs(service, anonymous, initiate('order-3'));
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers NOT_FOUND for an order that does not exist', async () => {
    const result = await executeAs(service, paula, initiate('nope'));
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
  });
});

describe('refundPayment', () => {
  const refund = (id: string) => `mutation { refundPayment(id: "${id}") { id status } }`;

  it.each([
    ['a payment processor', paula],
    ['an admin', ada],
  ])('is allowed to %s', async (_who, who) => {
    const result = await executeAs(service, who, refund('pay-alice'));
    expect(result).toEqual({ data: { refundPayment: { id: 'pay-alice', status: 'REFUNDED' } } });
  });

  it.each([
    ["the order's owner", alice],
    ['warehouse staff', wendy],
  ])('is refused to %s', async (_who, who) => {
    const result = await executeAs(service, who, refund('pay-alice'));
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.message).toBe('Only payment processors and admins can refund payments');
  });

  it('asks anonymous callers to sign in', async () => {
    const result = await executeAs(service, anonymous, refund('pay-alice'));
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers NOT_FOUND for an unknown id, once the role allows refunds', async () => {
    expect(errorCodes(await executeAs(service, paula, refund('nope')))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await executeAs(service, alice, refund('nope')))).toEqual(['FORBIDDEN']);
  });

  it('refuses a payment that is not captured', async () => {
    const result = await executeAs(service, ada, refund('pay-alice-refunded'));
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.message).toBe('Only a captured payment can be refunded');
  });
});

describe('anything no rule names', () => {
  it('keeps the federation SDL available to gateway callers', async () => {
    const result = await executeAs(service, anonymous, '{ _service { sdl } }');
    expect(result.data?._service).toMatchObject({ sdl: expect.stringContaining('type Payment') });
  });

  it("is denied, such as orders' own userId lent for @requires", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { userId } } }`;
    const representations = [{ __typename: 'Order', id: 'order-1', userId: 'alice' }];
    const result = await executeAs(service, ada, query, { r: representations });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.message).toBe(NO_RULE_MESSAGE);
  });
});
