/**
 * The state token checks share across replicas (revocations, used DPoP proofs): in Redis when
 * REDIS_URL is set, over the same connection settings as the rate limits; in this process otherwise.
 */
import type { Logger } from '#platform';
import { openRedis, openRedisSubscriber, type RedisSettings } from '../redis.ts';
import type { TokensConfig } from './config.ts';
import { memoryReplayGuard, redisReplayGuard, type ReplayGuard } from './dpop/replayGuard.ts';
import { createRevocations, type Revocations } from './revocation/revocations.ts';
import type { Revocation } from './revocation/revocationList.ts';

export interface TokenStores {
  readonly revocations: Revocations;
  readonly replay: ReplayGuard;
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createTokenStores(
  config: TokensConfig,
  redisSettings: RedisSettings | undefined,
  logger: Logger,
  onRevoked: (revocation: Revocation) => void,
): TokenStores {
  const local = memoryReplayGuard();
  const base = { keyPrefix: revocationPrefix(config), resyncSeconds: config.revocation.resyncSeconds, onRevoked };
  if (!redisSettings) {
    logger.warn('No REDIS_URL: revocations and used DPoP proofs are kept in this process only, not shared with other replicas');
    const revocations = createRevocations(base, logger);
    return { revocations, replay: local, ready: () => revocations.ready(), close: () => revocations.close() };
  }
  const commands = openRedis(redisSettings);
  const subscriber = openRedisSubscriber(redisSettings);
  // Failures are reported where they matter (a reload, a revoke, a proof check), not per reconnect attempt.
  commands.on('error', () => {});
  subscriber.on('error', () => {});
  const revocations = createRevocations(
    { ...base, redis: { commands, subscriber, connectTimeoutMs: redisSettings.connectTimeoutMs } },
    logger,
  );
  let lastWarning = -Infinity;
  const replay = redisReplayGuard(commands, `${config.redisPrefix}dpop:`, local, (error) => {
    // Once per 10 s at most: an outage must not write a log line per request.
    if (performance.now() - lastWarning < 10_000) return;
    lastWarning = performance.now();
    logger.warn({ err: error }, 'DPoP: Redis failed, this replica alone remembers used proofs');
  });
  logger.info('revocations and used DPoP proofs are shared through Redis');
  return {
    revocations,
    replay,
    ready: () => revocations.ready(),
    async close() {
      await revocations.close();
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/** Where revocations live in Redis, under TOKEN_REDIS_PREFIX. */
export const revocationPrefix = (config: TokensConfig) => `${config.redisPrefix}revoked:`;
