import { readFileSync } from 'node:fs';
import type { Database } from '#kit';
import { createTestDatabase } from '#kit/testing';
import { createInventoryService, INVENTORY } from './service.ts';

const DEMO_PRODUCTS = readFileSync(INVENTORY.seed, 'utf8');

/** The inventory service on a fresh in-memory database holding the demo products. */
export async function createInventoryFixture() {
  const db = await createTestDatabase(INVENTORY.name, INVENTORY.migrations, DEMO_PRODUCTS);
  return { db, service: createInventoryService({ db }) };
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
