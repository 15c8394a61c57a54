/**
 * The payments rows of the contract's who-may-do-what table, through the gateway, run by
 * e2e/contract.test.ts on each database driver.
 */
import { expect, it } from 'vitest';
import { codesOf, type AskAs } from '#kit/testing';

export function describePaymentsContract(as: AskAs) {
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
      expect(codesOf(response)).toContain(code);
    }
  });

  it('Payment.order follows the orders rules: a processor sees the payment, not the order', async () => {
    const paula = await as('paula', '{ payment(id: "payment-1") { amountCents order { id status } } }');
    expect(paula.body.data.payment).toEqual({ amountCents: 8997, order: null });
    expect(codesOf(paula)).toContain('FORBIDDEN');
    // The key alone is payments' to give, yet orders still decides.
    const keyOnly = await as('paula', '{ payment(id: "payment-1") { order { id } } }');
    expect(keyOnly.body.data.payment).toEqual({ order: null });
    expect(codesOf(keyOnly)).toEqual(['FORBIDDEN']);
    const ada = await as('ada', '{ payment(id: "payment-1") { order { id userId status } } }');
    expect(ada.body.data.payment.order).toEqual({ id: 'order-1', userId: 'alice', status: expect.any(String) });
  });

  it('Order.payments is for the owner, payment processors and admins', async () => {
    const alice = await as('alice', '{ order(id: "order-1") { payments { id amountCents status } } }');
    expect(alice.body.data.order.payments).toEqual([{ id: 'payment-1', amountCents: 8997, status: 'CAPTURED' }]);
    const wendy = await as('wendy', '{ order(id: "order-1") { id payments { id } } }');
    expect(wendy.body.data.order).toEqual({ id: 'order-1', payments: null });
    expect(codesOf(wendy)).toEqual(['FORBIDDEN']);
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
      expect(codesOf(await as(who, initiate('order-3', 500)))).toEqual(['FORBIDDEN']);
    expect(codesOf(await as(null, initiate('order-3', 500)))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await as('paula', initiate('order-3', 0)))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await as('paula', initiate('no-such-order', 500)))).toEqual(['NOT_FOUND']);
  });

  it('refundPayment: processors and admins, CAPTURED only', async () => {
    const created = await as('paula', 'mutation { initiatePayment(orderId: "order-2", amountCents: 100) { id } }');
    const id = created.body.data.initiatePayment.id;
    const refund = `mutation { refundPayment(id: "${id}") { id status } }`;
    expect(codesOf(await as('alice', refund))).toEqual(['FORBIDDEN']);
    expect((await as('ada', refund)).body.data.refundPayment).toEqual({ id, status: 'REFUNDED' });
    expect(codesOf(await as('paula', refund))).toEqual(['FORBIDDEN']);
    expect(codesOf(await as('paula', 'mutation { refundPayment(id: "no-such-payment") { id } }'))).toEqual(['NOT_FOUND']);
  });
}
