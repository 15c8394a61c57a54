/**
 * Failures behind the gateway: a subgraph that stops mid-test, and a database that goes away. The
 * client gets the data that is still there and a clear, clean error for the rest, never a stack,
 * an address or SQL; everything serves fully again once the failed part is back.
 * (The identity provider's outage is in identityProvider.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '#identity';
import { DRIVERS } from './drivers.ts';
import { FAST_DRIVER, leaksIn, postRaw } from './probes.ts';
import { DEMO, POSTGRES_URL, startStack, type GraphQLResponse, type Stack, type SubgraphName } from './stack.ts';
import { startTcpProxy, type TcpProxy } from './tcpProxy.ts';

function expectClean(response: GraphQLResponse) {
  expect(leaksIn(JSON.stringify(response.body))).toEqual([]);
  for (const error of response.body.errors ?? []) {
    expect(error.extensions).toHaveProperty('code');
    expect(error.extensions).not.toHaveProperty('stacktrace');
    expect(error.extensions).not.toHaveProperty('response');
  }
}

/** One stack for the subgraph outages (stopped and restarted in turn) and the leaky subgraph. */
let stack: Stack;
let alice: string;
beforeAll(async () => {
  stack = await startStack({ driver: FAST_DRIVER });
  alice = await stack.token(DEMO.alice);
});
afterAll(() => stack?.stop());

describe('a subgraph that stops', () => {
  interface Outage {
    /** A query that spans the stopped subgraph and another one. */
    document: string;
    survivors: (data: any) => void;
    /** What the stopped subgraph's part of the answer becomes. */
    missing: object;
    /** More checks while it is down. */
    meanwhile: () => Promise<void>;
  }
  const outages: Record<SubgraphName, Outage> = {
    inventory: {
      document: '{ myOrders { id status } product(sku: "KB-001") { name } }',
      survivors: (data) => expect(data.myOrders.map((order: { id: string }) => order.id).sort()).toEqual(['order-1', 'order-2']),
      missing: { product: null },
      meanwhile: async () => {},
    },
    payments: {
      document: '{ order(id: "order-1") { id status payments { amountCents } } }',
      survivors: (data) => expect(data.order).toMatchObject({ id: 'order-1', status: 'PENDING' }),
      missing: { order: { payments: null } },
      // A query that does not need payments is served whole, without an error.
      meanwhile: async () => {
        const response = await stack.query('{ myOrders { id items { quantity product { sku name } } } }', { token: alice });
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data.myOrders).toHaveLength(2);
      },
    },
    orders: {
      document: '{ products { sku name } order(id: "order-1") { id } }',
      survivors: (data) => expect(data.products).toHaveLength(3),
      missing: { order: null },
      // A mutation of the stopped subgraph: a clean error and no data.
      meanwhile: async () => {
        const response = await stack.query('mutation { placeOrder(items: [{ sku: "KB-001", quantity: 1 }]) { id } }', {
          token: alice,
        });
        expect(response.status).toBe(200);
        expect(response.body.data).toBeNull();
        expect(response.body.errors).toMatchObject([
          { message: 'The orders service is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } },
        ]);
        expectClean(response);
      },
    },
  };

  it.each(Object.keys(outages) as SubgraphName[])(
    '(%s): the others still answer, with a clear error for the missing part, and all is served once it is back',
    async (name) => {
      const { document, survivors, missing, meanwhile } = outages[name];
      const healthy = await stack.query(document, { token: alice });
      expect(healthy.body.errors).toBeUndefined();

      await stack.stopSubgraph(name);
      try {
        const partial = await stack.query(document, { token: alice });
        expect(partial.status).toBe(200);
        survivors(partial.body.data);
        expect(partial.body.data).toMatchObject(missing);
        expect(partial.body.errors).toEqual([
          expect.objectContaining({
            message: `The ${name} service is unavailable`,
            extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: name },
          }),
        ]);
        expectClean(partial);
        await meanwhile();
      } finally {
        await stack.restartSubgraph(name);
      }

      const recovered = await stack.query(document, { token: alice });
      expect(recovered.body.errors).toBeUndefined();
      expect(recovered.body.data).toEqual(healthy.body.data);
    },
  );
});

describe('a subgraph that answers with its internals', () => {
  let leaky: Server;
  beforeAll(async () => {
    // What a subgraph without our error policy (or a proxy in front of one) might send back.
    leaky = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          data: null,
          errors: [
            {
              message: 'relation "products" does not exist: SELECT sku FROM products WHERE sku = $1',
              extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at query (/srv/node_modules/pg/lib/client.js:526:17)'] },
            },
            { message: 'connect ECONNREFUSED 127.0.0.1:5432', extensions: { code: 'ECONNREFUSED' } },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => leaky.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => leaky?.close(() => resolve())));

  it('has its errors masked by the gateway: generic message, no stack, no SQL, no address', async () => {
    const gateway = await stack.startGateway({
      INVENTORY_URL: `http://127.0.0.1:${(leaky.address() as AddressInfo).port}/graphql`,
    });
    const response = await gateway.query('{ product(sku: "KB-001") { name } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ product: null });
    expect(response.body.errors!.length).toBeGreaterThan(0);
    for (const error of response.body.errors!) {
      expect(error).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
    expectClean(response);
  });
});

const havePostgres = DRIVERS.includes('postgres');
if (!havePostgres) console.warn(`Skipping the database outage tests: no PostgreSQL server answers at ${POSTGRES_URL}`);

describe.skipIf(!havePostgres)('the database going away (PostgreSQL driver)', () => {
  let proxy: TcpProxy;
  let pgStack: Stack;
  let pgAlice: string;
  const upstream = new URL(POSTGRES_URL);

  beforeAll(async () => {
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const throughProxy = new URL(POSTGRES_URL);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = String(proxy.port);
    pgStack = await startStack({ driver: 'postgres', postgresUrl: throughProxy.toString() });
    pgAlice = await pgStack.token(DEMO.alice);
  });
  afterAll(async () => {
    proxy?.restore();
    await pgStack?.stop();
    await proxy?.close();
  });

  const READ = '{ product(sku: "KB-001") { name priceCents } order(id: "order-1") { id status } }';
  const WRITE = 'mutation { placeOrder(items: [{ sku: "KB-001", quantity: 1 }]) { id status } }';
  const health = (name: SubgraphName) =>
    fetch(pgStack.subgraphs[name].server.url.replace(/\/graphql$/, '/health')).then((response) => response.status);

  it('answers clean INTERNAL_SERVER_ERRORs while every connection is cut, and recovers when it returns', async () => {
    const seen = pgStack.subgraphRequests.length;
    const before = await pgStack.query(READ, { token: pgAlice });
    expect(before.body.errors).toBeUndefined();
    const inventoryPort = `:${pgStack.subgraphs.inventory.server.port}`;
    const inventoryToken = pgStack.subgraphRequests.slice(seen).find((headers) => headers.host?.endsWith(inventoryPort))![
      IDENTITY_HEADER
    ] as string;

    proxy.cut();
    try {
      const read = await pgStack.query(READ, { token: pgAlice });
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual({ product: null, order: null });
      expect(read.body.errors).toHaveLength(2);
      for (const error of read.body.errors!) {
        expect(error).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      }
      expectClean(read);

      // placeOrder asks inventory about the SKU first, and inventory's database is cut too.
      const write = await pgStack.query(WRITE, { token: pgAlice });
      expect(write.body.data).toBeNull();
      expect(write.body.errors).toMatchObject([{ extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      expectClean(write);

      expect(await health('orders')).toBe(503);
      expect(await health('inventory')).toBe(503);

      // The subgraph masks on its own too, for whoever reaches it with a valid identity token.
      const direct = await postRaw(
        pgStack.subgraphs.inventory.server.url,
        JSON.stringify({ query: '{ product(sku: "KB-001") { name } }' }),
        {
          [IDENTITY_HEADER]: inventoryToken,
        },
      );
      expect(direct.json.errors).toMatchObject([
        { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expect(leaksIn(direct.text)).toEqual([]);
    } finally {
      proxy.restore();
    }

    const after = await pgStack.query(READ, { token: pgAlice });
    expect(after.body).toEqual(before.body);
    expect((await pgStack.query(WRITE, { token: pgAlice })).body.data.placeOrder.status).toBe('PENDING');
    expect(await health('orders')).toBe(200);
  });

  it('never lets SQL or table names out when statements fail, and recovers when the schema is back', async () => {
    const schema =
      pgStack.subgraphs.inventory.config.database.driver === 'postgres' ? pgStack.subgraphs.inventory.config.database.schema : '';
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER SCHEMA ${schema} RENAME TO ${schema}_away`);
      try {
        const response = await postRaw(
          pgStack.gatewayUrl,
          JSON.stringify({ query: '{ products { sku } product(sku: "KB-001") { name } }' }),
        );
        expect(response.status).toBe(200);
        expect(response.json.data).toBeNull();
        expect(response.json.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(
          expect.arrayContaining(['INTERNAL_SERVER_ERROR']),
        );
        expect(response.text).not.toMatch(/relation|SELECT|FROM |schema|does not exist|postgres/i);
        expect(leaksIn(response.text)).toEqual([]);
      } finally {
        await admin.query(`ALTER SCHEMA ${schema}_away RENAME TO ${schema}`);
      }
    } finally {
      await admin.end();
    }
    const recovered = await pgStack.query('{ products { sku } }');
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.data.products).toHaveLength(3);
  });
});
