/**
 * The counters behind every policy, kept by rate-limiter-flexible: in this process, or in Redis
 * (one atomic Lua script per consume) so that every gateway replica draws on one allowance.
 *
 * The algorithm is a fixed window per key: the first request opens a window of `duration` seconds
 * holding `points`; once they are spent, a policy with a burst draws on a second, longer window of
 * `burst` points (rate-limiter-flexible's BurstyRateLimiter). It is not a sliding token bucket:
 * a caller can spend a whole window's points at its end and the next window's at its start.
 */
import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '#platform';
import { openRedis } from '../redis.ts';
import type { Decision, RateLimitPolicy, RateLimitsConfig } from './policy.ts';

type Consumer = Pick<RateLimiterAbstract, 'consume'> | BurstyRateLimiter;

export interface PolicyLimiter {
  readonly policy: RateLimitPolicy;
  /** Spends `points` of `key`'s allowance; refused when not that many are left. */
  consume(key: string, points?: number): Promise<Decision>;
}

export interface LimiterEvents {
  /** The shared store failed for one consume; this replica's own counters decided instead. */
  onStoreFailure(policy: string, error: unknown): void;
}

export interface LimiterStore {
  limiter(policy: RateLimitPolicy): PolicyLimiter;
  /**
   * Resolves once Redis is connected, or after `connectTimeoutMs` without it, so a replica that
   * starts does not decide alone while its connection is still opening.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createLimiterStore(config: RateLimitsConfig, events: LimiterEvents, logger: Logger): LimiterStore {
  const redis = config.redis ? connectRedis(config.redis, logger) : undefined;
  return {
    limiter(policy) {
      const local = bursty(policy, (options) => new RateLimiterMemory(options));
      if (!redis) return decide(policy, local);
      const prefix = `${config.redis!.keyPrefix}${policy.name}`;
      const shared = bursty(
        policy,
        (options) =>
          new RateLimiterRedis({
            ...options,
            keyPrefix: `${prefix}${options.keyPrefix}`,
            storeClient: redis,
            rejectIfRedisNotReady: true,
          }),
      );
      return decide(policy, withFallback(policy.name, shared, local, events));
    },
    ready: () => (redis ? connected(redis, config.redis!.connectTimeoutMs) : Promise.resolve()),
    close: async () => void redis?.disconnect(),
  };
}

type LimiterFactory = (options: { points: number; duration: number; keyPrefix: string }) => RateLimiterAbstract;

function bursty(policy: RateLimitPolicy, create: LimiterFactory): Consumer {
  const steady = create({ points: policy.points, duration: policy.durationSeconds, keyPrefix: '' });
  if (policy.burst === 0) return steady;
  const burst = create({ points: policy.burst, duration: policy.burstDurationSeconds, keyPrefix: '-burst' });
  return new BurstyRateLimiter(steady, burst);
}

/**
 * Fail open to this replica's counters when the shared store errs (down, slow, refusing): the
 * limit then holds per replica instead of across them, rather than refusing everyone or no one.
 * rate-limiter-flexible's `insuranceLimiter` does the same silently; this one reports each use.
 */
function withFallback(policy: string, shared: Consumer, local: Consumer, events: LimiterEvents): Consumer {
  return {
    async consume(key: string | number, points?: number) {
      try {
        return await shared.consume(key, points);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw error;
        events.onStoreFailure(policy, error);
        return local.consume(key, points);
      }
    },
  } as Consumer;
}

function decide(policy: RateLimitPolicy, consumer: Consumer): PolicyLimiter {
  const decision = (allowed: boolean, res: RateLimiterRes): Decision => ({
    policy,
    allowed,
    remaining: res.remainingPoints,
    resetSeconds: Math.ceil(res.msBeforeNext / 1000),
  });
  return {
    policy,
    async consume(key, points = 1) {
      try {
        return decision(true, await consumer.consume(key, points));
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return decision(false, refusal);
        throw refusal;
      }
    },
  };
}

function connected(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

function connectRedis(options: NonNullable<RateLimitsConfig['redis']>, logger: Logger): Redis {
  const redis = openRedis(options);
  let healthy: boolean | undefined;
  const report = (up: boolean, error?: unknown) => {
    if (healthy === up) return;
    healthy = up;
    if (up) logger.info('rate limits: Redis connected, limits shared across replicas');
    else logger.warn({ err: error }, 'rate limits: Redis unavailable, each replica limits on its own');
  };
  redis.on('ready', () => report(true));
  redis.on('error', (error) => report(false, error));
  redis.on('end', () => report(false));
  return redis;
}
