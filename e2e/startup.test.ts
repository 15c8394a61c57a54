/**
 * A service started with a mistake in its surroundings (a bad key, a port in use, a database that
 * is not there) says so in words and exits 1: no stack trace, and no database work before its
 * configuration is known good.
 */
import { createServer, type Server } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { createTestSigningKey } from '#identity/testing';
import { startChildService, waitForHealth, type ChildService } from './childService.ts';
import { DRIVERS, dropSchemas, POSTGRES_URL } from './drivers.ts';

const ORDERS = 'subgraphs/orders/src/main.ts';
const GATEWAY = 'gateway/src/main.ts';

/** The process's exit code and its stderr lines, within 60 s. */
async function refusal(service: ChildService): Promise<{ code: number | null; lines: string[] }> {
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 60_000);
  const code = await service.exited;
  clearTimeout(timer);
  return { code, lines: service.errors().trim().split('\n') };
}

let dataDir: string;
let occupied: Server;
let occupiedPort: number;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'startup-'));
  occupied = createServer();
  await new Promise<void>((resolve) => occupied.listen(0, '0.0.0.0', resolve));
  occupiedPort = (occupied.address() as { port: number }).port;
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => occupied.close(() => resolve()));
});

describe('bad key material', () => {
  it('the gateway lists an unreadable IDENTITY_SIGNING_KEY with its other problems, without a stack', async () => {
    const result = await refusal(startChildService(GATEWAY, { IDENTITY_SIGNING_KEY: 'garbage', MAX_DEPTH: '0', PORT: '0' }));
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      'Invalid configuration for gateway:',
      expect.stringMatching(/^ {2}- IDENTITY_SIGNING_KEY: must be a private key as PEM/),
      expect.stringMatching(/^ {2}- MAX_DEPTH: /),
    ]);
  });

  it.runIf(DRIVERS.includes('postgres'))(
    'a subgraph refuses an unreadable IDENTITY_PUBLIC_KEY before it creates its schema',
    async () => {
      const schema = `startup_${randomBytes(4).toString('hex')}`;
      const env = {
        IDENTITY_PUBLIC_KEY: 'garbage',
        ORDERS_PORT: '0',
        DATABASE_URL: POSTGRES_URL,
        ORDERS_DATABASE_SCHEMA: schema,
      };
      try {
        const result = await refusal(startChildService(ORDERS, env));
        expect(result.code).toBe(1);
        expect(result.lines).toEqual([
          'Invalid configuration for orders:',
          expect.stringMatching(/^ {2}- IDENTITY_PUBLIC_KEY: /),
        ]);
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        const found = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
        await client.end();
        expect(found.rowCount).toBe(0);
      } finally {
        await dropSchemas([schema]);
      }
    },
  );
});

describe('one line, exit 1', { timeout: 120_000 }, () => {
  it('the gateway names PORT when its port is taken', async () => {
    const result = await refusal(startChildService(GATEWAY, { PORT: String(occupiedPort), DATA_DIR: dataDir }));
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      `gateway cannot start: PORT=${occupiedPort} is in use by another process; stop it, or set PORT to a free port`,
    ]);
  });

  it('the gateway names its development key file when that file holds no key, and how to replace it', async () => {
    const ownDataDir = mkdtempSync(join(tmpdir(), 'startup-key-'));
    try {
      const keyFile = join(ownDataDir, 'gateway', 'identity-signing-key.pem');
      mkdirSync(dirname(keyFile));
      writeFileSync(keyFile, '-----BEGIN PRIVATE KEY-----\ntruncated\n');
      const result = await refusal(startChildService(GATEWAY, { PORT: '0', DATA_DIR: ownDataDir }));
      expect(result.code).toBe(1);
      expect(result.lines).toEqual([
        `gateway cannot start: the development signing key ${keyFile} (under DATA_DIR) is not a readable PEM private key; ` +
          'delete it to have a new one made, or set IDENTITY_SIGNING_KEY',
      ]);
    } finally {
      rmSync(ownDataDir, { recursive: true, force: true });
    }
  });

  it('a subgraph names its port variable when the port is taken', async () => {
    const key = await createTestSigningKey();
    // PostgreSQL when there is one: an embedded database's first start (initdb) is slow.
    const schema = `startup_${randomBytes(4).toString('hex')}`;
    const postgres = DRIVERS.includes('postgres');
    const database = postgres ? { DATABASE_URL: POSTGRES_URL, ORDERS_DATABASE_SCHEMA: schema } : { DATA_DIR: dataDir };
    try {
      const env = { ORDERS_PORT: String(occupiedPort), IDENTITY_PUBLIC_KEY: key.publicKeyPem, ...database };
      const result = await refusal(startChildService(ORDERS, env));
      expect(result.code).toBe(1);
      expect(result.lines).toEqual([
        expect.stringMatching(new RegExp(`^orders cannot start: ORDERS_PORT=${occupiedPort} is in use`)),
      ]);
    } finally {
      if (postgres) await dropSchemas([schema]);
    }
  });

  it('a subgraph names DATABASE_URL when nothing answers there, and never prints its password', async () => {
    const deadUrl = `postgres://app:hunter2@127.0.0.1:${await freePort()}/app`;
    const result = await refusal(startChildService(ORDERS, { ORDERS_PORT: '0', DATABASE_URL: deadUrl }));
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      expect.stringMatching(/^orders cannot start: the database at 127\.0\.0\.1:\d+ \(DATABASE_URL\) refused the connection/),
    ]);
    expect(result.lines.join('\n')).not.toContain('hunter2');
  });
});

describe('misspelt variables', { timeout: 120_000 }, () => {
  it('the gateway warns at start, naming the variable meant, and starts all the same', async () => {
    const port = await freePort();
    const gateway = startChildService(GATEWAY, {
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_ALGORITHM: 'HS512',
      DATA_DIR: dataDir,
    });
    try {
      await waitForHealth(port, gateway);
      expect(gateway.output()).toContain('JWT_ALGORITHM is not a variable this project reads: did you mean JWT_ALGORITHMS?');
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
  });
});
