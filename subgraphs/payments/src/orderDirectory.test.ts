/**
 * The HTTP order directory against a stand-in for the orders subgraph (built from the kit, see
 * testing.ts), served on a loopback port behind the kit's identity guard, the way payments reaches
 * orders in production. The real pair meets in the e2e stack (e2e/contract.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onwardIdentityHeader, type Viewer } from '#identity';
import { type IncomingRequest, type RunningServer } from '#kit';
import { createTestSigningKey, mintIdentity, viewer, type TestSigningKey } from '#identity/testing';
import { errorCodes, executeAs, serveBehindIdentityGuard } from '#kit/testing';
import { createHttpOrderDirectory, OrderDirectoryUnavailable, type OrderDirectory } from './orderDirectory.ts';
import { createPaymentsFixture, ORDERS_STAND_IN_REFUSAL, ordersStandInService } from './testing.ts';

const paula = viewer('paula', 'payment_processor');

let key: TestSigningKey;
let orders: RunningServer;
let directory: OrderDirectory;

beforeAll(async () => {
  key = await createTestSigningKey();
  orders = await serveBehindIdentityGuard(ordersStandInService(), key);
  directory = createHttpOrderDirectory({ url: orders.url });
});
afterAll(() => orders?.stop());

/** What payments receives from the gateway: `who`, and a token for orders minted for `audience`. */
async function requestFrom(who: Viewer, audience = 'orders'): Promise<IncomingRequest> {
  const token = await mintIdentity(who, { audience, key });
  return { viewer: who, headers: { [onwardIdentityHeader('orders')]: token }, requestId: 'request-1' };
}

describe('the HTTP order directory', () => {
  it('lets orders judge who may read an order, passing its words and code on', async () => {
    const ada = viewer('ada', 'admin');
    expect(await directory.readable(['order-1', 'order-404'], await requestFrom(ada))).toEqual([true, true]);
    const verdicts = await directory.readable(['order-1', 'order-3'], await requestFrom(viewer('bob')));
    expect(verdicts[1]).toBe(true);
    expect(verdicts[0]).toMatchObject({
      message: ORDERS_STAND_IN_REFUSAL,
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('says an order exists when orders has it', async () => {
    expect(await directory.exists('order-1', await requestFrom(paula))).toBe(true);
  });

  it('says an order does not exist when orders has none', async () => {
    expect(await directory.exists('order-404', await requestFrom(paula))).toBe(false);
  });

  it('refuses to ask without the onward token for orders', async () => {
    const request = { viewer: paula, headers: { 'x-identity-token': 'the token for payments' }, requestId: 'request-2' };
    await expect(directory.exists('order-1', request)).rejects.toThrow(OrderDirectoryUnavailable);
    await expect(directory.exists('order-1', request)).rejects.toMatchObject({
      detail: expect.stringMatching(/no identity token for orders/),
    });
  });

  it('fails clearly when orders rejects the token (minted for another subgraph)', async () => {
    const request = await requestFrom(paula, 'payments');
    await expect(directory.exists('order-1', request)).rejects.toMatchObject({ detail: 'orders answered HTTP 401' });
  });

  it('fails clearly when orders denies the caller', async () => {
    const request = await requestFrom(viewer('alice'));
    await expect(directory.exists('order-1', request)).rejects.toMatchObject({
      detail: expect.stringMatching(/orderExists with an error: .*\(FORBIDDEN\)/),
    });
  });

  it('fails clearly when orders cannot be reached', async () => {
    const nowhere = createHttpOrderDirectory({ url: 'http://127.0.0.1:1/graphql', timeoutMs: 1_000 });
    await expect(nowhere.exists('order-1', await requestFrom(paula))).rejects.toMatchObject({
      detail: expect.stringMatching(/orders could not be reached/),
    });
  });
});

describe('initiatePayment, asking orders over HTTP', () => {
  let payments: Awaited<ReturnType<typeof createPaymentsFixture>>;
  beforeAll(async () => {
    payments = await createPaymentsFixture({ orders: directory });
  });
  afterAll(() => payments.db.close());

  const initiate = (orderId: string) => `mutation { initiatePayment(orderId: "${orderId}", amountCents: 500) { status } }`;

  it('captures a payment for an order orders knows', async () => {
    const { headers } = await requestFrom(paula);
    const result = await executeAs(payments.service, paula, initiate('order-3'), undefined, headers);
    expect(result).toEqual({ data: { initiatePayment: { status: 'CAPTURED' } } });
  });

  it('answers NOT_FOUND for an order orders does not know', async () => {
    const { headers } = await requestFrom(paula);
    const result = await executeAs(payments.service, paula, initiate('order-404'), undefined, headers);
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
  });
});
