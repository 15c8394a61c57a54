/**
 * `npm run cluster`: two replicas of every service behind HAProxy on this machine, the fault drill
 * (e2e/clusterDrill.ts) under steady load with revocations around the kill, and its report. Needs
 * haproxy, the PostgreSQL server (TEST_DATABASE_URL) and Redis (REDIS_URL, default the local one).
 *
 *   npm run cluster -- [--duration 30] [--connections 8]
 */
import '../gateway/src/telemetry.ts';
import { parseArgs } from 'node:util';
import { startCluster } from '../e2e/cluster.ts';
import { runDrill } from '../e2e/clusterDrill.ts';
import { POSTGRES_URL } from '../e2e/drivers.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '30' }, connections: { type: 'string', default: '8' } },
  strict: true,
});
const durationS = Number(values.duration);
const connections = Number(values.connections);
if (!(durationS >= 12) || !(connections >= 1)) {
  console.error('Usage: npm run cluster -- [--duration <seconds, at least 12>] [--connections <n>]');
  process.exit(1);
}

const cluster = await startCluster({ postgresUrl: POSTGRES_URL, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
try {
  const killAtMs = Math.round(durationS * 300);
  const report = await runDrill(cluster, { durationMs: durationS * 1000, connections, killAtMs, restartAtMs: killAtMs + 3_000 });
  console.log(JSON.stringify(report, null, 2));
  const revocations = report.revocations!;
  const revocationsHeld =
    Object.values(revocations.propagationMs).every((ms) => ms <= revocations.boundMs) &&
    revocations.acceptedAfterRefusal === 0 &&
    revocations.restartedReplica.accepted === 0 &&
    revocations.subjectOrders.confirmedAfterRefusal === 0 &&
    revocations.subjectOrders.stored === revocations.subjectOrders.confirmed;
  process.exitCode = report.failedOtherwise === 0 && report.writesLost === 0 && revocationsHeld ? 0 : 1;
} finally {
  await cluster.stop();
}
