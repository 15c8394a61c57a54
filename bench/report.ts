/** Turns the rounds into the table, the ratios and the targets; prints them and writes the JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, percentiles, type Measurement } from './measure.ts';
import type { ScenarioId, Scenario } from './scenarios.ts';
import type { Mode } from './services.ts';
import type { Role } from './stack.ts';

const ROLES: readonly Role[] = ['gateway', 'orders', 'payments', 'inventory'];

export interface Run {
  scenario: ScenarioId;
  mode: Mode;
  round: number;
  /** Through the gateway (scenario 5d goes straight to orders). */
  viaGateway: boolean;
  measurement: Measurement;
  /** CPU time per response, by service. */
  cpuMsPerRequest: Record<Role, number>;
  /** New TCP connections each subgraph accepted during the run, and requests it served. */
  subgraphConnections: number;
  subgraphRequests: number;
}

/** A gateway's memory in bytes, read right after a garbage collection. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
}

export interface Memory {
  afterWarmup: Record<Mode, MemoryReading>;
  afterRounds: Record<Mode, MemoryReading>[];
  afterRun: Record<Mode, MemoryReading>;
}

export interface Soak {
  durationS: number;
  result: Omit<Measurement, 'latencies'>;
  gatewayRss: { before: number; after: number };
}

export interface Raw {
  startedAt: Date;
  /** Where it ran: Node version, CPUs, load average at the end. */
  environment: { node: string; cpus: number; cpu: string; loadavg: number[] };
  settings: {
    connections: number;
    durationS: number;
    sliceS: number;
    rounds: number;
    warmupS: number;
    orders: number;
    database: string;
  };
  scenarios: readonly Scenario[];
  runs: Run[];
  memory: Memory;
  soak: Soak | null;
}

export interface Row {
  scenario: ScenarioId;
  title: string;
  mode: Mode;
  rps: number;
  p50: number;
  p99: number;
  meanMs: number;
  requests: number;
  errors: number;
  /** CPU time per response by service, and their sum: the price of each layer. */
  cpuMs: Record<Role | 'total', number>;
}

export interface Target {
  name: string;
  value: number | null;
  limit: string;
  met: boolean | null;
  note?: string;
}

const MODES: readonly Mode[] = ['secure', 'baseline'];

export function summarize(raw: Raw) {
  const runsOf = (scenario: ScenarioId, mode: Mode) =>
    raw.runs.filter((run) => run.scenario === scenario && run.mode === mode).sort((a, b) => a.round - b.round);
  const rows: Row[] = raw.scenarios.flatMap((scenario) =>
    MODES.map((mode) => {
      const runs = runsOf(scenario.id, mode);
      const pooled = percentiles(runs.flatMap((run) => run.measurement.latencies));
      return {
        scenario: scenario.id,
        title: scenario.title,
        mode,
        rps: median(runs.map((run) => run.measurement.rps)),
        ...pooled,
        requests: sum(runs.map((run) => run.measurement.requests)),
        errors: sum(runs.map((run) => run.measurement.errors)),
        cpuMs: cpuPerRequest(runs),
      };
    }),
  );
  const row = (scenario: ScenarioId, mode: Mode) => rows.find((r) => r.scenario === scenario && r.mode === mode)!;
  /** Median over rounds of a per-round quantity, so drift within the run cancels out. */
  const perRound = (
    scenarioA: ScenarioId,
    modeA: Mode,
    scenarioB: ScenarioId,
    modeB: Mode,
    f: (a: Measurement, b: Measurement) => number,
  ) => {
    const a = runsOf(scenarioA, modeA);
    const b = runsOf(scenarioB, modeB);
    return median(a.map((run, index) => f(run.measurement, b[index]!.measurement)));
  };
  const secureOverBaseline = Object.fromEntries(
    raw.scenarios.map((s) => [s.id, perRound(s.id, 'secure', s.id, 'baseline', (a, b) => a.rps / b.rps)]),
  ) as Record<ScenarioId, number>;
  const gatewayOverDirect = Object.fromEntries(
    MODES.map((mode) => [mode, perRound('5g', mode, '5d', mode, (a, b) => a.rps / b.rps)]),
  ) as Record<Mode, number>;
  /** What the gateway adds to a request's mean latency, at this concurrency. */
  const hopMs = Object.fromEntries(
    MODES.map((mode) => [mode, perRound('5g', mode, '5d', mode, (a, b) => a.meanMs - b.meanMs)]),
  ) as Record<Mode, number>;
  const hopSecureOverBaseline = hopMs.secure / hopMs.baseline;
  /** A denial against its granted twin, timed side by side. */
  const denialOverGrant = {
    throughput: perRound('3', 'secure', '3g', 'secure', (a, b) => a.rps / b.rps),
    p50: perRound('3', 'secure', '3g', 'secure', (a, b) => a.p50 / b.p50),
    cpu: row('3', 'secure').cpuMs.total / row('3g', 'secure').cpuMs.total,
  };

  const keepAlive = Object.fromEntries(
    MODES.map((mode) => {
      const viaGateway = raw.runs.filter((run) => run.mode === mode && run.viaGateway);
      return [
        mode,
        {
          subgraphConnectionsOpened: sum(viaGateway.map((run) => run.subgraphConnections)),
          subgraphRequests: sum(viaGateway.map((run) => run.subgraphRequests)),
        },
      ];
    }),
  ) as Record<Mode, { subgraphConnectionsOpened: number; subgraphRequests: number }>;

  const rssGrowth = raw.memory.afterRun.secure.rss / raw.memory.afterWarmup.secure.rss - 1;
  const targets: Target[] = [
    ratioTarget('scenario 2 secure/baseline throughput', secureOverBaseline['2']),
    ratioTarget('scenario 1 secure/baseline throughput', secureOverBaseline['1']),
    ratioTarget('scenario 5 (through the gateway) secure/baseline throughput', secureOverBaseline['5g']),
    {
      name: 'scenario 3 p50 <= scenario 2 p50 (secure)',
      value: round(row('3', 'secure').p50 / row('2', 'secure').p50, 3),
      limit: '<= 1',
      met: row('3', 'secure').p50 <= row('2', 'secure').p50,
      note: `denied ${fmt(row('3', 'secure').p50)} ms, granted twin (3g) ${fmt(row('3g', 'secure').p50)} ms, scenario 2 ${fmt(row('2', 'secure').p50)} ms`,
    },
    {
      name: 'scenario 5 secure hop / baseline hop',
      value: round(hopSecureOverBaseline, 3),
      limit: '<= 1.10',
      met: hopSecureOverBaseline <= 1.1,
      note: `hop = mean latency through the gateway - direct: secure ${fmt(hopMs.secure)} ms, baseline ${fmt(hopMs.baseline)} ms`,
    },
    raw.soak
      ? {
          name: `zero errors in ${raw.soak.durationS} s of scenario 2 (secure)`,
          value: raw.soak.result.errors,
          limit: '= 0',
          met: raw.soak.result.errors === 0 && raw.soak.durationS >= 60,
          ...(raw.soak.durationS < 60 ? { note: 'soak shorter than 60 s' } : {}),
        }
      : { name: 'zero errors in 60 s of scenario 2 (secure)', value: null, limit: '= 0', met: null, note: 'not run (--soak)' },
    {
      // Growth is what would betray a leak or an unbounded cache; a gateway that hands memory back is fine.
      name: 'gateway RSS growth from after warm-up to after the run (secure)',
      value: round(rssGrowth, 3),
      limit: '<= +0.10',
      met: rssGrowth <= 0.1,
      note: `${mb(raw.memory.afterWarmup.secure.rss)} MB -> ${mb(raw.memory.afterRun.secure.rss)} MB, read after a garbage collection`,
    },
  ];

  return {
    date: raw.startedAt.toISOString().slice(0, 10),
    startedAt: raw.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: raw.environment,
    settings: raw.settings,
    scenarios: raw.scenarios.map(({ id, title, route, caller, document }) => ({ id, title, route, caller, document })),
    rows: rows.map(roundRow),
    ratios: {
      secureOverBaseline: mapValues(secureOverBaseline, (value) => round(value, 3)),
      gatewayOverDirect: mapValues(gatewayOverDirect, (value) => round(value, 3)),
      hopMs: mapValues(hopMs, (value) => round(value, 2)),
      hopSecureOverBaseline: round(hopSecureOverBaseline, 3),
      denialOverGrant: mapValues(denialOverGrant, (value) => round(value, 3)),
    },
    keepAlive,
    memory: {
      note: 'gateway memory in MB, each read right after a garbage collection',
      afterWarmup: mapValues(raw.memory.afterWarmup, megabytes),
      afterEachRound: raw.memory.afterRounds.map((reading) => mapValues(reading, megabytes)),
      afterRun: mapValues(raw.memory.afterRun, megabytes),
    },
    soak: raw.soak ? { ...roundMeasurement(raw.soak.result), gatewayRssMB: mapValues(raw.soak.gatewayRss, mb) } : null,
    targets,
    rounds: raw.runs.map(({ scenario, mode, round: r, measurement, cpuMsPerRequest, subgraphConnections, subgraphRequests }) => ({
      scenario,
      mode,
      round: r,
      ...roundMeasurement(measurement),
      cpuMsPerRequest: mapValues(cpuMsPerRequest, (value) => round(value, 3)),
      subgraphConnections,
      subgraphRequests,
    })),
  };
}

export type Summary = ReturnType<typeof summarize>;

export function printSummary(summary: Summary, print: (line: string) => void = console.log): void {
  print('');
  print(
    `${pad('scenario', 52)}${pad('stack', 10)}${lpad('req/s', 9)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('errors', 8)}`,
  );
  for (const row of summary.rows) {
    const label = row.mode === 'secure' ? `${row.scenario.padEnd(3)} ${row.title}` : '';
    print(
      `${pad(label, 52)}${pad(row.mode, 10)}${lpad(row.rps.toFixed(1), 9)}${lpad(fmt(row.p50), 9)}${lpad(fmt(row.p99), 9)}${lpad(String(row.errors), 8)}`,
    );
  }
  print('');
  print(`CPU ms per request, secure / baseline (the price of each layer):`);
  print(
    `${pad('', 52)}${(['gateway', 'orders', 'payments', 'inventory', 'total'] as const).map((role) => lpad(role, 14)).join('')}`,
  );
  for (const secure of summary.rows.filter((row) => row.mode === 'secure')) {
    const baseline = summary.rows.find((row) => row.scenario === secure.scenario && row.mode === 'baseline')!;
    const cells = (['gateway', 'orders', 'payments', 'inventory', 'total'] as const).map((role) =>
      lpad(`${secure.cpuMs[role].toFixed(2)}/${baseline.cpuMs[role].toFixed(2)}`, 14),
    );
    print(`${pad(`${secure.scenario.padEnd(3)} ${secure.title}`, 52)}${cells.join('')}`);
  }
  const { ratios } = summary;
  print('');
  print(
    `secure/baseline throughput: ${Object.entries(ratios.secureOverBaseline)
      .map(([id, value]) => `${id} ${value.toFixed(2)}`)
      .join(' | ')}`,
  );
  print(
    `gateway/direct throughput (5g/5d): secure ${ratios.gatewayOverDirect.secure.toFixed(2)}, baseline ${ratios.gatewayOverDirect.baseline.toFixed(2)}; ` +
      `hop: secure ${ratios.hopMs.secure.toFixed(2)} ms, baseline ${ratios.hopMs.baseline.toFixed(2)} ms (x${ratios.hopSecureOverBaseline.toFixed(2)})`,
  );
  const denial = ratios.denialOverGrant;
  print(
    `denial (3) vs its granted twin (3g), secure: throughput x${denial.throughput.toFixed(2)}, p50 x${denial.p50.toFixed(2)}, CPU x${denial.cpu.toFixed(2)}`,
  );
  for (const mode of MODES) {
    const { subgraphConnectionsOpened, subgraphRequests } = summary.keepAlive[mode];
    print(
      `keep-alive (${mode}): ${subgraphConnectionsOpened} new subgraph connections for ${subgraphRequests} subgraph requests in timed runs`,
    );
  }
  const memory = summary.memory;
  for (const mode of MODES) {
    const trail = [memory.afterWarmup[mode], ...memory.afterEachRound.map((round) => round[mode]), memory.afterRun[mode]];
    const show = (reading: { rss: number; heapUsed: number }) => `${reading.rss} (heap ${reading.heapUsed})`;
    print(
      `gateway memory (${mode}), MB after GC: warm-up ${show(trail[0]!)}; rounds ${trail.slice(1, -1).map(show).join(', ')}; end ${show(trail.at(-1)!)}`,
    );
  }
  if (summary.soak) {
    const soak = summary.soak;
    print(
      `soak, scenario 2 secure, ${soak.durationS} s: ${soak.rps.toFixed(1)} req/s, p50 ${fmt(soak.p50)} ms, p99 ${fmt(soak.p99)} ms, ` +
        `${soak.errors} errors; gateway RSS ${soak.gatewayRssMB.before} -> ${soak.gatewayRssMB.after} MB`,
    );
  }
  print('');
  for (const target of summary.targets) {
    const mark = target.met === null ? 'n/a ' : target.met ? 'met ' : 'MISS';
    print(`[${mark}] ${target.name}: ${target.value ?? '-'} (${target.limit})${target.note ? ` - ${target.note}` : ''}`);
  }
}

export function writeSummary(summary: Summary, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${summary.date}.json`);
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}

function ratioTarget(name: string, value: number): Target {
  return { name, value: round(value, 3), limit: '>= 0.90', met: value >= 0.9 };
}

function roundRow(row: Row): Row {
  return {
    ...row,
    rps: round(row.rps, 1),
    p50: round(row.p50, 2),
    p99: round(row.p99, 2),
    meanMs: round(row.meanMs, 2),
    cpuMs: mapValues(row.cpuMs, (value) => round(value, 3)),
  };
}

/** CPU per response over all rounds, weighted by how many responses each round had. */
function cpuPerRequest(runs: Run[]): Record<Role | 'total', number> {
  const requests = Math.max(1, sum(runs.map((run) => run.measurement.requests)));
  const byRole = Object.fromEntries(
    ROLES.map((role) => [role, sum(runs.map((run) => run.cpuMsPerRequest[role] * run.measurement.requests)) / requests]),
  ) as Record<Role, number>;
  return { ...byRole, total: sum(Object.values(byRole)) };
}

function roundMeasurement({ latencies: _latencies, ...m }: Omit<Measurement, 'latencies'> & { latencies?: number[] }) {
  return { ...m, rps: round(m.rps, 1), p50: round(m.p50, 2), p99: round(m.p99, 2), meanMs: round(m.meanMs, 2) };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const megabytes = (reading: MemoryReading) => ({ rss: mb(reading.rss), heapUsed: mb(reading.heapUsed) });
const fmt = (ms: number) => ms.toFixed(2);
const pad = (text: string, width: number) => (text.length >= width ? `${text.slice(0, width - 2)}  ` : text.padEnd(width));
const lpad = (text: string, width: number) => text.padStart(width);

function mapValues<K extends string, V, W>(record: Record<K, V>, f: (value: V) => W): Record<K, W> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value as V)])) as Record<K, W>;
}
