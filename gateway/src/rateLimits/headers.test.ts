import { describe, expect, it } from 'vitest';
import { rateLimitHeaders, retryAfterSeconds } from './headers.ts';
import type { Decision, RateLimitPolicy } from './policy.ts';

const policy = (name: string, burst = 0): RateLimitPolicy => ({
  name,
  points: 10,
  durationSeconds: 60,
  burst,
  burstDurationSeconds: 600,
});
const decision = (over: Partial<Decision> & { policy: RateLimitPolicy }): Decision => ({
  allowed: true,
  remaining: 4,
  resetSeconds: 17,
  ...over,
});

describe('RateLimit fields (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('lists each policy with its quota and window, and its live remaining and reset', () => {
    expect(rateLimitHeaders([decision({ policy: policy('user') })])).toEqual({
      'RateLimit-Policy': '"user";q=10;w=60',
      RateLimit: '"user";r=4;t=17',
    });
  });

  it('advertises a burst as a policy of its own, and several policies as one list', () => {
    const headers = rateLimitHeaders([
      decision({ policy: policy('user', 5) }),
      decision({ policy: policy('placeOrder'), remaining: 0, resetSeconds: 3 }),
    ]);
    expect(headers['RateLimit-Policy']).toBe('"user";q=10;w=60, "user-burst";q=5;w=600, "placeOrder";q=10;w=60');
    expect(headers.RateLimit).toBe('"user";r=4;t=17, "placeOrder";r=0;t=3');
  });

  it('never tells a refused client to retry after 0 seconds', () => {
    expect(retryAfterSeconds(decision({ policy: policy('user'), resetSeconds: 0 }))).toBe('1');
    expect(retryAfterSeconds(decision({ policy: policy('user'), resetSeconds: 42 }))).toBe('42');
  });
});
