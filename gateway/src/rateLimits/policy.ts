/**
 * What a rate limit is, independent of where its counters live: `points` per `duration` seconds,
 * plus an optional burst allowance of `burst` more per `burstDuration` seconds once those are spent.
 */
export interface RateLimitPolicy {
  /** Also the policy's name in the `RateLimit` and `RateLimit-Policy` headers. */
  readonly name: string;
  readonly points: number;
  readonly durationSeconds: number;
  readonly burst: number;
  readonly burstDurationSeconds: number;
}

/** The root mutation fields limited on their own, each counted once per occurrence in an operation. */
export const LIMITED_MUTATIONS = ['placeOrder', 'initiatePayment'] as const;
export type LimitedMutation = (typeof LIMITED_MUTATIONS)[number];

export interface RateLimitsConfig {
  enabled: boolean;
  /** Every request of a caller with a verified token, keyed by the token's `sub`. */
  user: RateLimitPolicy;
  /** Every request of an anonymous caller, keyed by its client address. */
  anonymous: RateLimitPolicy;
  mutations: Record<LimitedMutation, RateLimitPolicy>;
  /** Proxies in front of the gateway whose `X-Forwarded-For` entries are believed (0: none). */
  trustedProxyHops: number;
  redis?: { url: string; keyPrefix: string; commandTimeoutMs: number; connectTimeoutMs: number };
}

/** Who a request counts against: a user by `sub`, or an anonymous caller by address. */
export type RateLimitSubject = `user:${string}` | `address:${string}`;

export interface Decision {
  readonly policy: RateLimitPolicy;
  readonly allowed: boolean;
  /** Requests left in the current window of the main (non-burst) allowance. */
  readonly remaining: number;
  /** Seconds until the current window ends and the allowance is whole again. */
  readonly resetSeconds: number;
}
