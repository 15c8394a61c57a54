import { readFileSync } from 'node:fs';
import type { PolicyEngine } from '#kit';
import { createTestDatabase } from '#kit/testing';
import { createOrdersCedarEngine } from './policyEngine.ts';
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

/**
 * The orders service on a fresh in-memory database holding the demo data. `policy`: the engine
 * that decides the rows; none means the in-code shield rules.
 */
export async function createOrdersFixture(
  options: { now?: () => Date; seed?: boolean; products?: ProductCatalogue; policy?: PolicyEngine | null } = {},
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
    ...(options.policy ? { policy: options.policy } : {}),
  });
  return { db, service };
}

/**
 * The engines every run can use: the in-code rules and embedded Cedar. OPA needs a server
 * (policyEngine.opa.test.ts asks one when OPA_URL answers).
 */
export const LOCAL_POLICY_ENGINES = [
  ['shield', () => null],
  ['cedar', createOrdersCedarEngine],
] as const satisfies readonly (readonly [string, () => PolicyEngine | null])[];
