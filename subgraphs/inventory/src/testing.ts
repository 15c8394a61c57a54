import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Database } from '#kit';
import { createTestDatabase } from '#kit/testing';
import { createInventoryService, INVENTORY } from './service.ts';

const DEMO_PRODUCTS = readFileSync(INVENTORY.seed, 'utf8');

type InventoryFixture = Awaited<ReturnType<typeof createInventoryFixture>>;

/** The inventory service on a fresh in-memory database holding the demo products. */
export async function createInventoryFixture() {
  const db = await createTestDatabase(INVENTORY.name, INVENTORY.migrations, DEMO_PRODUCTS);
  return { db, service: createInventoryService({ db }) };
}

/**
 * One test file's fixture: made before its tests, the demo products put back before each test,
 * closed after the last. Its `db` and `service` are there once the file's tests run.
 */
export function useInventoryFixture(): Readonly<InventoryFixture> {
  let fixture: InventoryFixture | undefined;
  const made = () => {
    if (!fixture) throw new Error('the inventory fixture is read before its tests run');
    return fixture;
  };
  beforeAll(async () => {
    fixture = await createInventoryFixture();
  });
  beforeEach(() => restoreDemoProducts(made().db));
  afterAll(() => fixture?.db.close());
  return {
    get db() {
      return made().db;
    },
    get service() {
      return made().service;
    },
  };
}

/** Puts the demo products back as seeded: far cheaper than a fresh database per test. */
export async function restoreDemoProducts(db: Database): Promise<void> {
  await db.exec(`DELETE FROM products; ${DEMO_PRODUCTS}`);
}

/** Reads stock straight from the table, past every rule, to check what a write really did. */
export async function stockOf(db: Database, sku: string): Promise<number | undefined> {
  const [row] = await db.query<{ quantity: number }>('SELECT quantity_on_hand AS quantity FROM products WHERE sku = $1', [sku]);
  return row?.quantity;
}
