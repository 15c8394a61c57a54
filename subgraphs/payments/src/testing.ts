import { readFileSync } from 'node:fs';
import { forbidden } from '#platform';
import { type IncomingRequest } from '#kit';
import { createTestDatabase } from '#kit/testing';
import type { OrderDirectory } from './orderDirectory.ts';
import { createPaymentsService, PAYMENTS } from './service.ts';

/** The orders of the demo data. */
const DEMO_ORDER_IDS = ['order-1', 'order-2', 'order-3'];

/** The orders of the demo data and their owners. */
const DEMO_ORDER_OWNERS: Record<string, string> = { 'order-1': 'alice', 'order-2': 'alice', 'order-3': 'bob' };

/**
 * An order directory that knows the demo orders, remembers every `exists` question, and lets the
 * owner or an admin read an order, as orders does.
 */
export function fakeOrderDirectory(orderIds: Iterable<string> = DEMO_ORDER_IDS) {
  const known = new Set(orderIds);
  const asked: { orderId: string; request: IncomingRequest }[] = [];
  const directory: OrderDirectory = {
    exists: async (orderId, request) => {
      asked.push({ orderId, request });
      return known.has(orderId);
    },
    readable: async (ids, { viewer }) =>
      ids.map((id) =>
        viewer.roles.includes('admin') || DEMO_ORDER_OWNERS[id] === viewer.sub
          ? true
          : forbidden("Only the order's owner, warehouse staff and admins can read an order"),
      ),
  };
  return { directory, asked };
}

/** The payments service on a fresh in-memory database holding the demo data. */
export async function createPaymentsFixture(options: { orders?: OrderDirectory; seed?: boolean } = {}) {
  const db = await createTestDatabase(
    PAYMENTS.name,
    PAYMENTS.migrations,
    options.seed === false ? undefined : readFileSync(PAYMENTS.seed, 'utf8'),
  );
  const service = createPaymentsService({ db, orders: options.orders ?? fakeOrderDirectory().directory });
  return { db, service };
}
