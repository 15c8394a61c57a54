import { readFileSync } from 'node:fs';
import { createTestDatabase } from '#kit/testing';
import { createOrdersService, ORDERS } from './service.ts';

/** The orders service on a fresh in-memory database holding the demo data. */
export async function createOrdersFixture(options: { now?: () => Date; seed?: boolean } = {}) {
  const db = await createTestDatabase(
    ORDERS.name,
    ORDERS.migrations,
    options.seed === false ? undefined : readFileSync(ORDERS.seed, 'utf8'),
  );
  const service = createOrdersService({ db, ...(options.now ? { now: options.now } : {}) });
  return { db, service };
}
