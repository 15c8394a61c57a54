/**
 * One database's part of `npm run bench`: the three stacks on it, the bench customer's data in
 * each, every answer checked (the bare federation's byte for byte against the secure stack's),
 * warm-up, memory, alternating rounds, the optional soak, then the raw numbers for the report.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import pg from 'pg';
import { DEFAULT_IDENTITY_ISSUER, IDENTITY_HEADER, viewerFromClaims, createIdentitySigner } from '#identity';
import { alternate, type Contender } from './alternate.ts';
import type { BenchData } from './bare/data.ts';
import { USER_HEADER } from './bare/server.ts';
import { encodeIdentity } from './baseline/identity.ts';
import { clientToken, send } from './client.ts';
import { MODES, type Mode } from './launch.ts';
import { measure } from './measure.ts';
import type { Memory, MemoryReading, Raw, Run, ServiceMemory } from './report.ts';
import { requestFor, SCENARIOS, type Endpoints, type Scenario } from './scenarios.ts';
import { BENCH_CUSTOMER, ORDER_ITEMS, ORDER_TOTAL_CENTS, PAYMENT_PROCESSOR, seedCustomerOrders } from './seed.ts';
import { ROLES, startBenchStack, type BenchStack, type ServiceStats } from './stack.ts';

export interface SessionSettings {
  connections: number;
  durationS: number;
  sliceS: number;
  rounds: number;
  warmupS: number;
  orders: number;
  soakS: number;
  /** Where CPU profiles go, one per service and stack; none without --profile. */
  profileDir?: string;
}

export type Database = { name: 'pglite' } | { name: 'postgres'; url: string };

/**
 * Scenarios timed side by side, in alternating slices: the denial shares its group with its granted
 * twin, and scenario 5 through the gateway with scenario 5 direct, so each pair compares like with like.
 */
const GROUPS: readonly (readonly Scenario[])[] = [['1'], ['2'], ['3', '3g'], ['5g', '5d']].map((ids) =>
  ids.map((id) => SCENARIOS.find((scenario) => scenario.id === id)!),
);

export async function benchDatabase(
  database: Database,
  settings: SessionSettings,
  log: (line: string) => void,
): Promise<Omit<Raw, 'environment' | 'startedAt'>> {
  const runId = randomBytes(3).toString('hex');
  const identitySigningKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const databaseUrl = database.name === 'postgres' ? database.url : undefined;
  const common = { identitySigningKey, runId, ...(databaseUrl ? { databaseUrl } : {}) };
  const stacks = {} as Record<Mode, BenchStack>;
  try {
    log(`${database.name}: starting the secure and baseline stacks, one process per service`);
    const started = await Promise.allSettled(
      (['secure', 'baseline'] as const).map((mode) => startBenchStack({ mode, ...common })),
    );
    started.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') stacks[(['secure', 'baseline'] as const)[index]!] = outcome.value;
    });
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;

    const clientTokens = {
      customer: await clientToken(BENCH_CUSTOMER),
      bob: await clientToken({ sub: 'bob' }),
      alice: await clientToken({ sub: 'alice' }),
    };
    const processor = await clientToken(PAYMENT_PROCESSOR);
    const orderIds = {} as Record<Mode, string[]>;
    for (const mode of ['secure', 'baseline'] as const) {
      orderIds[mode] = await seedCustomerOrders(
        stacks[mode].gatewayUrl,
        { customer: clientTokens.customer, processor },
        settings.orders,
      );
    }
    // The bare federation has no API to place orders: it loads the secure stack's rows, ids included.
    orderIds.bare = orderIds.secure;
    log(`${database.name}: seeded ${settings.orders} paid orders of 3 items; starting the bare federation on the same rows`);
    stacks.bare = await startBenchStack({ mode: 'bare', ...common, data: benchData(orderIds.secure) });

    const endpoints = endpointsOf(stacks, clientTokens, identitySigningKey);
    const expected = await checkAnswers(await endpoints, orderIds);
    log(`${database.name}: every scenario answers correctly on the three stacks, the bare one with the secure one's bytes`);
    return await time(stacks, await endpoints, expected, settings, database, log);
  } finally {
    await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
    if (databaseUrl) await dropSchemas(databaseUrl, `bench_${runId}_`);
  }
}

/** The run's throwaway schemas, those of a stack that failed half-way through its start included. */
async function dropSchemas(url: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)',
      [prefix],
    );
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

function benchData(orderIdsInPlacingOrder: readonly string[]): BenchData {
  return {
    // myOrders lists the newest first.
    orders: [...orderIdsInPlacingOrder].reverse().map((id) => ({
      id,
      userId: BENCH_CUSTOMER.sub!,
      items: ORDER_ITEMS.map(({ sku, quantity }) => ({ sku, quantity })),
      amountCents: ORDER_TOTAL_CENTS,
    })),
  };
}

async function endpointsOf(
  stacks: Record<Mode, BenchStack>,
  clientTokens: Endpoints['clientTokens'],
  identitySigningKey: string,
): Promise<Record<Mode, Endpoints>> {
  // What the gateway makes of the customer's token, so a direct call carries the same identity.
  const customer = viewerFromClaims(decodeJwt(clientTokens.customer), 'roles');
  const signer = await createIdentitySigner({ issuer: DEFAULT_IDENTITY_ISSUER, signingKey: identitySigningKey });
  const direct: Record<Mode, () => Promise<Record<string, string>>> = {
    secure: async () => ({ [IDENTITY_HEADER]: await signer.sign(customer, 'orders') }),
    baseline: async () => ({ [IDENTITY_HEADER]: encodeIdentity(customer, 'orders') }),
    bare: async () => ({ [USER_HEADER]: customer.sub! }),
  };
  return Object.fromEntries(
    MODES.map((mode) => [
      mode,
      {
        gatewayUrl: stacks[mode].gatewayUrl,
        ordersUrl: stacks[mode].subgraphUrls.orders,
        clientTokens,
        ordersHeaders: direct[mode],
      },
    ]),
  ) as Record<Mode, Endpoints>;
}

/** Every answer checked before anything is timed; timed runs then insist on the same bytes. */
async function checkAnswers(endpoints: Record<Mode, Endpoints>, orderIds: Record<Mode, string[]>): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  const problems: string[] = [];
  for (const scenario of SCENARIOS) {
    for (const mode of MODES) {
      const answer = await send(await requestFor(scenario, endpoints[mode]));
      const wrong = scenario.check(answer, { mode, orderIds: orderIds[mode] });
      problems.push(...wrong.map((problem) => `scenario ${scenario.id} (${mode}): ${problem}`));
      expected.set(`${scenario.id}/${mode}`, answer.text);
    }
    // The bare federation must say exactly what the product says (the denial: what the baseline says).
    const twin = scenario.id === '3' ? 'baseline' : 'secure';
    if (expected.get(`${scenario.id}/bare`) !== expected.get(`${scenario.id}/${twin}`)) {
      problems.push(
        `scenario ${scenario.id}: the bare answer is not the ${twin} one's bytes:\n    ${expected.get(`${scenario.id}/bare`)}\n    ${expected.get(`${scenario.id}/${twin}`)}`,
      );
    }
  }
  if (problems.length > 0) throw new Error(`wrong answers, nothing timed:\n  ${problems.join('\n  ')}`);
  return expected;
}

async function time(
  stacks: Record<Mode, BenchStack>,
  endpoints: Record<Mode, Endpoints>,
  expected: Map<string, string>,
  settings: SessionSettings,
  database: Database,
  log: (line: string) => void,
): Promise<Omit<Raw, 'environment' | 'startedAt'>> {
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

  log(`${database.name}: warming up, ${settings.warmupS} s per scenario and stack`);
  for (const group of GROUPS)
    await alternate(
      contenders(group).map((c) => c.contender),
      { ...timing, totalS: settings.warmupS },
    );
  const memory: Memory = { afterWarmup: await memoryOf(stacks), afterRounds: [], afterRun: await memoryOf(stacks) };
  // Profiles cover the timed runs only: start-up and warm-up would drown them.
  if (settings.profileDir) await Promise.all(MODES.map((mode) => stacks[mode].startProfiling()));

  const runs: Run[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    log(
      `${database.name}: round ${round}/${settings.rounds}, each scenario ${settings.durationS} s per stack, ` +
        `the three stacks alternating every ${settings.sliceS} s, ${settings.connections} connections`,
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
    memory.afterRounds.push(await memoryOf(stacks));
  }
  if (settings.profileDir) {
    const directory = join(settings.profileDir, database.name);
    await Promise.all(MODES.map((mode) => stacks[mode].stopProfiling(directory)));
    log(`${database.name}: CPU profiles of every service in ${directory}; summarise one with: npx tsx bench/profile.ts <file>`);
  }

  let soak: Raw['soak'] = null;
  if (settings.soakS > 0) {
    log(`${database.name}: soak, scenario 2 on the secure stack for ${settings.soakS} s`);
    const before = (await stacks.secure.stats(true)).gateway;
    const request = await requestFor(
      SCENARIOS.find((scenario) => scenario.id === '2')!,
      endpoints.secure,
    );
    const { latencies: _latencies, ...result } = await measure(request, expected.get('2/secure')!, {
      connections: settings.connections,
      durationS: settings.soakS,
    });
    const after = (await stacks.secure.stats(true)).gateway;
    soak = { durationS: settings.soakS, result, gateway: { before: reading(before), after: reading(after) } };
  }
  memory.afterRun = await memoryOf(stacks);
  return { database: database.name, runs, memory, soak };
}

/** Every service's memory once its garbage is collected, so readings taken at different times compare. */
async function memoryOf(stacks: Record<Mode, BenchStack>): Promise<Record<Mode, ServiceMemory>> {
  const all = await Promise.all(MODES.map((mode) => stacks[mode].stats(true)));
  return Object.fromEntries(
    MODES.map((mode, index) => [mode, Object.fromEntries(ROLES.map((role) => [role, reading(all[index]![role])]))]),
  ) as Record<Mode, ServiceMemory>;
}

const reading = ({ rss, rssAfterOrdinaryGc, heapUsed, heapTotal, external }: ServiceStats): MemoryReading => ({
  rss,
  rssAfterOrdinaryGc: rssAfterOrdinaryGc ?? rss,
  heapUsed,
  heapTotal,
  external,
});
