import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { groupBy, type Database, type Queryable } from '#kit';
import { cancellableIfPlacedAfter } from './cancelWindow.ts';

export type OrderStatus = 'PENDING' | 'PROCESSED' | 'CANCELLED';

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  createdAt: Date;
}

export interface OrderItem {
  orderId: string;
  sku: string;
  quantity: number;
}

const ORDER_COLUMNS = 'id, user_id AS "userId", status, created_at AS "createdAt"';

/** All SQL of the orders domain. */
export function createOrderStore(db: Database) {
  return {
    async findOrders(ids: readonly string[]): Promise<Order[]> {
      return db.query<Order>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY($1)`, [ids]);
    },

    async ordersOf(userId: string): Promise<Order[]> {
      return db.query<Order>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 ORDER BY created_at DESC, id`, [userId]);
    },

    async allOrders(): Promise<Order[]> {
      return db.query<Order>(`SELECT ${ORDER_COLUMNS} FROM orders ORDER BY created_at DESC, id`);
    },

    async itemsOf(orderIds: readonly string[]): Promise<OrderItem[]> {
      return db.query<OrderItem>(
        `SELECT order_id AS "orderId", sku, quantity FROM order_items
         WHERE order_id = ANY($1) ORDER BY order_id, position`,
        [orderIds],
      );
    },

    async placeOrder(userId: string, items: readonly { sku: string; quantity: number }[]): Promise<Order> {
      return db.transaction(async (tx) => {
        const [order] = await tx.query<Order>(`INSERT INTO orders (id, user_id) VALUES ($1, $2) RETURNING ${ORDER_COLUMNS}`, [
          `order-${randomUUID()}`,
          userId,
        ]);
        await insertItems(tx, order!.id, items);
        return order!;
      });
    },

    /** Cancels only if still cancellable at `now`, the moment of writing: the rule's check may be stale. */
    async cancelOrder(id: string, ownerId: string, now: Date): Promise<Order | undefined> {
      const [order] = await db.query<Order>(
        `UPDATE orders SET status = 'CANCELLED'
         WHERE id = $1 AND user_id = $2 AND status = 'PENDING' AND created_at > $3
         RETURNING ${ORDER_COLUMNS}`,
        [id, ownerId, cancellableIfPlacedAfter(now)],
      );
      return order;
    },

    async processOrder(id: string): Promise<Order | undefined> {
      const [order] = await db.query<Order>(
        `UPDATE orders SET status = 'PROCESSED' WHERE id = $1 AND status = 'PENDING'
         RETURNING ${ORDER_COLUMNS}`,
        [id],
      );
      return order;
    },
  };
}

async function insertItems(tx: Queryable, orderId: string, items: readonly { sku: string; quantity: number }[]) {
  await tx.query(
    `INSERT INTO order_items (order_id, position, sku, quantity)
     SELECT $1, position, sku, quantity
     FROM unnest($2::text[], $3::integer[]) WITH ORDINALITY AS item(sku, quantity, position)`,
    [orderId, items.map((item) => item.sku), items.map((item) => item.quantity)],
  );
}

export type OrderStore = ReturnType<typeof createOrderStore>;

/** Per-request batching: N orders or their items cost one query each, however they are reached. */
export function createOrderLoaders(store: OrderStore) {
  return {
    order: new DataLoader<string, Order | null>(async (ids) => {
      const found = new Map((await store.findOrders(ids)).map((order) => [order.id, order]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    items: new DataLoader<string, OrderItem[]>(async (orderIds) => {
      const byOrder = groupBy(await store.itemsOf(orderIds), (item) => item.orderId);
      return orderIds.map((id) => byOrder.get(id) ?? []);
    }),
  };
}

export type OrderLoaders = ReturnType<typeof createOrderLoaders>;
