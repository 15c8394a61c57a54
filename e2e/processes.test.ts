/**
 * The services as the operator runs them: real processes, started the way `npm run start:*` does.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '#identity';
import { startChildService, waitForHealth } from './childService.ts';
import { DRIVERS, dropSchemas } from './drivers.ts';
import { createTestSigningKey, mintIdentity, viewer, type TestSigningKey } from '#identity/testing';
import { freePort } from '#platform/testing';
import { POSTGRES_URL } from './stack.ts';

describe('configuration errors', () => {
  it('a subgraph refuses to start, listing every bad variable', async () => {
    const started = startChildService('subgraphs/orders/src/main.ts', { ORDERS_PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/Invalid configuration for orders:[\s\S]*ORDERS_PORT[\s\S]*LOG_LEVEL/);
  });

  it('the gateway refuses to start in production without explicit keys', async () => {
    const started = startChildService('gateway/src/main.ts', { NODE_ENV: 'production', PORT: '0' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL[\s\S]*JWT_ISSUER[\s\S]*IDENTITY_SIGNING_KEY/);
  });
});

// Each case starts real processes, and an embedded database's first start runs initdb: slow on a busy machine.
describe.each(DRIVERS)('durability (%s)', { timeout: 240_000 }, (driver) => {
  let key: TestSigningKey;
  let dataDir: string;
  const schema = `durability_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    key = await createTestSigningKey();
    dataDir = mkdtempSync(join(tmpdir(), 'durability-'));
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (driver === 'postgres') await dropSchemas([schema]);
  });

  async function startOrders() {
    const port = await freePort();
    const started = startChildService('subgraphs/orders/src/main.ts', {
      ORDERS_PORT: String(port),
      HOST: '127.0.0.1',
      IDENTITY_PUBLIC_KEY: key.publicKeyPem,
      ...(driver === 'pglite' ? { DATA_DIR: dataDir } : { DATABASE_URL: POSTGRES_URL, ORDERS_DATABASE_SCHEMA: schema }),
    });
    await waitForHealth(port, started);
    const query = async (document: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: await mintIdentity(viewer('alice'), { audience: 'orders', key }),
        },
        body: JSON.stringify({ query: document }),
      });
      return (await response.json()) as { data?: any; errors?: unknown[] };
    };
    return { started, query, port };
  }

  /** Sends half a request, lets `meanwhile` run, then the rest: the request is in flight throughout. */
  async function requestInTwoHalves(port: number, document: string, meanwhile: () => Promise<void>) {
    const body = JSON.stringify({ query: document });
    const token = await mintIdentity(viewer('alice'), { audience: 'orders', key });
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [IDENTITY_HEADER]: token },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      void meanwhile().then(() => req.end(body.slice(10)), reject);
    });
  }

  it('keeps a mutation that returned, across a SIGKILL', async () => {
    const first = await startOrders();
    // A write orders makes alone (placeOrder would ask inventory first): alice's fresh demo order.
    const cancelled = await first.query('mutation { cancelOrder(id: "order-1") { status } }');
    expect(cancelled.data.cancelOrder).toEqual({ status: 'CANCELLED' });
    first.started.child.kill('SIGKILL');
    await first.started.exited;

    const second = await startOrders();
    try {
      const found = await second.query('{ order(id: "order-1") { id status } }');
      expect(found.data.order).toEqual({ id: 'order-1', status: 'CANCELLED' });
    } finally {
      second.started.child.kill('SIGTERM');
      expect(await second.started.exited).toBe(0);
    }
  });

  it('drains an in-flight request on SIGTERM, then exits 0', async () => {
    const running = await startOrders();
    const answered = await requestInTwoHalves(running.port, '{ myOrders { id } }', async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      running.started.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(answered.status).toBe(200);
    expect(answered.body.data.myOrders.length).toBeGreaterThan(0);
    expect(await running.started.exited).toBe(0);
    expect(running.started.output()).not.toMatch(/"level":50/);
  });
});
