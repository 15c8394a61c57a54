import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertIdentifier, type Database, type Queryable } from './db.ts';

export interface MigrationPlan {
  /** The subgraph's own schema (PostgreSQL server) and lock name. */
  schema: string;
  /** Folder of `NNN_name.sql` files, applied in name order, each once. */
  directory: string;
  /** SQL run once, right after the first migrations of an empty database. */
  seedSql?: string;
}

/**
 * Brings the database up to date. The whole run holds a transaction-scoped advisory lock, so two
 * replicas of one subgraph starting together apply each migration once and never half-seed.
 */
export async function migrate(db: Database, plan: MigrationPlan): Promise<string[]> {
  assertIdentifier(plan.schema);
  const files = readdirSync(plan.directory)
    .filter((name) => /^\d+_[\w-]+\.sql$/.test(name))
    .sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrations:${plan.schema}`]);
    if (db.driver === 'postgres') await ensureSchema(tx, plan.schema);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: string }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const pending = files.filter((file) => !applied.has(file));
    for (const file of pending) {
      await tx.exec(readFileSync(join(plan.directory, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
    }
    if (applied.size === 0 && plan.seedSql) await tx.exec(plan.seedSql);
    return pending;
  });
}

/**
 * Creates the subgraph's schema only when it is missing: a deployment may create it beforehand,
 * owned by the subgraph's own role (deploy/kubernetes/base/database-roles.sql), and that role has
 * no right to create schemas, which `CREATE SCHEMA IF NOT EXISTS` checks even when one exists.
 */
async function ensureSchema(tx: Queryable, schema: string): Promise<void> {
  const [existing] = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (!existing) await tx.query(`CREATE SCHEMA ${schema}`);
}
