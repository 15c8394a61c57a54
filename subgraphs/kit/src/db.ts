import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { ErrorCode, within } from '#platform';
import { createGate, GateTimeout } from './gate.ts';
import { lockDataDir } from './dataDirLock.ts';
import { startFromTemplate } from './pgliteTemplate.ts';

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
  { driver: 'pglite'; dataDir?: string } | { driver: 'postgres'; url: string; schema: string; maxConnections?: number };

/** Milliseconds; see docs/timeouts.md. */
export interface DatabaseTimeouts {
  /** One statement (PostgreSQL `statement_timeout`); with PGlite, one whole transaction. */
  statementMs: number;
  /** Waiting for a row or table lock (PostgreSQL `lock_timeout`). */
  lockMs: number;
  /** Waiting for a connection: the pool's, or PGlite's single one. */
  acquireMs: number;
}

/**
 * The database did not answer in time (a lock, a slow statement, every connection busy). Nothing
 * is wrong with the request, so the client is told to retry rather than shown an internal error.
 */
export class DatabaseUnavailable extends Error {
  override readonly name = 'DatabaseUnavailable';
  /** graphql-js copies these onto the GraphQL error, so the code reaches the client. */
  readonly extensions = { code: ErrorCode.SERVICE_UNAVAILABLE };
  constructor(options?: { cause?: unknown }) {
    super('The database did not answer in time; retry shortly', options);
  }
}

/**
 * Each driver is loaded only when it is opened: a subgraph on PostgreSQL carries none of PGlite's
 * WebAssembly, and one on PGlite none of `pg`.
 */
export async function openDatabase(location: DatabaseLocation, timeouts?: DatabaseTimeouts): Promise<Database> {
  return location.driver === 'pglite' ? openPglite(location.dataDir, timeouts) : openPostgres(location, timeouts);
}

/**
 * A new folder starts as a copy of the install-time template; an existing one is opened as it is.
 * PostgreSQL's default 128 MB of shared buffers is memory PGlite allocates and touches up front in
 * each process; a subgraph's embedded data is a few megabytes, so 4 MB holds all of it (measured:
 * about 130 MB less resident memory per reopened database than the default).
 */
async function createPglite(dataDir?: string): Promise<PGlite> {
  if (dataDir) startFromTemplate(dataDir);
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=4MB'] });
}

/** Statements from here on wait no longer than `timeouts.acquireMs` for PGlite's one connection. */
async function openPglite(dataDir?: string, timeouts?: DatabaseTimeouts): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir ? lockDataDir(dataDir) : undefined;
  const lite = await createPglite(dataDir).catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  // PGlite serialises everything behind one mutex with no deadline; ours queues in front of it with one.
  const gate = createGate();
  const exclusive = <T>(work: () => Promise<T>) =>
    timeouts ? gate.run(work, timeouts.acquireMs).catch(asUnavailable) : gate.run(work);
  const query = <Row>(sql: string, params: readonly unknown[] = []) =>
    exclusive(async () => (await lite.query<Row>(sql, [...params])).rows);
  return {
    driver: 'pglite',
    query,
    exec: (sql) => exclusive(async () => void (await lite.exec(sql))),
    transaction: (work) =>
      exclusive(() =>
        lite.transaction((tx) => {
          const done = work({
            query: async <Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<Row>(sql, [...params])).rows,
            exec: async (sql) => void (await tx.exec(sql)),
          });
          // A transaction that never finishes would hold the only connection: past the deadline it rolls back.
          return timeouts
            ? within(done, timeouts.statementMs, () => new TransactionTimeout(`transaction ran past ${timeouts.statementMs} ms`))
            : done;
        }),
      ),
    close: () => lite.close().finally(() => lock?.release()),
  };
}

async function openPostgres(
  location: { url: string; schema: string; maxConnections?: number },
  timeouts?: DatabaseTimeouts,
): Promise<Database> {
  assertIdentifier(location.schema);
  const { default: pg } = await import('pg');
  const settings = timeouts
    ? ` -c statement_timeout=${timeouts.statementMs} -c lock_timeout=${timeouts.lockMs}` +
      ` -c idle_in_transaction_session_timeout=${timeouts.statementMs}`
    : '';
  const pool = new pg.Pool({
    connectionString: location.url,
    max: location.maxConnections ?? 10,
    options: `-c search_path=${location.schema}${settings}`,
    ...(timeouts
      ? {
          connectionTimeoutMillis: timeouts.acquireMs,
          // A server that stops answering altogether (no error, no packet) still ends the wait.
          query_timeout: timeouts.statementMs + 1_000,
        }
      : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
    (await pool.query(sql, [...params]).catch(asUnavailable)).rows as Row[];
  return {
    driver: 'postgres',
    query,
    exec: async (sql) => void (await pool.query(sql).catch(asUnavailable)),
    async transaction(work) {
      const client = await pool.connect().catch(asUnavailable);
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
        return asUnavailable(error);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** PostgreSQL's codes for a statement cancelled by its timeout and a lock not granted in time. */
const TIMEOUT_SQLSTATES = new Set(['57014', '55P03', '25P03']);

/** pg's own wording for a pool acquire or client-side query that ran out of time. */
const PG_TIMEOUT_MESSAGES = /timeout exceeded when trying to connect|Query read timeout|connection timeout/i;

/** Rethrows a timeout as DatabaseUnavailable and anything else as it is. */
function asUnavailable(error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  const timedOut =
    error instanceof GateTimeout ||
    error instanceof TransactionTimeout ||
    (typeof code === 'string' && TIMEOUT_SQLSTATES.has(code)) ||
    PG_TIMEOUT_MESSAGES.test(message);
  throw timedOut ? new DatabaseUnavailable({ cause: error }) : error;
}

class TransactionTimeout extends Error {}

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
