/**
 * Replicas survive faults: two of every service behind HAProxy, on the PostgreSQL server and
 * Redis, under steady load; one gateway and one orders replica are SIGKILLed and started again.
 * Only requests in flight at the kill may fail; no confirmed write is lost; the restarted
 * replicas are back in rotation without an operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './cluster.ts';
import { runDrill, type DrillReport } from './clusterDrill.ts';
import { DRIVERS, POSTGRES_URL } from './drivers.ts';
import { installed } from './probes.ts';

const haveHaproxy = installed('haproxy', '-v');
const runnable = haveHaproxy && DRIVERS.includes('postgres');
if (!runnable)
  console.warn('Skipping the cluster test: it needs haproxy and a PostgreSQL server (.ci/run installs and starts both)');

describe.skipIf(!runnable)('a cluster of two replicas per service behind HAProxy', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let report: DrillReport;

  beforeAll(async () => {
    cluster = await startCluster({ postgresUrl: POSTGRES_URL, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
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
  it('brought the restarted replicas back into rotation by itself', () => {
    expect(report.recoveryMs).toBeLessThan(30_000);
  });
});
