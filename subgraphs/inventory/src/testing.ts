import { readFileSync } from 'node:fs';
import { createTestDatabase } from '#kit/testing';
import { createInventoryService, INVENTORY } from './service.ts';

/** The inventory service on a fresh in-memory database holding the demo products. */
export async function createInventoryFixture() {
  const db = await createTestDatabase(INVENTORY.name, INVENTORY.migrations, readFileSync(INVENTORY.seed, 'utf8'));
  return { db, service: createInventoryService({ db }) };
}
