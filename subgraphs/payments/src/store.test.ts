import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '#kit';
import { createPaymentsFixture } from './testing.ts';
import { createPaymentStore, type PaymentStore } from './store.ts';

let db: Database;
let store: PaymentStore;

beforeAll(async () => {
  ({ db } = await createPaymentsFixture({ seed: false }));
  store = createPaymentStore(db);
});
afterAll(() => db.close());

beforeEach(async () => {
  await db.exec(`DELETE FROM payments;
    INSERT INTO payments (id, order_id, amount_cents, currency, status, created_at) VALUES
      ('p-late', 'o-1', 300, 'USD', 'CAPTURED', '2026-01-01T12:05:00Z'),
      ('p-early', 'o-1', 100, 'USD', 'CAPTURED', '2026-01-01T12:00:00Z'),
      ('p-other', 'o-2', 200, 'EUR', 'REFUNDED', '2026-01-01T12:00:00Z');`);
});

describe('the payment store', () => {
  it('captures a payment under a fresh id', async () => {
    const payment = await store.capturePayment({ orderId: 'o-3', amountCents: 4999, currency: 'GBP' });
    expect(payment).toMatchObject({ orderId: 'o-3', amountCents: 4999, currency: 'GBP', status: 'CAPTURED' });
    expect(payment.id).toMatch(/^payment-[0-9a-f-]{36}$/);
    expect(payment.createdAt).toBeInstanceOf(Date);
    expect(await store.findPayments([payment.id])).toEqual([payment]);
  });

  it.each([
    ['a zero amount', { amountCents: 0, currency: 'USD' }],
    ['a negative amount', { amountCents: -1, currency: 'USD' }],
    ['a malformed currency', { amountCents: 1, currency: 'usd' }],
  ])('is refused %s by the table itself', async (_case, money) => {
    await expect(store.capturePayment({ orderId: 'o-3', ...money })).rejects.toThrow(/check constraint/);
  });

  it('lists the payments of several orders, oldest first within each', async () => {
    const payments = await store.paymentsOf(['o-1', 'o-2', 'o-none']);
    expect(payments.map((payment) => payment.id)).toEqual(['p-early', 'p-late', 'p-other']);
  });

  it('refunds a captured payment once', async () => {
    expect(await store.refundPayment('p-early')).toMatchObject({ id: 'p-early', status: 'REFUNDED' });
    expect(await store.refundPayment('p-early')).toBeUndefined();
  });

  it('refunds neither a refunded payment nor an unknown one', async () => {
    expect(await store.refundPayment('p-other')).toBeUndefined();
    expect(await store.refundPayment('nope')).toBeUndefined();
  });
});
