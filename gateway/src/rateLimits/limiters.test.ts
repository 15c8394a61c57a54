import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#platform';
import { freePort } from '#platform/testing';
import { connectTestRedis, deleteKeys, REDIS_URL, redisAnswers, uniquePrefix } from '../../../e2e/redis.ts';
import { createLimiterStore, type LimiterStore } from './limiters.ts';
import type { RateLimitPolicy, RateLimitsConfig } from './policy.ts';

const silent = createLogger('gateway', 'silent');
const policy = (over: Partial<RateLimitPolicy> = {}): RateLimitPolicy => ({
  name: 'user',
  points: 3,
  durationSeconds: 60,
  burst: 0,
  burstDurationSeconds: 600,
  ...over,
});
const config = (redis?: RateLimitsConfig['redis']): RateLimitsConfig => ({
  enabled: true,
  user: policy(),
  anonymous: policy({ name: 'anonymous' }),
  mutations: { placeOrder: policy({ name: 'placeOrder' }), initiatePayment: policy({ name: 'initiatePayment' }) },
  trustedProxyHops: 0,
  ...(redis ? { redis } : {}),
});

async function outcomes(store: LimiterStore, limit: RateLimitPolicy, key: string, times: number) {
  const limiter = store.limiter(limit);
  const decisions = [];
  for (let sent = 0; sent < times; sent += 1) decisions.push(await limiter.consume(key));
  return decisions;
}

describe('in memory', () => {
  const store = createLimiterStore(config(), { onStoreFailure: () => {} }, silent);

  it('allows `points` per window, then refuses, with what is left and when it resets', async () => {
    const decisions = await outcomes(store, policy(), 'alice', 4);
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]!.resetSeconds).toBeGreaterThan(55);
    expect(decisions[3]!.resetSeconds).toBeLessThanOrEqual(60);
  });

  it('lets a burst through once the steady allowance is spent', async () => {
    const decisions = await outcomes(store, policy({ burst: 2 }), 'bob', 6);
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false]);
  });

  it('spends several points at once, and refuses a request worth more than is left', async () => {
    const limiter = store.limiter(policy({ name: 'placeOrder', points: 5 }));
    expect((await limiter.consume('carol', 3)).allowed).toBe(true);
    expect((await limiter.consume('carol', 3)).allowed).toBe(false);
  });
});

describe('with Redis unreachable', () => {
  it('decides with local counters, reports each failure, and answers without waiting', async () => {
    const failures: string[] = [];
    const port = await freePort();
    const store = createLimiterStore(
      config({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'unused:', commandTimeoutMs: 200, connectTimeoutMs: 200 }),
      { onStoreFailure: (name) => failures.push(name) },
      silent,
    );
    try {
      await store.ready();
      const startedAt = performance.now();
      const decisions = await outcomes(store, policy(), 'dave', 4);
      expect(performance.now() - startedAt).toBeLessThan(2_000);
      expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
      expect(failures).toEqual(['user', 'user', 'user', 'user']);
    } finally {
      await store.close();
    }
  });
});

const redisUp = await redisAnswers();
describe.skipIf(!redisUp)('in Redis', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix();
  const redisConfig = { url: REDIS_URL, keyPrefix: prefix, commandTimeoutMs: 2000, connectTimeoutMs: 2000 };
  const failures: unknown[] = [];
  const stores = [1, 2].map(() =>
    createLimiterStore(config(redisConfig), { onStoreFailure: (_name, error) => failures.push(error) }, silent),
  );
  beforeAll(async () => {
    await redis.connect();
    await Promise.all(stores.map((store) => store.ready()));
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('is one allowance for every store on the same Redis and prefix, exact under concurrency', async () => {
    const limiters = stores.map((store) => store.limiter(policy({ points: 7, burst: 3 })));
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, index) => limiters[index % 2]!.consume('erin')));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
    expect(failures).toEqual([]);
    expect(await redis.exists(`${prefix}user:erin`, `${prefix}user-burst:erin`)).toBe(2);
  });
});
