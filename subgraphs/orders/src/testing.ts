import { readFileSync } from 'node:fs';
import { createTestDatabase } from '#kit/testing';
import type { ProductCatalogue } from './productCatalogue.ts';
import { createOrdersService, ORDERS } from './service.ts';

/** The SKUs of the demo data (inventory's seed): what the stand-in below knows by default. */
export const DEMO_SKUS = ['KB-001', 'MS-002', 'MN-003'] as const;

/**
 * A stand-in for inventory, in process, for tests of orders' own rules and SQL: it knows `skus` and
 * nothing else. How orders really asks inventory is tested over HTTP in productCatalogue.test.ts.
 */
export function inventoryStandIn(skus: readonly string[] = DEMO_SKUS): ProductCatalogue {
  const known = new Set(skus);
  return { unknownSkus: async (asked) => asked.filter((sku) => !known.has(sku)) };
}

/** The orders service on a fresh in-memory database holding the demo data. */
export async function createOrdersFixture(
  options: { now?: () => Date; seed?: boolean; products?: ProductCatalogue } = {},
) {
  const db = await createTestDatabase(
    ORDERS.name,
    ORDERS.migrations,
    options.seed === false ? undefined : readFileSync(ORDERS.seed, 'utf8'),
  );
  const service = createOrdersService({
    db,
    products: options.products ?? inventoryStandIn(),
    ...(options.now ? { now: options.now } : {}),
  });
  return { db, service };
}
