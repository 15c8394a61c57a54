/**
 * `npm run bench`: starts a secure stack and a baseline stack (the same code with verification,
 * identity signing and the shields switched off), seeds the bench customer, checks every scenario's
 * answer, warms up, then times each scenario on both stacks in alternating slices, round after round.
 *
 *   npm run bench -- [--duration 5] [--slice 1] [--rounds 3] [--connections 10] [--warmup 5] [--orders 10]
 *                    [--soak [60]] [--profile] [--out bench/results]
 *
 * --profile: a CPU profile of every service over the timed runs, in bench/profiles/<start time>/.
 *
 * DATABASE_URL: run the subgraphs on that PostgreSQL server (throwaway schemas) instead of PGlite.
 */
import '../gateway/src/telemetry.ts';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import pg from 'pg';
import { DEFAULT_IDENTITY_ISSUER, viewerFromClaims, createIdentitySigner } from '#identity';
import { alternate, type Contender } from './alternate.ts';
import { encodeIdentity } from './baseline.ts';
import { clientToken, send } from './client.ts';
import { measure } from './measure.ts';
import { printSummary, summarize, writeSummary, type Memory, type Raw, type Run } from './report.ts';
import { requestFor, SCENARIOS, type Endpoints, type Scenario } from './scenarios.ts';
import { BENCH_CUSTOMER, PAYMENT_PROCESSOR, seedCustomerOrders } from './seed.ts';
import type { Mode } from './services.ts';
import { startBenchStack, type BenchStack } from './stack.ts';

// `--soak` alone means 60 s.
const argv = process.argv
  .slice(2)
  .flatMap((arg, index, all) => (arg === '--soak' && !/^\d+$/.test(all[index + 1] ?? '') ? [arg, '60'] : [arg]));
const { values: args } = parseArgs({
  args: argv,
  options: {
    duration: { type: 'string', default: '5' },
    slice: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    orders: { type: 'string', default: '10' },
    soak: { type: 'string', default: '0' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
  },
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

const databaseUrl = process.env.DATABASE_URL;
const MODES: readonly Mode[] = ['secure', 'baseline'];
/**
 * Scenarios timed side by side, in alternating slices: the denial shares its group with its granted
 * twin, and scenario 5 through the gateway with scenario 5 direct, so each pair compares like with like.
 */
const GROUPS: readonly (readonly Scenario[])[] = [['1'], ['2'], ['3', '3g'], ['5g', '5d']].map((ids) =>
  ids.map((id) => SCENARIOS.find((scenario) => scenario.id === id)!),
);
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const startedAt = new Date();
const runId = randomBytes(3).toString('hex');
const identitySigningKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const profileDir = args.profile
  ? fileURLToPath(new URL(`./profiles/${startedAt.toISOString().replace(/[:.]/g, '-')}/`, import.meta.url))
  : undefined;

log(`starting the secure and baseline stacks (${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}), one process per service`);
const stacks = {} as Record<Mode, BenchStack>;
let exitCode = 0;
try {
  const started = await Promise.allSettled(
    MODES.map((mode) => startBenchStack({ mode, identitySigningKey, runId, ...(databaseUrl ? { databaseUrl } : {}) })),
  );
  started.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') stacks[MODES[index]!] = outcome.value;
  });
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;

  const clientTokens = {
    customer: await clientToken(BENCH_CUSTOMER),
    bob: await clientToken({ sub: 'bob' }),
    alice: await clientToken({ sub: 'alice' }),
  };
  const processor = await clientToken(PAYMENT_PROCESSOR);
  // What the gateway makes of the customer's token, so a direct call carries the same identity.
  const customer = viewerFromClaims(decodeJwt(clientTokens.customer), 'roles');
  const signer = await createIdentitySigner({ issuer: DEFAULT_IDENTITY_ISSUER, signingKey: identitySigningKey });

  const endpoints = {} as Record<Mode, Endpoints>;
  const orderIds = {} as Record<Mode, string[]>;
  for (const mode of MODES) {
    endpoints[mode] = {
      gatewayUrl: stacks[mode].gatewayUrl,
      ordersUrl: stacks[mode].subgraphUrls.orders,
      clientTokens,
      ordersIdentity: () =>
        mode === 'secure' ? signer.sign(customer, 'orders') : Promise.resolve(encodeIdentity(customer, 'orders')),
    };
    orderIds[mode] = await seedCustomerOrders(
      stacks[mode].gatewayUrl,
      { customer: clientTokens.customer, processor },
      settings.orders,
    );
  }
  log(`seeded ${settings.orders} paid orders of 3 items for ${BENCH_CUSTOMER.sub!} in each stack`);

  // Every answer is checked before anything is timed; timed runs then insist on the same bytes.
  const expected = new Map<string, string>();
  const problems: string[] = [];
  for (const scenario of SCENARIOS) {
    for (const mode of MODES) {
      const answer = await send(await requestFor(scenario, endpoints[mode]));
      const wrong = scenario.check(answer, { mode, orderIds: orderIds[mode] });
      problems.push(...wrong.map((problem) => `scenario ${scenario.id} (${mode}): ${problem}`));
      expected.set(`${scenario.id}/${mode}`, answer.text);
    }
  }
  if (problems.length > 0) throw new Error(`wrong answers, nothing timed:\n  ${problems.join('\n  ')}`);
  log('every scenario answers correctly on both stacks');

  const contenders = (group: readonly Scenario[]) =>
    group.flatMap((scenario) =>
      MODES.map((mode) => ({
        scenario,
        mode,
        contender: {
          request: () => requestFor(scenario, endpoints[mode]),
          expectBody: expected.get(`${scenario.id}/${mode}`)!,
          stack: stacks[mode],
          viaGateway: scenario.route === 'gateway',
        } satisfies Contender,
      })),
    );
  const timing = { connections: settings.connections, sliceS: settings.sliceS };

  log(`warming up: ${settings.warmupS} s per scenario and stack`);
  for (const group of GROUPS)
    await alternate(
      contenders(group).map((c) => c.contender),
      { ...timing, totalS: settings.warmupS },
    );
  const memory: Memory = { afterWarmup: await gatewayMemory(stacks), afterRounds: [], afterRun: await gatewayMemory(stacks) };
  // Profiles cover the timed runs only: start-up and warm-up would drown them.
  if (profileDir) await Promise.all(MODES.map((mode) => stacks[mode].startProfiling()));

  const runs: Run[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    log(
      `round ${round}/${settings.rounds}: each scenario ${settings.durationS} s per stack, secure and baseline alternating ` +
        `every ${settings.sliceS} s, ${settings.connections} connections`,
    );
    for (const group of GROUPS) {
      const members = contenders(group);
      const timed = await alternate(
        members.map((member) => member.contender),
        { ...timing, totalS: settings.durationS },
      );
      members.forEach(({ scenario, mode, contender }, index) =>
        runs.push({ scenario: scenario.id, mode, round, viaGateway: contender.viaGateway, ...timed[index]! }),
      );
    }
    memory.afterRounds.push(await gatewayMemory(stacks));
  }

  let soak: Raw['soak'] = null;
  if (soakS > 0) {
    log(`soak: scenario 2 on the secure stack for ${soakS} s`);
    const before = (await stacks.secure.stats(true)).gateway.rss;
    const scenario2 = SCENARIOS.find((scenario) => scenario.id === '2')!;
    const request = await requestFor(scenario2, endpoints.secure);
    const { latencies: _latencies, ...result } = await measure(request, expected.get('2/secure')!, {
      connections: settings.connections,
      durationS: soakS,
    });
    soak = { durationS: soakS, result, gatewayRss: { before, after: (await stacks.secure.stats(true)).gateway.rss } };
  }
  if (profileDir) await Promise.all(MODES.map((mode) => stacks[mode].stopProfiling(profileDir)));
  memory.afterRun = await gatewayMemory(stacks);

  const summary = summarize({
    startedAt,
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      loadavg: loadavg().map((load) => Math.round(load * 100) / 100),
    },
    settings: { ...settings, database: databaseUrl ? 'postgres' : 'pglite' },
    scenarios: SCENARIOS,
    runs,
    memory,
    soak,
  });
  printSummary(summary);
  log(`results written to ${writeSummary(summary, args.out)}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
  if (databaseUrl)
    await dropSchemas(
      databaseUrl,
      Object.values(stacks).flatMap((stack) => stack.schemas),
    );
  if (profileDir) log(`CPU profile of every service in ${profileDir}; summarise one with: npx tsx bench/profile.ts <file>`);
}
process.exit(exitCode);

function usage(problem: string): never {
  console.error(problem);
  process.exit(2);
}

/** Each gateway's memory once its garbage is collected, so readings taken at different times compare. */
async function gatewayMemory(all: Record<Mode, BenchStack>): Promise<Memory['afterRun']> {
  const [secure, baseline] = await Promise.all(MODES.map(async (mode) => (await all[mode].stats(true)).gateway));
  return {
    secure: { rss: secure!.rss, heapUsed: secure!.heapUsed },
    baseline: { rss: baseline!.rss, heapUsed: baseline!.heapUsed },
  };
}

async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
