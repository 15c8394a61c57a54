/**
 * `npm run bench`: on each database (embedded PGlite, then the PostgreSQL server when one answers),
 * three stacks side by side, one process per service: secure (production), baseline (production's
 * parts without security) and a bare federation from public parts (bench/bare/). Every answer is
 * checked first; then each scenario is timed on the three in alternating slices, round after round.
 * Exits 1 when a target is missed, 2 on a usage error.
 *
 *   npm run bench -- [--duration 3] [--slice 1] [--rounds 3] [--connections 10] [--warmup 2] [--orders 10]
 *                    [--soak [60]] [--profile] [--database pglite|postgres|both] [--record] [--out <dir>]
 *                    [--no-cold-start]
 *
 * Results go to --out (default <tmp>/bench-results/), or to bench/results/ with --record.
 * --profile: a CPU profile of every service over the timed runs, in a profiles-<time>/ folder of --out.
 * DATABASE_URL: the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test).
 * Last, `npm start` itself is timed from a fresh data folder and on a restart (bench/coldStart.ts):
 * the seconds until every service is healthy (target: 10 on a fresh start) and each process's memory
 * (target: the launcher at most 60 MB).
 */
import '../gateway/src/telemetry.ts';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { formatColdStart, measureColdStart, type StartMeasurement } from './coldStart.ts';
import { printDatabase, writeSummary, type BenchSummary } from './print.ts';
import { summarize } from './report.ts';
import { SCENARIOS } from './scenarios.ts';
import { benchDatabase, type Database } from './session.ts';

// `--soak` alone means 60 s.
const argv = process.argv
  .slice(2)
  .flatMap((arg, index, all) => (arg === '--soak' && !/^\d+$/.test(all[index + 1] ?? '') ? [arg, '60'] : [arg]));
const { values: args } = parseArgs({
  args: argv,
  options: {
    duration: { type: 'string', default: '3' },
    slice: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    orders: { type: 'string', default: '10' },
    soak: { type: 'string', default: '0' },
    profile: { type: 'boolean', default: false },
    database: { type: 'string', default: 'both' },
    record: { type: 'boolean', default: false },
    out: { type: 'string' },
    'cold-start': { type: 'boolean', default: true },
  },
  allowNegative: true,
  strict: true,
});
const settings = {
  connections: Number(args.connections),
  durationS: Number(args.duration),
  sliceS: Number(args.slice),
  rounds: Number(args.rounds),
  warmupS: Number(args.warmup),
  orders: Number(args.orders),
};
for (const [name, value] of Object.entries(settings)) {
  if (!(value > 0)) usage(`--${name.replace(/S$/, '')} must be a positive number`);
}
const soakS = Number(args.soak);
if (!(soakS >= 0)) usage('--soak takes a number of seconds');
if (!['pglite', 'postgres', 'both'].includes(args.database)) usage('--database is pglite, postgres or both');

const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RECORDED = fileURLToPath(new URL('./results/', import.meta.url));
const scratch = args.out ?? join(tmpdir(), 'bench-results');
const outDir = args.record ? RECORDED : scratch;
const startedAt = new Date();
// Profiles are large and machine-specific: never among the recorded results.
const profileDir = args.profile ? join(scratch, `profiles-${startedAt.toISOString().replace(/[:.]/g, '-')}`) : undefined;
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const skipped: string[] = [];
const databases: Database[] = [];
if (args.database !== 'postgres') databases.push({ name: 'pglite' });
if (args.database !== 'pglite') {
  const problem = await postgresProblem(POSTGRES_URL);
  if (problem) skipped.push(`postgres: no server answers at ${POSTGRES_URL} (${problem})`);
  else databases.push({ name: 'postgres', url: POSTGRES_URL });
}
for (const reason of skipped) log(`skipping ${reason}`);

let exitCode = 0;
const summaries: BenchSummary['databases'] = [];
let coldStart: StartMeasurement[] = [];
try {
  for (const database of databases) {
    const raw = await benchDatabase(database, { ...settings, soakS, ...(profileDir ? { profileDir } : {}) }, log);
    const summary = summarize(raw, SCENARIOS);
    printDatabase(summary);
    summaries.push(summary);
  }
  if (args['cold-start']) {
    log('timing npm start: a fresh data folder, then a restart');
    coldStart = await measureColdStart({ restarts: 1, deadlineMs: 120_000 });
    console.log(`\n${formatColdStart(coldStart)}\n`);
  }
  const missed = [
    ...summaries.flatMap((summary) => summary.targets.filter((target) => target.met === false)),
    ...coldStartTargets(coldStart).filter((target) => !target.met),
  ];
  for (const target of coldStartTargets(coldStart)) log(`${target.met ? 'met' : 'MISSED'}: ${target.name} (${target.value})`);
  if (missed.length > 0) exitCode = 1;
  log(`${missed.length} target(s) missed`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  if (summaries.length > 0) {
    const file = writeSummary(
      {
        date: startedAt.toISOString().slice(0, 10),
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        environment: {
          node: process.version,
          cpus: cpus().length,
          cpu: cpus()[0]?.model ?? 'unknown',
          loadavg: loadavg().map((load) => Math.round(load * 100) / 100),
        },
        settings: { ...settings, soakS },
        scenarios: SCENARIOS.map(({ id, title, route, caller, document }) => ({ id, title, route, caller, document })),
        skipped,
        databases: summaries,
        coldStart,
      },
      outDir,
    );
    log(`results written to ${file}${args.record ? '' : ' (--record writes bench/results/)'}`);
  }
}
process.exit(exitCode);

/** The start-up targets of the runtime issue, for the fresh start (the slowest). */
function coldStartTargets(results: StartMeasurement[]) {
  const fresh = results.find((result) => result.kind === 'fresh');
  if (!fresh) return [];
  const healthy = {
    name: 'npm start all-healthy <= 10 s on a fresh PGlite folder',
    value: `${fresh.healthySeconds.toFixed(1)} s`,
  };
  const launcherMb = fresh.processes.find((entry) => entry.role === 'launcher')?.rssMb;
  const launcher = { name: 'launcher RSS <= 60 MB after every service is ready', value: `${launcherMb ?? '?'} MB` };
  return [
    { ...healthy, met: fresh.healthySeconds <= 10 },
    { ...launcher, met: launcherMb !== undefined && launcherMb <= 60 },
  ];
}

function usage(problem: string): never {
  console.error(problem);
  process.exit(2);
}

/** Why the PostgreSQL server cannot be used, or undefined when it answers. */
async function postgresProblem(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}
