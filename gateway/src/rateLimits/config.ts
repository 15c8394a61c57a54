/** The rate limit variables, parsed with the rest of the gateway's configuration (config.ts). */
import { z } from 'zod';
import type { RateLimitPolicy, RateLimitsConfig } from './policy.ts';

/** Defaults for production, where limits are on unless `RATE_LIMITS=off`. */
const DEFAULTS = {
  USER: { points: 300, duration: 60, burst: 100 },
  ANONYMOUS: { points: 60, duration: 60, burst: 30 },
  PLACE_ORDER: { points: 10, duration: 60, burst: 5 },
  INITIATE_PAYMENT: { points: 60, duration: 60, burst: 20 },
} as const;

const count = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000_000).default(fallback);
const seconds = (fallback: number) => z.coerce.number().int().min(1).max(86_400).default(fallback);
const points = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000_000).default(fallback);

export const rateLimitEnv = {
  RATE_LIMITS: z.enum(['on', 'off']).optional(),
  RATE_LIMIT_USER_POINTS: points(DEFAULTS.USER.points),
  RATE_LIMIT_USER_DURATION: seconds(DEFAULTS.USER.duration),
  RATE_LIMIT_USER_BURST: count(DEFAULTS.USER.burst),
  RATE_LIMIT_ANONYMOUS_POINTS: points(DEFAULTS.ANONYMOUS.points),
  RATE_LIMIT_ANONYMOUS_DURATION: seconds(DEFAULTS.ANONYMOUS.duration),
  RATE_LIMIT_ANONYMOUS_BURST: count(DEFAULTS.ANONYMOUS.burst),
  RATE_LIMIT_PLACE_ORDER_POINTS: points(DEFAULTS.PLACE_ORDER.points),
  RATE_LIMIT_PLACE_ORDER_DURATION: seconds(DEFAULTS.PLACE_ORDER.duration),
  RATE_LIMIT_PLACE_ORDER_BURST: count(DEFAULTS.PLACE_ORDER.burst),
  RATE_LIMIT_INITIATE_PAYMENT_POINTS: points(DEFAULTS.INITIATE_PAYMENT.points),
  RATE_LIMIT_INITIATE_PAYMENT_DURATION: seconds(DEFAULTS.INITIATE_PAYMENT.duration),
  RATE_LIMIT_INITIATE_PAYMENT_BURST: count(DEFAULTS.INITIATE_PAYMENT.burst),
  RATE_LIMIT_BURST_DURATION: seconds(600),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  RATE_LIMIT_REDIS_PREFIX: z.string().min(1).max(100).default('gateway:ratelimit:'),
  RATE_LIMIT_REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(500),
  RATE_LIMIT_REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
};

type RateLimitEnv = z.output<z.ZodObject<typeof rateLimitEnv>>;

export function readRateLimits(env: RateLimitEnv, production: boolean): RateLimitsConfig {
  const policy = (name: string, prefix: keyof typeof DEFAULTS): RateLimitPolicy => ({
    name,
    points: env[`RATE_LIMIT_${prefix}_POINTS`],
    durationSeconds: env[`RATE_LIMIT_${prefix}_DURATION`],
    burst: env[`RATE_LIMIT_${prefix}_BURST`],
    burstDurationSeconds: env.RATE_LIMIT_BURST_DURATION,
  });
  return {
    enabled: env.RATE_LIMITS ? env.RATE_LIMITS === 'on' : production,
    user: policy('user', 'USER'),
    anonymous: policy('anonymous', 'ANONYMOUS'),
    mutations: {
      placeOrder: policy('placeOrder', 'PLACE_ORDER'),
      initiatePayment: policy('initiatePayment', 'INITIATE_PAYMENT'),
    },
    trustedProxyHops: env.TRUST_PROXY,
    ...(env.REDIS_URL
      ? {
          redis: {
            url: env.REDIS_URL,
            keyPrefix: env.RATE_LIMIT_REDIS_PREFIX,
            commandTimeoutMs: env.RATE_LIMIT_REDIS_TIMEOUT_MS,
            connectTimeoutMs: env.RATE_LIMIT_REDIS_CONNECT_TIMEOUT_MS,
          },
        }
      : {}),
  };
}
