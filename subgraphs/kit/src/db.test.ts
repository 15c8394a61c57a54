import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailable, openDatabase, type Database } from './db.ts';

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUTS = { statementMs: 400, lockMs: 200, acquireMs: 200 };
const never = () => new Promise<never>(() => {});

// An embedded database takes seconds to start on a busy machine: one for both cases.
describe('PGlite under a stuck transaction', { timeout: 60_000 }, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ driver: 'pglite' }, { ...TIMEOUTS, statementMs: 1_000 });
    await db.exec('CREATE TABLE notes (body text)');
  });
  afterAll(() => db?.close());

  it('refuses other statements once they have waited the acquire timeout, as DatabaseUnavailable', async () => {
    const stuck = db.transaction(() => never());
    const started = Date.now();
    const [waiting] = await Promise.allSettled([db.query('SELECT 1 AS one'), stuck]);
    expect(waiting).toMatchObject({ status: 'rejected', reason: expect.any(DatabaseUnavailable) });
    expect((waiting as PromiseRejectedResult).reason).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('rolls the stuck transaction back at the statement timeout, and serves again', async () => {
    const stuck = db.transaction(async (tx) => {
      await tx.query("INSERT INTO notes VALUES ('never committed')");
      return never();
    });
    await expect(stuck).rejects.toBeInstanceOf(DatabaseUnavailable);
    expect(await db.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
  });
});

async function postgresAnswers() {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(!(await postgresAnswers()))('PostgreSQL under a lock', () => {
  const schema = `db_timeouts_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  let db: Database;
  afterAll(async () => {
    await db?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
  });

  it('gives up on a locked table after the lock timeout, and on a busy pool after the acquire timeout', async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.notes (body text)`);
    db = await openDatabase({ driver: 'postgres', url: POSTGRES_URL, schema, maxConnections: 1 }, TIMEOUTS);
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${schema}.notes IN ACCESS EXCLUSIVE MODE`);
    try {
      const started = Date.now();
      // One connection: the first waits on the lock, the second on the pool.
      const outcomes = await Promise.allSettled([db.query('SELECT * FROM notes'), db.query('SELECT 1')]);
      for (const outcome of outcomes)
        expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(DatabaseUnavailable) });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await admin.query('ROLLBACK');
    }
    expect(await db.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
  });

  it('cancels a statement that runs past the statement timeout', async () => {
    await expect(db.query('SELECT pg_sleep(5)')).rejects.toBeInstanceOf(DatabaseUnavailable);
  });
});
