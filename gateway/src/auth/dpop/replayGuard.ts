/**
 * Remembers the DPoP proofs already used, for as long as they could still be accepted: in Redis
 * when it is configured, so a proof replayed at another replica is refused too; in this process
 * otherwise, and whenever Redis fails (a replay then only gets through at another replica).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ReplayGuard {
  /** True the first time `id` is seen within `ttlSeconds`, false for every use after. */
  firstUse(id: string, ttlSeconds: number): Promise<boolean>;
}

export function memoryReplayGuard(now: () => number = Date.now, capacity = 100_000): ReplayGuard {
  const seen = new Map<string, number>();
  const prune = () => {
    const current = now();
    for (const [id, expiresAt] of seen) if (expiresAt <= current) seen.delete(id);
  };
  return {
    async firstUse(id, ttlSeconds) {
      const expiresAt = seen.get(id);
      if (expiresAt !== undefined && expiresAt > now()) return false;
      if (seen.size >= capacity) prune();
      seen.set(id, now() + ttlSeconds * 1000);
      return true;
    },
  };
}

export function redisReplayGuard(
  redis: Redis,
  keyPrefix: string,
  fallback: ReplayGuard,
  onStoreFailure: (error: unknown) => void,
): ReplayGuard {
  return {
    async firstUse(id, ttlSeconds) {
      // The id holds client input: hashed, it is a key of fixed length whatever was sent.
      const key = `${keyPrefix}${createHash('sha256').update(id).digest('base64url')}`;
      try {
        return (await redis.set(key, '1', 'PX', Math.ceil(ttlSeconds * 1000), 'NX')) === 'OK';
      } catch (error) {
        onStoreFailure(error);
        return fallback.firstUse(id, ttlSeconds);
      }
    },
  };
}
