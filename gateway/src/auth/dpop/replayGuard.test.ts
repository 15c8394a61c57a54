import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { memoryReplayGuard, redisReplayGuard } from './replayGuard.ts';

describe('memoryReplayGuard', () => {
  it('refuses an id seen within its time to live, and forgets it after', async () => {
    let now = 0;
    const guard = memoryReplayGuard(() => now);
    expect(await guard.firstUse('a', 60)).toBe(true);
    expect(await guard.firstUse('a', 60)).toBe(false);
    now = 60_000;
    expect(await guard.firstUse('a', 60)).toBe(true);
  });
});

describe('redisReplayGuard', () => {
  it('keeps refusing replays on this replica while Redis fails, and reports each failure', async () => {
    const failing = { set: async () => Promise.reject(new Error('Connection is closed.')) } as unknown as Redis;
    const failures: unknown[] = [];
    const guard = redisReplayGuard(failing, 'p:', memoryReplayGuard(), (error) => failures.push(error));
    expect(await guard.firstUse('jkt:jti', 60)).toBe(true);
    expect(await guard.firstUse('jkt:jti', 60)).toBe(false);
    expect(failures).toHaveLength(2);
  });

  it('asks Redis to set a hashed key only if absent, expiring with the proof', async () => {
    const calls: unknown[][] = [];
    const redis = { set: async (...args: unknown[]) => (calls.push(args), calls.length === 1 ? 'OK' : null) } as unknown as Redis;
    const guard = redisReplayGuard(redis, 'p:', memoryReplayGuard(), () => {});
    expect(await guard.firstUse('x'.repeat(5000), 61)).toBe(true);
    expect(await guard.firstUse('x'.repeat(5000), 61)).toBe(false);
    expect(calls[0]).toEqual([expect.stringMatching(/^p:[A-Za-z0-9_-]{43}$/), '1', 'PX', 61_000, 'NX']);
  });
});
