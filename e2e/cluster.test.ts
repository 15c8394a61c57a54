/**
 * Replicas survive faults: two of every service behind HAProxy, on the PostgreSQL server and
 * Redis, under steady load; one gateway and one orders replica are SIGKILLed and started again.
 * Only requests in flight at the kill may fail; no confirmed write is lost; the restarted
 * replicas are back in rotation without an operator. Revocations hold across the replicas: a token
 * revoked at one replica, or in Redis, is refused by every replica within the stated bound, the
 * restarted one included, and a revoked user gets nothing past the gateway.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './cluster.ts';
import { runDrill, type DrillReport } from './clusterDrill.ts';
import { REVOCATION_BOUND_MS } from './clusterRevocations.ts';
import { DRIVERS, POSTGRES_URL } from './drivers.ts';
import { installed } from './probes.ts';
import { postGraphQL } from './stack.ts';

const haveHaproxy = installed('haproxy', '-v');
const ANONYMOUS_LIMIT = 20;
const runnable = haveHaproxy && DRIVERS.includes('postgres');
if (!runnable)
  console.warn('Skipping the cluster test: it needs haproxy and a PostgreSQL server (.ci/run installs and starts both)');

describe.skipIf(!runnable)('a cluster of two replicas per service behind HAProxy', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let report: DrillReport;
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    cluster = await startCluster({
      postgresUrl: POSTGRES_URL,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      // Limits on, shared through Redis: the drill's signed-in users far below theirs, anonymous
      // callers (all of them 127.0.0.1, HAProxy's address) at 20 a minute across both gateways.
      gatewayEnv: {
        RATE_LIMITS: 'on',
        RATE_LIMIT_USER_POINTS: '1000000',
        RATE_LIMIT_PLACE_ORDER_POINTS: '1000000',
        RATE_LIMIT_ANONYMOUS_POINTS: String(ANONYMOUS_LIMIT),
        RATE_LIMIT_ANONYMOUS_BURST: '0',
        RATE_LIMIT_REDIS_PREFIX: `cluster:${run}:`,
        RATE_LIMIT_REDIS_TIMEOUT_MS: '3000',
      },
    });
    report = await runDrill(cluster);
    console.info(`cluster drill: ${JSON.stringify(report)}`);
  }, 240_000);
  afterAll(() => cluster?.stop());

  it('served steady load through the kills', () => {
    expect(report.sent).toBeGreaterThan(40);
  });

  it('failed no request that was not in flight at a kill', () => {
    expect(report.failedOtherwise).toBe(0);
  });

  it('lost no confirmed write', () => {
    expect(report.writesConfirmed).toBeGreaterThan(5);
    expect(report.writesLost).toBe(0);
  });

  // From the restart: the replicas' own start (a process compiling TypeScript on a busy machine) and
  // HAProxy's health checks putting them back.
  it('kept one rate limit across the replicas, the restarted one included', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => postGraphQL(cluster.url, '{ products { sku } }').then((response) => response.status)),
    );
    expect(answers.filter((status) => status === 200)).toHaveLength(ANONYMOUS_LIMIT);
    expect(answers.filter((status) => status === 429)).toHaveLength(50 - ANONYMOUS_LIMIT);
  });

  it('refused revoked tokens at every replica within the bound, the restarted one from its first answer', () => {
    const { propagationMs, acceptedAfterRefusal, restartedReplica } = report.revocations!;
    expect(propagationMs.jtiAtEndpoint).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    expect(propagationMs.subjectInRedis).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    expect(propagationMs.jtiWhileReplicaDown).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    expect(acceptedAfterRefusal).toBe(0);
    // It missed one announcement while down and lost the others with its memory: only Redis at start.
    expect(restartedReplica.refused).toBeGreaterThan(5);
    expect(restartedReplica.accepted).toBe(0);
  });

  it('let no request of a user revoked by subject past the gateway, and served their newer token', () => {
    const { subjectOrders, newerSubjectTokenServed } = report.revocations!;
    expect(subjectOrders.confirmed).toBeGreaterThanOrEqual(3);
    expect(subjectOrders.confirmedAfterRefusal).toBe(0);
    expect(subjectOrders.stored).toBe(subjectOrders.confirmed);
    expect(newerSubjectTokenServed).toBe(true);
  });

  it('brought the restarted replicas back into rotation by itself', () => {
    expect(report.recoveryMs).toBeLessThan(30_000);
  });
});
