/** The bare payments subgraph: each order's payments, one batched lookup per request. */
import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { createdAtOf, type BenchData } from './data.ts';
import type { BareDatabase } from './database.ts';
import { startBareSubgraph, type BareServer } from './server.ts';

interface PaymentRow {
  id: string;
  order_id: string;
  amount_cents: number;
  currency: string;
  status: string;
  created_at: Date;
}

interface Context {
  byOrder: DataLoader<string, PaymentRow[]>;
  byId: DataLoader<string, PaymentRow | null>;
}

const COLUMNS = 'id, order_id, amount_cents, currency, status, created_at';

export function startBarePayments(db: BareDatabase, port: number): Promise<BareServer> {
  const resolvers = {
    Query: {
      payment: (_: unknown, { id }: { id: string }, { byId }: Context) => byId.load(id),
    },
    Payment: {
      __resolveReference: ({ id }: { id: string }, { byId }: Context) => byId.load(id),
      order: (row: PaymentRow) => ({ __typename: 'Order', id: row.order_id }),
      amountCents: (row: PaymentRow) => row.amount_cents,
      createdAt: (row: PaymentRow) => row.created_at.toISOString(),
    },
    Order: {
      payments: ({ id }: { id: string }, _args: unknown, { byOrder }: Context) => byOrder.load(id),
    },
  };
  const context = (): Context => ({
    byOrder: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.query<PaymentRow>(
        `SELECT ${COLUMNS} FROM payments WHERE order_id = ANY($1) ORDER BY order_id, created_at, id`,
        [ids],
      );
      return ids.map((id) => rows.filter((row) => row.order_id === id));
    }),
    byId: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE id = ANY($1)`, [ids]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  });
  return startBareSubgraph<Context>('payments', resolvers, context, port);
}

export async function loadBarePayments(db: BareDatabase, data: BenchData): Promise<void> {
  for (const [index, order] of data.orders.entries()) {
    await db.query('INSERT INTO payments (id, order_id, amount_cents, currency, created_at) VALUES ($1, $2, $3, $4, $5)', [
      randomUUID(),
      order.id,
      order.amountCents,
      'USD',
      createdAtOf(index),
    ]);
  }
}
