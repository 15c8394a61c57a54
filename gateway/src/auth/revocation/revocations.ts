/**
 * Revocations shared by every gateway replica: written to Redis (each entry expiring when it can
 * no longer matter) and announced on a pub/sub channel that every replica listens to, so each
 * keeps its own `RevocationList` current and checks it on every request without any I/O. A
 * message lost while a replica's subscription was down is caught by a full reload: at once when
 * the subscription comes back, and every `resyncSeconds` whatever happens. Without Redis the list
 * is this process's alone.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '#platform';
import { parseRevocation, redisKeyOf } from './revocationCodec.ts';
import { RevocationList, type RevocableToken, type Revocation } from './revocationList.ts';

export interface RevocationsOptions {
  /** Commands fail fast (no offline queue); the subscriber is a connection of its own, as Redis requires. */
  redis?: { commands: Redis; subscriber: Redis; connectTimeoutMs: number };
  keyPrefix: string;
  resyncSeconds: number;
  /** Called for every revocation this replica learns of, its own and other replicas'. */
  onRevoked?: (revocation: Revocation) => void;
}

export interface Revocations {
  readonly shared: boolean;
  /** Stores and announces `revocation`; rejects when the shared store cannot take it. */
  revoke(revocation: Revocation): Promise<void>;
  isRevoked(token: RevocableToken): boolean;
  /** Resolves once the first reload is done (or failed: the replica then starts with what it has). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createRevocations(options: RevocationsOptions, logger: Logger): Revocations {
  const list = new RevocationList();
  const learn = (revocation: Revocation) => {
    list.add(revocation);
    options.onRevoked?.(revocation);
  };
  const prune = setInterval(() => list.prune(), 60_000).unref();
  if (!options.redis) {
    return {
      shared: false,
      revoke: async (revocation) => learn(revocation),
      isRevoked: (token) => list.isRevoked(token),
      ready: async () => {},
      close: async () => clearInterval(prune),
    };
  }
  return sharedRevocations({ ...options, redis: options.redis }, list, learn, prune, logger);
}

function sharedRevocations(
  options: RevocationsOptions & { redis: NonNullable<RevocationsOptions['redis']> },
  list: RevocationList,
  learn: (revocation: Revocation) => void,
  prune: NodeJS.Timeout,
  logger: Logger,
): Revocations {
  const { commands, subscriber, connectTimeoutMs } = options.redis;
  const channel = channelOf(options.keyPrefix);
  const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, `revocations: ${what}`);

  // Merged, never replaced: a revocation announced while the reload was reading must not be undone
  // by it. Nothing is ever un-revoked; entries leave the list only by expiring.
  const reload = async () => {
    for (const revocation of await readAll(commands, options.keyPrefix)) list.add(revocation);
  };
  const reloadQuietly = () => reload().catch(warn('reload from Redis failed, keeping the last list'));
  subscriber.on('message', (_channel: string, message: string) => {
    const revocation = parseRevocation(message);
    if (revocation) learn(revocation);
  });
  // Messages published while either connection was down are lost: reload once both are back.
  const reloadWhenBothUp = () => {
    if (commands.status === 'ready' && subscriber.status === 'ready') void reloadQuietly();
  };
  commands.on('ready', reloadWhenBothUp);
  subscriber.on('ready', reloadWhenBothUp);
  const subscribed = subscriber.subscribe(channel).catch(warn('subscribing failed'));
  const resync = setInterval(reloadQuietly, options.resyncSeconds * 1000).unref();

  return {
    shared: true,
    async revoke(revocation) {
      await storeRevocation(commands, options.keyPrefix, revocation);
      learn(revocation);
    },
    isRevoked: (token) => list.isRevoked(token),
    async ready() {
      // Subscribed first, loaded second: nothing revoked in between is missed.
      await withDeadline(subscribed.then(() => readyOnce(commands)).then(reload), connectTimeoutMs).catch(
        warn('Redis not reachable at start; revocations will load once it is'),
      );
    },
    async close() {
      clearInterval(prune);
      clearInterval(resync);
    },
  };
}

/** Writes `revocation` where every replica finds it (until it can no longer matter) and tells them. */
export async function storeRevocation(redis: Redis, keyPrefix: string, revocation: Revocation): Promise<void> {
  const untilMs = Math.ceil(revocation.until * 1000);
  await redis.set(redisKeyOf(keyPrefix, revocation), JSON.stringify(revocation), 'PXAT', untilMs);
  await redis.publish(channelOf(keyPrefix), JSON.stringify(revocation));
}

const channelOf = (keyPrefix: string) => `${keyPrefix}events`;

/** Every revocation in Redis: the keys under the prefix hold nothing else. */
async function readAll(redis: Redis, prefix: string): Promise<Revocation[]> {
  const revocations: Revocation[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    for (const value of await redis.mget(...keys)) {
      const revocation = value ? parseRevocation(value) : undefined;
      if (revocation) revocations.push(revocation);
    }
  } while (cursor !== '0');
  return revocations;
}

function readyOnce(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
