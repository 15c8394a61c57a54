import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { lockDataDir } from './dataDirLock.ts';

/** The one SQL surface every subgraph's store is written against: PostgreSQL dialect, `$n` params. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations, seeds). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseLocation =
  | { driver: 'pglite'; dataDir?: string }
  | { driver: 'postgres'; url: string; schema: string; maxConnections?: number };

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  return location.driver === 'pglite' ? openPglite(location.dataDir) : openPostgres(location);
}

/**
 * PostgreSQL's default 128 MB of shared buffers is memory PGlite allocates and touches up front in
 * each process; a subgraph's embedded data is a few megabytes, so 16 MB holds all of it (measured:
 * about 120 MB less resident memory per reopened database).
 */
const PGLITE_OPTIONS = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] };

async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir ? lockDataDir(dataDir) : undefined;
  const lite = await PGlite.create(dataDir, PGLITE_OPTIONS).catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
    (await lite.query<Row>(sql, [...params])).rows;
  return {
    driver: 'pglite',
    query,
    exec: async (sql) => void (await lite.exec(sql)),
    // PGlite is one connection: its transaction() also serialises concurrent transactions.
    transaction: (work) =>
      lite.transaction((tx) =>
        work({
          query: async <Row>(sql: string, params: readonly unknown[] = []) =>
            (await tx.query<Row>(sql, [...params])).rows,
          exec: async (sql) => void (await tx.exec(sql)),
        }),
      ),
    close: () => lite.close().finally(() => lock?.release()),
  };
}

function openPostgres(location: { url: string; schema: string; maxConnections?: number }): Database {
  assertIdentifier(location.schema);
  const pool = new pg.Pool({
    connectionString: location.url,
    max: location.maxConnections ?? 10,
    options: `-c search_path=${location.schema}`,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
    (await pool.query(sql, [...params])).rows as Row[];
  return {
    driver: 'postgres',
    query,
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async <Row>(sql: string, params: readonly unknown[] = []) =>
            (await client.query(sql, [...params])).rows as Row[],
          exec: async (sql) => void (await client.query(sql)),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a safe SQL identifier: ${name}`);
}

/** Wraps a database so tests and metrics can see every statement sent, transactions included. */
export function observeQueries(db: Database, onQuery: (sql: string) => void): Database {
  const watch = (target: Queryable): Queryable => ({
    query: (sql, params) => {
      onQuery(sql);
      return target.query(sql, params);
    },
    exec: (sql) => {
      onQuery(sql);
      return target.exec(sql);
    },
  });
  const watched = watch(db);
  return {
    driver: db.driver,
    query: watched.query,
    exec: watched.exec,
    transaction: (work) => db.transaction((tx) => work(watch(tx))),
    close: () => db.close(),
  };
}
