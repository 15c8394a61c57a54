/**
 * The bare federation's data: the same tables, filled the same way, opened with the drivers as
 * their own documentation shows (a `pg` pool, or an in-memory PGlite). The table definitions and
 * demo rows are read from the project's SQL files, which are data, not code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface BareDatabase {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export type BareLocation = { driver: 'pglite' } | { driver: 'postgres'; url: string; schema: string };

export async function openBareDatabase(location: BareLocation): Promise<BareDatabase> {
  if (location.driver === 'pglite') {
    // The same shared buffers as the project's PGlite, so their memory compares.
    const lite = await PGlite.create({ startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=4MB'] });
    return {
      query: async (sql, params) => (await lite.query<any>(sql, params)).rows,
      exec: async (sql) => void (await lite.exec(sql)),
      close: () => lite.close(),
    };
  }
  const admin = new pg.Client({ connectionString: location.url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS "${location.schema}"`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: location.url, max: 10, options: `-c search_path=${location.schema}` });
  return {
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    exec: async (sql) => void (await pool.query(sql)),
    close: () => pool.end(),
  };
}

/** Creates the subgraph's tables and its demo rows from `subgraphs/<name>/migrations/*.sql` and `seed.sql`. */
export async function createTables(db: BareDatabase, subgraph: string): Promise<void> {
  const folder = new URL(`../../subgraphs/${subgraph}/`, import.meta.url);
  const migrations = readdirSync(new URL('migrations/', folder))
    .filter((file) => file.endsWith('.sql'))
    .sort();
  for (const file of migrations) await db.exec(readFileSync(new URL(`migrations/${file}`, folder), 'utf8'));
  await db.exec(readFileSync(new URL('seed.sql', folder), 'utf8'));
}
