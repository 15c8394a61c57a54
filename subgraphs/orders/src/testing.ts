import { readFileSync } from 'node:fs';
import type { PolicyEngine } from '#kit';
import { createTestDatabase } from '#kit/testing';
import { createOrdersCedarEngine } from './policyEngine.ts';
import { createOrdersService, ORDERS } from './service.ts';

/**
 * The orders service on a fresh in-memory database holding the demo data. `policy`: the engine
 * that decides the rows; none means the in-code shield rules.
 */
export async function createOrdersFixture(
  options: { now?: () => Date; seed?: boolean; policy?: PolicyEngine | null } = {},
) {
  const db = await createTestDatabase(
    ORDERS.name,
    ORDERS.migrations,
    options.seed === false ? undefined : readFileSync(ORDERS.seed, 'utf8'),
  );
  const service = createOrdersService({
    db,
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
