/**
 * Faults answered, not waited out: a subgraph that accepts connections and never answers, one
 * stopped with SIGSTOP, a locked table, a burst, SIGTERM under load, the start-up window, gateway
 * restarts. Clients get their partial data and a clean SERVICE_UNAVAILABLE within the configured
 * deadline. The deadlines are set small here (one second per fetch) so the suite stays fast.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, createServer, type Socket, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#platform';
import { DEFAULT_IDENTITY_ISSUER, IDENTITY_HEADER } from '#identity';
import { launchSubgraph, type SubgraphConfig } from '#kit';
import { freePort } from '#platform/testing';
import { readGatewayConfig } from '../gateway/src/config.ts';
import { startGateway } from '../gateway/src/server.ts';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';
import { startChildService, waitForHealth } from './childService.ts';
import { startTcpProxy } from './tcpProxy.ts';
import { dropSchemas, DRIVERS } from './drivers.ts';
import { FAST_DRIVER, leaksIn, postRaw } from './probes.ts';
import { DEMO, POSTGRES_URL, postGraphQL, startStack, type GraphQLResponse, type Stack } from './stack.ts';

/** One second per subgraph fetch, two per request: every fault below must be answered within these. */
const DEADLINES = { SUBGRAPH_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', SHUTDOWN_TIMEOUT_MS: '4000' };
/** A client gets half a second for its headers and a second for its whole request. */
const SLOW_CLIENT_LIMITS = { HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000' };
/** The request deadline plus room for a busy machine. */
const ANSWERED_WITHIN_MS = 4_000;

const SPANNING = '{ myOrders { id } product(sku: "KB-001") { name } }';
const havePostgres = DRIVERS.includes('postgres');

interface BlackHole {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** The most connections that were open at once. */
  readonly mostOpen: number;
  close(): Promise<void>;
}

/** A stand-in for a subgraph host that accepts TCP connections, reads, and never answers. */
async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let mostOpen = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    mostOpen = Math.max(mostOpen, sockets.size);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    get connections() {
      return connections;
    },
    get mostOpen() {
      return mostOpen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work;
  return { result, ms: Date.now() - started };
}

/** The answer to SPANNING when inventory failed: orders' part intact, inventory's a clean error. */
function expectInventoryMissing(response: GraphQLResponse, message: RegExp) {
  expect(response.status).toBe(200);
  expect(response.body.data.myOrders.map((order: { id: string }) => order.id).sort()).toEqual(['order-1', 'order-2']);
  expect(response.body.data.product).toBeNull();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0]).toMatchObject({
    message: expect.stringMatching(message),
    extensions: { code: 'SERVICE_UNAVAILABLE' },
  });
  expect(leaksIn(JSON.stringify(response.body))).toEqual([]);
}

const healthOf = (url: string, path = '/health') =>
  fetch(url.replace(/\/graphql$/, path), { signal: AbortSignal.timeout(10_000) });

let stack: Stack;
let alice: string;
let hole: BlackHole;
beforeAll(async () => {
  [stack, hole] = await Promise.all([
    startStack({
      driver: FAST_DRIVER,
      gatewayEnv: DEADLINES,
      subgraphTimeouts: { http: { headersMs: 500, requestMs: 1_000, keepAliveMs: 65_000 } },
    }),
    startBlackHole(),
  ]);
  alice = await stack.token(DEMO.alice);
});
afterAll(async () => {
  await stack?.stop();
  await hole?.close();
});

/** The stack's gateway settings, for a gateway this file starts and stops itself. */
const gatewayEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  IDENTITY_SIGNING_KEY: stack.identitySigningKey,
  ORDERS_URL: stack.subgraphs.orders.server.url,
  PAYMENTS_URL: stack.subgraphs.payments.server.url,
  INVENTORY_URL: stack.subgraphs.inventory.server.url,
  ...DEADLINES,
  ...env,
});
const silent = { logger: createLogger('gateway', 'silent') };

describe('a subgraph that accepts connections and never answers', () => {
  it('costs each client the fetch deadline, not 300 s: orders data, SERVICE_UNAVAILABLE for inventory, few sockets', async () => {
    const gateway = await stack.startGateway({ ...DEADLINES, INVENTORY_URL: hole.url, SUBGRAPH_MAX_CONNECTIONS: '4' });
    // Planned once first, so the burst measures the fetches alone.
    expectInventoryMissing(await gateway.query(SPANNING, { token: alice }), /did not answer in time/);
    const before = hole.connections;
    const { result, ms } = await timed(Promise.all(Array.from({ length: 20 }, () => gateway.query(SPANNING, { token: alice }))));
    expect(ms).toBeLessThan(ANSWERED_WITHIN_MS);
    for (const response of result) expectInventoryMissing(response, /^The inventory service did not answer in time$/);
    // The connections per origin are bounded; requests beyond them wait in the pool, within their deadline.
    expect(hole.connections - before).toBeGreaterThanOrEqual(4);
    expect(hole.mostOpen).toBeLessThanOrEqual(4);
  });

  it('ends a fetch at what is left of the request deadline when that comes before the fetch limit', async () => {
    const gateway = await stack.startGateway({
      INVENTORY_URL: hole.url,
      SUBGRAPH_TIMEOUT_MS: '30000',
      REQUEST_TIMEOUT_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '31000',
    });
    const { result, ms } = await timed(gateway.query(SPANNING, { token: alice }));
    expect(ms).toBeLessThan(3_000);
    expectInventoryMissing(result, /did not answer in time/);
  });
});

/**
 * Sends a request whose body arrives one byte every 200 ms, and resolves with what the server
 * said (or '' if it only closed) and when.
 */
function trickle(url: string, headers: Record<string, string> = {}): Promise<{ answer: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const drip = setInterval(() => socket.write('x'), 200);
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ answer, ms: Date.now() - started });
    });
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n${extra}\r\n`,
    );
  });
}

describe('a client that trickles its request body', () => {
  it('is answered 408 and disconnected after HTTP_REQUEST_TIMEOUT_MS, by the gateway and by a subgraph', async () => {
    const gateway = await stack.startGateway({ ...DEADLINES, ...SLOW_CLIENT_LIMITS });
    // A subgraph reads no body without a valid identity token: borrow the one the gateway just sent.
    const seen = stack.subgraphRequests.length;
    await stack.query('{ products { sku } }');
    const identity = stack.subgraphRequests.slice(seen).find((headers) => headers[IDENTITY_HEADER])![IDENTITY_HEADER] as string;
    const targets: [string, Record<string, string>][] = [
      [gateway.url, {}],
      [stack.subgraphs.inventory.server.url, { [IDENTITY_HEADER]: identity }],
    ];
    for (const [url, headers] of targets) {
      const { answer, ms } = await trickle(url, headers);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeLessThan(3_500);
    }
  });
});

describe('a burst beyond MAX_CONCURRENT_REQUESTS', () => {
  it('is refused at once with 503 and Retry-After, so the admitted requests are not slowed, and served again after', async () => {
    const gateway = await stack.startGateway({ ...DEADLINES, INVENTORY_URL: hole.url, MAX_CONCURRENT_REQUESTS: '2' });
    const before = hole.connections;
    const admitted = [gateway.query(SPANNING, { token: alice }), gateway.query(SPANNING, { token: alice })];
    while (hole.connections - before < 2) await new Promise((resolve) => setTimeout(resolve, 20));

    const { result: shed, ms } = await timed(postRaw(gateway.url, JSON.stringify({ query: '{ products { sku } }' })));
    expect(ms).toBeLessThan(500);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.json.errors).toMatchObject([{ extensions: { code: 'SERVICE_UNAVAILABLE' } }]);

    for (const response of await Promise.all(admitted)) expectInventoryMissing(response, /did not answer in time/);
    expect((await gateway.query('{ products { sku } }')).status).toBe(200);
  });
});

describe('the gateway starting', { timeout: 120_000 }, () => {
  it('answers POST /graphql with a JSON 503 and Retry-After until it is ready, never an HTML 404', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    // Its own process, composing from the running subgraphs (the start with the longest window): while it starts, this one keeps asking.
    const gateway = startChildService(
      'gateway/src/main.ts',
      gatewayEnv({
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SUPERGRAPH: 'compose',
        // The default deadlines: composing under this file's polling must not time out.
        SUBGRAPH_TIMEOUT_MS: '10000',
        REQUEST_TIMEOUT_MS: '15000',
        SHUTDOWN_TIMEOUT_MS: '20000',
      }),
    );
    const early: { status: number; type: string | null; retryAfter: string | null; code: unknown }[] = [];
    try {
      // A new request every few milliseconds, without waiting for the last: some land in the window.
      const deadline = Date.now() + 60_000;
      const asked: Promise<void>[] = [];
      let served = false;
      while (Date.now() < deadline && !served) {
        if (gateway.child.exitCode !== null) throw new Error(`gateway exited:\n${gateway.output()}`);
        asked.push(
          postRaw(url, JSON.stringify({ query: '{ products { sku } }' })).then(
            (response) => {
              served ||= response.status === 200;
              const code = response.json?.errors?.[0]?.extensions?.code;
              early.push({
                status: response.status,
                type: response.headers.get('content-type'),
                retryAfter: response.headers.get('retry-after'),
                code,
              });
            },
            () => {},
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await Promise.all(asked);
      expect(served).toBe(true);
      // The window between listening (for the JWKS) and serving GraphQL was seen, and was a clean 503.
      const refused = early.filter((answer) => answer.status !== 200);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) {
        expect(answer).toMatchObject({
          status: 503,
          type: expect.stringMatching(/json/),
          retryAfter: '1',
          code: 'SERVICE_UNAVAILABLE',
        });
      }
      expect((await healthOf(url, '/health/live')).status).toBe(200);
      expect((await healthOf(url, '/health/ready')).status).toBe(200);
    } finally {
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited, gateway.output()).toBe(0);
    }
  });
});

describe('SIGTERM under load (the gateway draining)', () => {
  it('answers all 20 keep-alive clients in flight, each response saying Connection: close, none reset', async () => {
    const gateway = await startGateway(readGatewayConfig(gatewayEnv({ INVENTORY_URL: hole.url })), silent);
    const clients = new Agent({ connections: 20, keepAliveTimeout: 60_000 });
    try {
      const before = hole.connections;
      const inFlight = Array.from({ length: 20 }, () =>
        request(gateway.url, {
          method: 'POST',
          dispatcher: clients,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
          body: JSON.stringify({ query: SPANNING }),
        }).then(async (response) => ({
          status: response.statusCode,
          connection: response.headers.connection,
          body: (await response.body.json()) as GraphQLResponse['body'],
        })),
      );
      while (hole.connections - before < 20) await new Promise((resolve) => setTimeout(resolve, 20));

      const { ms } = await timed(gateway.stop());
      const answers = await Promise.all(inFlight);
      expect(ms).toBeLessThan(Number(DEADLINES.SHUTDOWN_TIMEOUT_MS));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.connection).toBe('close');
        expectInventoryMissing({ status: answer.status, headers: new Headers(), body: answer.body }, /did not answer in time/);
      }
    } finally {
      await clients.close();
    }
  });
});

describe('payments unable to reach orders', () => {
  it('tells the client SERVICE_UNAVAILABLE, not INTERNAL_SERVER_ERROR, and stores nothing', async () => {
    const paula = await stack.token(DEMO.paula);
    await stack.stopSubgraph('orders');
    try {
      const response = await stack.query('mutation { initiatePayment(orderId: "order-1", amountCents: 100) { id } }', {
        token: paula,
      });
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toMatchObject([
        { message: 'The orders service is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } },
      ]);
      expect(leaksIn(JSON.stringify(response.body))).toEqual([]);
    } finally {
      await stack.restartSubgraph('orders');
    }
  });
});

/** A database for a subgraph this file starts itself: the server's when there is one, else embedded. */
function childDatabaseEnv(name: string, dataDir: string): { env: NodeJS.ProcessEnv; schema?: string } {
  if (FAST_DRIVER === 'pglite') return { env: { DATA_DIR: dataDir } };
  const schema = `faults_${name}_${randomBytes(4).toString('hex')}`;
  return { env: { DATABASE_URL: POSTGRES_URL, [`${name.toUpperCase()}_DATABASE_SCHEMA`]: schema }, schema };
}

describe('a subgraph process stopped with SIGSTOP', { timeout: 180_000 }, () => {
  it('is a clean timeout within the deadline while stopped, and serves again once continued', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'faults-stopped-'));
    const database = childDatabaseEnv('inventory', dataDir);
    const port = await freePort();
    const inventory = startChildService('subgraphs/inventory/src/main.ts', {
      INVENTORY_PORT: String(port),
      HOST: '127.0.0.1',
      GATEWAY_JWKS_URL: stack.gatewayUrl.replace(/\/graphql$/, '/.well-known/jwks.json'),
      ...database.env,
    });
    try {
      await waitForHealth(port, inventory);
      const gateway = await stack.startGateway({ ...DEADLINES, INVENTORY_URL: `http://127.0.0.1:${port}/graphql` });
      expect((await gateway.query(SPANNING, { token: alice })).body.errors).toBeUndefined();

      inventory.child.kill('SIGSTOP');
      try {
        const { result, ms } = await timed(gateway.query(SPANNING, { token: alice }));
        expect(ms).toBeLessThan(ANSWERED_WITHIN_MS);
        expectInventoryMissing(result, /^The inventory service did not answer in time$/);
      } finally {
        inventory.child.kill('SIGCONT');
      }
      const resumed = await gateway.query(SPANNING, { token: alice });
      expect(resumed.body.errors).toBeUndefined();
      expect(resumed.body.data.product).toEqual({ name: 'Mechanical Keyboard' });
    } finally {
      inventory.child.kill('SIGTERM');
      expect(await inventory.exited).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
      if (database.schema) await dropSchemas([database.schema]);
    }
  });
});

describe.skipIf(!havePostgres)('a locked table (PostgreSQL)', () => {
  let locked: Stack;
  let admin: pg.Client;
  beforeAll(async () => {
    locked = await startStack({
      driver: 'postgres',
      // The database's own deadlines (a connection in 500 ms, then the lock in 500 ms) end every wait
      // well before the gateway would give up on the subgraph: the client hears why.
      gatewayEnv: { ...DEADLINES, SUBGRAPH_TIMEOUT_MS: '3000', REQUEST_TIMEOUT_MS: '3500' },
      subgraphTimeouts: { lockMs: 500, statementMs: 1_000, acquireMs: 500, healthMs: 1_000 },
    });
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await locked?.stop();
  });

  it('answers SERVICE_UNAVAILABLE for the locked part within the deadline, keeps /health answering, and recovers', async () => {
    const token = await locked.token(DEMO.alice);
    const inventory = locked.subgraphs.inventory;
    const schema = inventory.config.database.driver === 'postgres' ? inventory.config.database.schema : '';
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${schema}.products IN ACCESS EXCLUSIVE MODE`);
    try {
      const burst = Promise.all(Array.from({ length: 10 }, () => locked.query(SPANNING, { token })));
      const { result: health, ms: healthMs } = await timed(healthOf(inventory.server.url));
      expect(healthMs).toBeLessThan(1_500);
      expect([200, 503]).toContain(health.status);
      expect((await healthOf(inventory.server.url, '/health/live')).status).toBe(200);

      const { result, ms } = await timed(burst);
      expect(ms).toBeLessThan(ANSWERED_WITHIN_MS);
      for (const response of result) expectInventoryMissing(response, /^The database did not answer in time; retry shortly$/);
    } finally {
      await admin.query('ROLLBACK');
    }
    const recovered = await locked.query(SPANNING, { token });
    expect(recovered.body.errors).toBeUndefined();
  });

  it('lets a subgraph whose database is blocked exit 0 by its shutdown deadline on SIGTERM', { timeout: 120_000 }, async () => {
    const schema = `faults_orders_${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    const orders = startChildService('subgraphs/orders/src/main.ts', {
      ORDERS_PORT: String(port),
      HOST: '127.0.0.1',
      GATEWAY_JWKS_URL: stack.gatewayUrl.replace(/\/graphql$/, '/.well-known/jwks.json'),
      DATABASE_URL: POSTGRES_URL,
      ORDERS_DATABASE_SCHEMA: schema,
      // Statements wait for the lock far longer than the shutdown deadline.
      DB_LOCK_TIMEOUT_MS: '60000',
      DB_STATEMENT_TIMEOUT_MS: '60000',
      SHUTDOWN_TIMEOUT_MS: '1500',
    });
    try {
      await waitForHealth(port, orders);
      const gateway = await stack.startGateway({
        ...DEADLINES,
        SUBGRAPH_TIMEOUT_MS: '20000',
        REQUEST_TIMEOUT_MS: '20000',
        SHUTDOWN_TIMEOUT_MS: '21000',
        ORDERS_URL: `http://127.0.0.1:${port}/graphql`,
      });
      await admin.query('BEGIN');
      await admin.query(`LOCK TABLE ${schema}.orders IN ACCESS EXCLUSIVE MODE`);
      try {
        const blocked = gateway.query('{ myOrders { id } }', { token: alice });
        await new Promise((resolve) => setTimeout(resolve, 300));
        orders.child.kill('SIGTERM');
        const { result: code, ms } = await timed(orders.exited);
        expect(code).toBe(0);
        expect(ms).toBeLessThan(5_000);
        expect((await blocked).body.errors).toMatchObject([{ extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      } finally {
        await admin.query('ROLLBACK');
      }
    } finally {
      if (orders.child.exitCode === null) orders.child.kill('SIGKILL');
      await dropSchemas([schema]);
    }
  });
});

describe.skipIf(!havePostgres)('a database that stops answering (PostgreSQL behind a frozen proxy)', () => {
  it('makes /health say 503 within about a second, and the query a clean SERVICE_UNAVAILABLE within the deadline', async () => {
    const upstream = new URL(POSTGRES_URL);
    const proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const throughProxy = new URL(POSTGRES_URL);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = String(proxy.port);
    const frozenStack = await startStack({
      driver: 'postgres',
      postgresUrl: throughProxy.toString(),
      gatewayEnv: DEADLINES,
      subgraphTimeouts: { statementMs: 500, lockMs: 500, acquireMs: 500, healthMs: 1_000 },
    });
    try {
      const token = await frozenStack.token(DEMO.alice);
      expect((await frozenStack.query(SPANNING, { token })).body.errors).toBeUndefined();
      proxy.freeze();
      const inventory = frozenStack.subgraphs.inventory.server.url;
      const { result: health, ms: healthMs } = await timed(healthOf(inventory));
      expect(health.status).toBe(503);
      expect(healthMs).toBeLessThan(1_800);
      expect((await healthOf(inventory, '/health/live')).status).toBe(200);

      const { result, ms } = await timed(frozenStack.query('{ products { sku } }', { token }));
      expect(ms).toBeLessThan(ANSWERED_WITHIN_MS);
      expect(result.body.errors).toMatchObject([{ extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      expect(leaksIn(JSON.stringify(result.body))).toEqual([]);
    } finally {
      proxy.restore();
      await frozenStack.stop();
      await proxy.close();
    }
  });
});

describe('a development gateway restarted twice in a row', { timeout: 120_000 }, () => {
  it('keeps its generated identity key under DATA_DIR, so subgraphs accept the new process at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'faults-devkey-'));
    const port = await freePort();
    const schema = `faults_inventory_${randomBytes(4).toString('hex')}`;
    const config: SubgraphConfig = {
      name: 'inventory',
      port: 0,
      host: '127.0.0.1',
      identityKeys: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` },
      identityIssuer: DEFAULT_IDENTITY_ISSUER,
      database:
        FAST_DRIVER === 'postgres' ? { driver: 'postgres', url: POSTGRES_URL, schema, maxConnections: 2 } : { driver: 'pglite' },
      seedDemoData: true,
      debugErrors: false,
      logLevel: 'silent',
    };
    const inventory = await launchSubgraph(INVENTORY_PROGRAM, config, { logger: createLogger('inventory', 'silent') });
    try {
      const env = {
        ...gatewayEnv({ PORT: String(port), DATA_DIR: dataDir, INVENTORY_URL: inventory.server.url }),
        IDENTITY_SIGNING_KEY: undefined,
      };
      for (let start = 1; start <= 3; start += 1) {
        const gateway = await startGateway(readGatewayConfig(env), silent);
        try {
          const response = await postGraphQL(gateway.url, '{ products { sku } }');
          expect(response.body.errors, `start ${start}`).toBeUndefined();
          expect(response.body.data.products).toHaveLength(3);
        } finally {
          await gateway.stop();
        }
      }
      expect(statSync(join(dataDir, 'gateway', 'identity-signing-key.pem')).mode & 0o777).toBe(0o600);
    } finally {
      await inventory.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (FAST_DRIVER === 'postgres') await dropSchemas([schema]);
    }
  });
});
