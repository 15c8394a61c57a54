import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { groupBy, type Database } from '#kit';

export type PaymentStatus = 'CAPTURED' | 'REFUNDED';

export interface Payment {
  id: string;
  orderId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  createdAt: Date;
}

export interface NewPayment {
  orderId: string;
  amountCents: number;
  currency: string;
}

const PAYMENT_COLUMNS = 'id, order_id AS "orderId", amount_cents AS "amountCents", currency, status, created_at AS "createdAt"';

/** All SQL of the payments domain. */
export function createPaymentStore(db: Database) {
  return {
    async findPayments(ids: readonly string[]): Promise<Payment[]> {
      return db.query<Payment>(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = ANY($1)`, [ids]);
    },

    async paymentsOf(orderIds: readonly string[]): Promise<Payment[]> {
      return db.query<Payment>(
        `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = ANY($1) ORDER BY order_id, created_at, id`,
        [orderIds],
      );
    },

    async capturePayment(payment: NewPayment): Promise<Payment> {
      const [captured] = await db.query<Payment>(
        `INSERT INTO payments (id, order_id, amount_cents, currency) VALUES ($1, $2, $3, $4)
         RETURNING ${PAYMENT_COLUMNS}`,
        [`payment-${randomUUID()}`, payment.orderId, payment.amountCents, payment.currency],
      );
      return captured!;
    },

    /**
     * Refunds only if still captured at the moment of writing: the rule's check may be stale, and
     * of many concurrent refunds of one payment exactly one must win.
     */
    async refundPayment(id: string): Promise<Payment | undefined> {
      const [refunded] = await db.query<Payment>(
        `UPDATE payments SET status = 'REFUNDED' WHERE id = $1 AND status = 'CAPTURED'
         RETURNING ${PAYMENT_COLUMNS}`,
        [id],
      );
      return refunded;
    },
  };
}

export type PaymentStore = ReturnType<typeof createPaymentStore>;

/** Per-request batching: N payments, or the payments of N orders, cost one query. */
export function createPaymentLoaders(store: PaymentStore) {
  return {
    payment: new DataLoader<string, Payment | null>(async (ids) => {
      const found = new Map((await store.findPayments(ids)).map((payment) => [payment.id, payment]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    paymentsOfOrder: new DataLoader<string, Payment[]>(async (orderIds) => {
      const byOrder = groupBy(await store.paymentsOf(orderIds), (payment) => payment.orderId);
      return orderIds.map((id) => byOrder.get(id) ?? []);
    }),
  };
}

export type PaymentLoaders = ReturnType<typeof createPaymentLoaders>;
