import { readFileSync } from 'node:fs';
import type { IncomingRequest } from '#kit';
import { createTestDatabase } from '#kit/testing';
import type { OrderDirectory } from './orderDirectory.ts';
import { createPaymentsService, PAYMENTS } from './service.ts';

/** The orders of the demo data. */
const DEMO_ORDER_IDS = ['order-1', 'order-2', 'order-3'];

/** An order directory that knows `orderIds` and remembers every request it was asked with. */
export function fakeOrderDirectory(orderIds: Iterable<string> = DEMO_ORDER_IDS) {
  const known = new Set(orderIds);
  const asked: { orderId: string; request: IncomingRequest }[] = [];
  const directory: OrderDirectory = {
    exists: async (orderId, request) => {
      asked.push({ orderId, request });
      return known.has(orderId);
    },
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
