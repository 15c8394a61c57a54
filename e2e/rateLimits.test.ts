/**
 * Rate limits through the real gateway: per user, per client address for anonymous callers, per
 * expensive mutation; 429 with Retry-After and the RateLimit fields; shared through Redis by
 * gateway processes, exactly; and answered, per replica, when Redis is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { FAST_DRIVER, watchSubgraphs } from './probes.ts';
import { connectTestRedis, deleteKeys, REDIS_URL, redisAnswers, uniquePrefix } from './redis.ts';
import { codes, DEMO, postGraphQL, startStack, type GraphQLResponse, type Stack } from './stack.ts';
import { startTcpProxy } from './tcpProxy.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const PRODUCTS = '{ products { sku } }';
const placeOrder = (alias = 'placed') => `${alias}: placeOrder(items: [{ sku: "KB-001", quantity: 1 }]) { id }`;

let stack: Stack;
let alice: string;
let bob: string;
let wendy: string;
beforeAll(async () => {
  stack = await startStack({ driver: FAST_DRIVER });
  [alice, bob, wendy] = await Promise.all([stack.token(DEMO.alice), stack.token(DEMO.bob), stack.token(DEMO.wendy)]);
});
afterAll(() => stack?.stop());

/** Another gateway with rate limits on and `env` on top: its own counters, in memory unless REDIS_URL. */
const limitedGateway = (env: NodeJS.ProcessEnv) =>
  stack.startGateway({ RATE_LIMITS: 'on', RATE_LIMIT_USER_BURST: '0', RATE_LIMIT_ANONYMOUS_BURST: '0', ...env });

async function sendTimes(count: number, send: () => Promise<GraphQLResponse>): Promise<number[]> {
  const statuses: number[] = [];
  for (let sent = 0; sent < count; sent += 1) statuses.push((await send()).status);
  return statuses;
}

function expectRateLimited(response: GraphQLResponse, policy: string) {
  expect(response.status).toBe(429);
  expect(codes(response)).toEqual(['RATE_LIMITED']);
  expect(response.body.errors![0]!.extensions).toMatchObject({ policy });
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors![0]!.extensions).not.toHaveProperty('http');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

describe('per user', () => {
  it('lets RATE_LIMIT_USER_POINTS requests through per window, then answers 429 with Retry-After', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_USER_POINTS: '3', RATE_LIMIT_USER_DURATION: '60' });
    const allowed = await Promise.all([1, 2, 3].map(() => gateway.query(PRODUCTS, { token: alice })));
    expect(allowed.map((response) => response.status)).toEqual([200, 200, 200]);
    const { result: refused, reached } = await watchSubgraphs(stack, () => gateway.query(PRODUCTS, { token: alice }));
    expectRateLimited(refused, 'user');
    expect(refused.body.errors![0]!.message).toMatch(/Too many requests: retry after \d+ s/);
    expect(reached).toBe(0);
  });

  it('carries the IETF RateLimit and RateLimit-Policy fields on allowed and refused answers', async () => {
    const gateway = await limitedGateway({
      RATE_LIMIT_USER_POINTS: '2',
      RATE_LIMIT_USER_DURATION: '30',
      RATE_LIMIT_USER_BURST: '5',
      RATE_LIMIT_BURST_DURATION: '300',
    });
    const first = await gateway.query(PRODUCTS, { token: alice });
    expect(first.headers.get('ratelimit-policy')).toBe('"user";q=2;w=30, "user-burst";q=5;w=300');
    expect(first.headers.get('ratelimit')).toMatch(/^"user";r=1;t=(30|29)$/);
    // The steady allowance spent, the burst lets 5 more through; then 429.
    expect(await sendTimes(7, () => gateway.query(PRODUCTS, { token: alice }))).toEqual([200, 200, 200, 200, 200, 200, 429]);
  });

  it('counts each user on their own', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_USER_POINTS: '2' });
    expect(await sendTimes(3, () => gateway.query(PRODUCTS, { token: alice }))).toEqual([200, 200, 429]);
    expect(await sendTimes(2, () => gateway.query(PRODUCTS, { token: bob }))).toEqual([200, 200]);
  });

  it('is off by default outside production (on in production: rateLimits/config.test.ts)', async () => {
    const response = await stack.query(PRODUCTS, { token: alice });
    expect(response.headers.get('ratelimit')).toBeNull();
  });
});

describe('anonymous callers, per client address', () => {
  it('counts them by the socket address and ignores X-Forwarded-For from an untrusted client', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_ANONYMOUS_POINTS: '2' });
    const forged = (address: string) => gateway.query(PRODUCTS, { headers: { 'x-forwarded-for': address } });
    expect((await forged('203.0.113.1')).status).toBe(200);
    expect((await forged('203.0.113.2')).status).toBe(200);
    expectRateLimited(await forged('203.0.113.3'), 'anonymous');
    // A signed-in caller is counted by `sub`, not by the address anonymous callers used up.
    expect((await gateway.query(PRODUCTS, { token: alice })).status).toBe(200);
  });

  it('believes the entry a trusted proxy appended (TRUST_PROXY=1), never the ones before it', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_ANONYMOUS_POINTS: '1', TRUST_PROXY: '1' });
    const via = (chain: string) => gateway.query(PRODUCTS, { headers: { 'x-forwarded-for': chain } });
    expect((await via('198.51.100.7')).status).toBe(200);
    expectRateLimited(await via('198.51.100.7'), 'anonymous');
    // The client wrote the first entry, the proxy the last: a new first entry buys nothing.
    expectRateLimited(await via('10.9.9.9, 198.51.100.7'), 'anonymous');
    expect((await via('198.51.100.8')).status).toBe(200);
  });
});

describe('expensive mutations', () => {
  const orderCount = async (token: string) =>
    ((await stack.query('{ myOrders { id } }', { token })).body.data.myOrders as unknown[]).length;

  it('limits placeOrder per user, counting every root field of the operation', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_PLACE_ORDER_POINTS: '2', RATE_LIMIT_PLACE_ORDER_BURST: '0' });
    const before = await orderCount(alice);
    expect((await gateway.query(`mutation { ${placeOrder()} }`, { token: alice })).status).toBe(200);
    const second = await gateway.query(`mutation { ${placeOrder()} }`, { token: alice });
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit')).toMatch(/^"user";r=\d+;t=\d+, "placeOrder";r=0;t=\d+$/);
    expect(second.headers.get('ratelimit-policy')).toContain('"placeOrder";q=2;w=60');

    const { result: third, reached } = await watchSubgraphs(stack, () =>
      gateway.query(`mutation { ${placeOrder()} }`, { token: alice }),
    );
    expectRateLimited(third, 'placeOrder');
    expect(third.body.errors![0]!.message).toMatch(/Too many placeOrder mutations/);
    expect(third.headers.get('ratelimit')).toMatch(/"placeOrder";r=0;t=\d+$/);
    expect(reached).toBe(0);
    expect(await orderCount(alice)).toBe(before + 2);
  });

  it('refuses an operation whose aliases and fragments hold more placeOrders than are left, storing none', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_PLACE_ORDER_POINTS: '2', RATE_LIMIT_PLACE_ORDER_BURST: '0' });
    const before = await orderCount(bob);
    const hidden = `mutation { ${placeOrder('a')} ...More } fragment More on Mutation { ${placeOrder('b')} ... on Mutation { ${placeOrder('c')} } }`;
    expectRateLimited(await gateway.query(hidden, { token: bob }), 'placeOrder');
    expect(await orderCount(bob)).toBe(before);
  });

  it('counts one field spread twice once, as GraphQL runs it once', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_PLACE_ORDER_POINTS: '1', RATE_LIMIT_PLACE_ORDER_BURST: '0' });
    const twice = `mutation { ...One ...One } fragment One on Mutation { ${placeOrder()} }`;
    const response = await gateway.query(twice, { token: wendy });
    expect(response.status).toBe(200);
    expect(response.body.data.placed.id).toEqual(expect.any(String));
  });

  it('limits initiatePayment on its own allowance', async () => {
    const paula = await stack.token(DEMO.paula);
    const gateway = await limitedGateway({ RATE_LIMIT_INITIATE_PAYMENT_POINTS: '1', RATE_LIMIT_INITIATE_PAYMENT_BURST: '0' });
    const pay = () =>
      gateway.query('mutation { initiatePayment(orderId: "order-3", amountCents: 100) { id } }', { token: paula });
    expect((await pay()).status).toBe(200);
    expectRateLimited(await pay(), 'initiatePayment');
    // Other mutations and queries of the same user still go through.
    expect((await gateway.query(PRODUCTS, { token: paula })).status).toBe(200);
  });
});

describe('Redis unreachable: each replica limits on its own (fail open to local counters)', () => {
  it('answers within the deadline and still refuses past the limit when nothing listens at REDIS_URL', async () => {
    const nobody = await freePort();
    const gateway = await limitedGateway({ REDIS_URL: `redis://127.0.0.1:${nobody}`, RATE_LIMIT_USER_POINTS: '2' });
    const startedAt = Date.now();
    expect(await sendTimes(3, () => gateway.query(PRODUCTS, { token: alice }))).toEqual([200, 200, 429]);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});

const redisUp = await redisAnswers();
if (!redisUp) console.warn(`Skipping the shared rate limit tests: no Redis answers at ${REDIS_URL}`);

describe.skipIf(!redisUp)('shared through Redis', { timeout: 180_000 }, () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix();
  const children: ChildProcess[] = [];
  /** What the gateway processes logged, shown when an assertion fails. */
  const outputs: (() => string)[] = [];
  beforeAll(() => redis.connect());
  afterAll(async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  /** A gateway process as `npm run start:gateway` runs it, in front of the stack's subgraphs. */
  async function startGatewayProcess(env: NodeJS.ProcessEnv): Promise<string> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        APOLLO_TELEMETRY_DISABLED: 'true',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        IDENTITY_SIGNING_KEY: stack.identitySigningKey,
        ORDERS_URL: stack.subgraphs.orders.server.url,
        PAYMENTS_URL: stack.subgraphs.payments.server.url,
        INVENTORY_URL: stack.subgraphs.inventory.server.url,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    outputs.push(() => output);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`gateway exited early:\n${output}`);
      if (
        await fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.ok,
          () => false,
        )
      ) {
        return `http://127.0.0.1:${port}/graphql`;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`gateway on ${port} never became healthy:\n${output}`);
  }

  it('is one exact limit across two gateway processes under 100 concurrent requests', async () => {
    // A generous command timeout: on a busy machine a slow reply would be decided locally, and inexactly.
    const env = {
      RATE_LIMITS: 'on',
      REDIS_URL,
      RATE_LIMIT_REDIS_PREFIX: prefix,
      RATE_LIMIT_REDIS_TIMEOUT_MS: '3000',
      RATE_LIMIT_USER_POINTS: '10',
      RATE_LIMIT_USER_BURST: '0',
    };
    const urls = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) => postGraphQL(urls[index % 2]!, PRODUCTS, { token: bob })),
    );
    const statuses = responses.map((response) => response.status);
    expect(
      statuses.filter((status) => status === 200),
      outputs.map((output) => output()).join('\n'),
    ).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(90);
    // Each process got 50 of the requests: counting alone, each would have let 10 through (20 in all).
    expect(Number(await redis.get(`${prefix}user:user:bob`))).toBe(100);
  });

  it('keeps answering with per-replica counters when Redis stops answering mid-way', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(REDIS_URL).port || 6379) });
    try {
      const gateway = await limitedGateway({
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        RATE_LIMIT_REDIS_PREFIX: prefix,
        RATE_LIMIT_USER_POINTS: '3',
      });
      await waitFor(async () => (await gateway.query(PRODUCTS, { token: wendy })).status === 200);
      expect(Number(await redis.get(`${prefix}user:user:wendy`))).toBeGreaterThanOrEqual(1);
      proxy.cut();
      const startedAt = Date.now();
      // A fresh local allowance of 3 on this replica, then 429: limited, and answered quickly.
      expect(await sendTimes(4, () => gateway.query(PRODUCTS, { token: wendy }))).toEqual([200, 200, 200, 429]);
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      await proxy.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
