/**
 * The database roles deploy/kubernetes creates (base/database-roles.sql, run with psql as the
 * Job does) against the real PostgreSQL server: each subgraph migrates its own schema under its
 * own role, and cannot read another subgraph's tables or create anything outside its schema.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from '#kit';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { PAYMENTS_PROGRAM } from '../subgraphs/payments/src/service.ts';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';
import { DRIVERS, POSTGRES_URL } from './drivers.ts';
import { installed } from './probes.ts';

const SQL = fileURLToPath(new URL('../deploy/kubernetes/base/database-roles.sql', import.meta.url));
const PROGRAMS = [ORDERS_PROGRAM, PAYMENTS_PROGRAM, INVENTORY_PROGRAM];

const havePsql = installed('psql');
const runnable = DRIVERS.includes('postgres') && havePsql;
if (!runnable) console.warn('Skipping the database role tests: they need psql and a PostgreSQL server');

describe.skipIf(!runnable)('one PostgreSQL role per subgraph (database-roles.sql)', () => {
  const suffix = randomBytes(3).toString('hex');
  const database = `roles_${suffix}`;
  const roleOf = (name: string) => `test_${suffix}_${name}`;
  const urlAs = (user: string) => {
    const url = new URL(POSTGRES_URL);
    url.username = user;
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = () => new pg.Client({ connectionString: POSTGRES_URL });
  const opened: Database[] = [];

  const runRolesScript = () => {
    const variables = PROGRAMS.flatMap((program) => [
      '-v',
      `${program.name}_role=${roleOf(program.name)}`,
      '-v',
      `${program.name}_password=pw-${program.name}`,
    ]);
    execFileSync(
      'psql',
      ['--no-psqlrc', '-q', '-d', urlAs(new URL(POSTGRES_URL).username || 'postgres'), ...variables, '-f', SQL],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  };

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    runRolesScript();
  });

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    for (const program of PROGRAMS) await client.query(`DROP ROLE IF EXISTS ${roleOf(program.name)}`);
    await client.end();
  });

  const openAs = async (name: string) => {
    const db = await openDatabase({ driver: 'postgres', url: urlAs(roleOf(name)), schema: name, maxConnections: 1 });
    opened.push(db);
    return db;
  };

  it('can be run again without error (every rollout runs it)', () => {
    expect(runRolesScript).not.toThrow();
  });

  it('lets each subgraph migrate and seed its own schema under its own role', async () => {
    for (const program of PROGRAMS) {
      const db = await openAs(program.name);
      const applied = await migrate(db, { schema: program.name, directory: program.migrationsDir });
      expect(applied.length, program.name).toBeGreaterThan(0);
    }
  });

  it("refuses a subgraph's role another subgraph's tables and the public schema", async () => {
    const orders = await openAs('orders');
    await expect(orders.query('SELECT * FROM payments.payments')).rejects.toThrow(/permission denied for schema payments/);
    await expect(orders.query('CREATE TABLE public.stolen (id int)')).rejects.toThrow(/permission denied for schema public/);
    await expect(orders.query('CREATE SCHEMA elsewhere')).rejects.toThrow(/permission denied/);
    const payments = await openAs('payments');
    await expect(payments.query('SELECT * FROM orders.orders')).rejects.toThrow(/permission denied for schema orders/);
  });
});
