/** The bare orders subgraph: a user's orders and their items, batched per request. */
import DataLoader from 'dataloader';
import { createdAtOf, type BenchData } from './data.ts';
import type { BareDatabase } from './database.ts';
import { startBareSubgraph, type BareServer } from './server.ts';

interface OrderRow {
  id: string;
  user_id: string;
  status: string;
  created_at: Date;
}

interface ItemRow {
  order_id: string;
  sku: string;
  quantity: number;
}

interface Context {
  userId: string | undefined;
  orders: DataLoader<string, OrderRow | null>;
  items: DataLoader<string, ItemRow[]>;
}

const COLUMNS = 'id, user_id, status, created_at';

export function startBareOrders(db: BareDatabase, port: number): Promise<BareServer> {
  const resolvers = {
    Query: {
      order: (_: unknown, { id }: { id: string }, { orders }: Context) => orders.load(id),
      myOrders: (_: unknown, _args: unknown, { userId }: Context) =>
        db.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE user_id = $1 ORDER BY created_at DESC, id`, [userId]),
      orders: () => db.query<OrderRow>(`SELECT ${COLUMNS} FROM orders ORDER BY created_at DESC, id`),
    },
    Order: {
      __resolveReference: ({ id }: { id: string }, { orders }: Context) => orders.load(id),
      userId: (row: OrderRow) => row.user_id,
      createdAt: (row: OrderRow) => row.created_at.toISOString(),
      items: (row: OrderRow, _args: unknown, { items }: Context) => items.load(row.id),
    },
    OrderItem: {
      product: (item: ItemRow) => ({ __typename: 'Product', sku: item.sku }),
    },
  };
  const context = (userId: string | undefined): Context => ({
    userId,
    orders: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id = ANY($1)`, [ids]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    items: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.query<ItemRow>(
        'SELECT order_id, sku, quantity FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, position',
        [ids],
      );
      return ids.map((id) => rows.filter((row) => row.order_id === id));
    }),
  });
  return startBareSubgraph<Context>('orders', resolvers, context, port);
}

export async function loadBareOrders(db: BareDatabase, data: BenchData): Promise<void> {
  for (const [index, order] of data.orders.entries()) {
    await db.query('INSERT INTO orders (id, user_id, status, created_at) VALUES ($1, $2, $3, $4)', [
      order.id,
      order.userId,
      'PENDING',
      createdAtOf(index),
    ]);
    for (const [position, item] of order.items.entries()) {
      await db.query('INSERT INTO order_items (order_id, position, sku, quantity) VALUES ($1, $2, $3, $4)', [
        order.id,
        position + 1,
        item.sku,
        item.quantity,
      ]);
    }
  }
}
