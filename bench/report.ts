/** Turns one database's rounds into the table, the ratios between the three stacks and the targets. */
import { median, percentiles, type Measurement } from './measure.ts';
import { MODES, type Mode } from './launch.ts';
import type { ScenarioId, Scenario } from './scenarios.ts';
import { ROLES, type Role } from './stack.ts';

export interface Run {
  scenario: ScenarioId;
  mode: Mode;
  round: number;
  /** Through the gateway (scenario 5d goes straight to orders). */
  viaGateway: boolean;
  measurement: Measurement;
  /** CPU time per response, by service. */
  cpuMsPerRequest: Record<Role, number>;
  /** New TCP connections the subgraphs accepted during the run, and requests they served (ours only). */
  subgraphConnections: number;
  subgraphRequests: number;
}

/**
 * A service's memory in bytes, read right after V8's memory-reducing collection (bench/serve.ts):
 * what the service holds, without the pages V8 keeps for reuse after a burst of allocation.
 */
export interface MemoryReading {
  rss: number;
  /** RSS after an ordinary full collection, read just before: V8's pooled pages still counted. */
  rssAfterOrdinaryGc: number;
  heapUsed: number;
  /** The heap V8 holds (used or not) and the memory of Buffers and other objects outside it. */
  heapTotal: number;
  external: number;
}

export type ServiceMemory = Record<Role, MemoryReading>;

export interface Memory {
  afterWarmup: Record<Mode, ServiceMemory>;
  afterRounds: Record<Mode, ServiceMemory>[];
  afterRun: Record<Mode, ServiceMemory>;
}

export interface Soak {
  durationS: number;
  result: Omit<Measurement, 'latencies'>;
  /** The secure gateway's memory before and after. */
  gateway: { before: MemoryReading; after: MemoryReading };
}

export interface Raw {
  database: 'pglite' | 'postgres';
  runs: Run[];
  memory: Memory;
  soak: Soak | null;
}

export interface Target {
  name: string;
  value: number | null;
  limit: string;
  met: boolean | null;
  note?: string;
}

type Ratio = 'secureOverBaseline' | 'secureOverBare' | 'baselineOverBare';
const RATIOS: Record<Ratio, [Mode, Mode]> = {
  secureOverBaseline: ['secure', 'baseline'],
  secureOverBare: ['secure', 'bare'],
  baselineOverBare: ['baseline', 'bare'],
};

export function summarize(raw: Raw, scenarios: readonly Scenario[]) {
  const runsOf = (scenario: ScenarioId, mode: Mode) =>
    raw.runs.filter((run) => run.scenario === scenario && run.mode === mode).sort((a, b) => a.round - b.round);
  const rows = scenarios.flatMap((scenario) =>
    MODES.map((mode) => {
      const runs = runsOf(scenario.id, mode);
      return {
        scenario: scenario.id,
        title: scenario.title,
        mode,
        rps: round(median(runs.map((run) => run.measurement.rps)), 1),
        ...mapValues(percentiles(runs.flatMap((run) => run.measurement.latencies)), (value) => round(value, 2)),
        requests: sum(runs.map((run) => run.measurement.requests)),
        errors: sum(runs.map((run) => run.measurement.errors)),
        cpuMs: mapValues(cpuPerRequest(runs), (value) => round(value, 3)),
      };
    }),
  );
  const row = (scenario: ScenarioId, mode: Mode) => rows.find((r) => r.scenario === scenario && r.mode === mode)!;
  /** Median over rounds of the per-round throughput ratio, so drift within the run cancels out. */
  const throughputRatio = (scenario: ScenarioId, [a, b]: [Mode, Mode]) => {
    const over = runsOf(scenario, b);
    return round(median(runsOf(scenario, a).map((run, index) => run.measurement.rps / over[index]!.measurement.rps)), 3);
  };
  const ratios = mapValues(RATIOS, (pair) =>
    Object.fromEntries(scenarios.map((scenario) => [scenario.id, throughputRatio(scenario.id, pair)])),
  ) as Record<Ratio, Record<ScenarioId, number>>;
  const denialOver = (mode: Mode) => round(row('3', mode).cpuMs.total / row('3g', mode).cpuMs.total, 3);
  const denialCpu = denialOver('secure');
  const keepAlive = mapValues(Object.fromEntries(MODES.map((mode) => [mode, mode])) as Record<Mode, Mode>, (mode) => {
    const viaGateway = raw.runs.filter((run) => run.mode === mode && run.viaGateway);
    return {
      subgraphConnectionsOpened: sum(viaGateway.map((run) => run.subgraphConnections)),
      subgraphRequests: sum(viaGateway.map((run) => run.subgraphRequests)),
    };
  });

  return {
    database: raw.database,
    rows,
    ratios,
    denialOverGrantCpu: denialCpu,
    keepAlive,
    memoryMB: {
      note:
        "RSS and heap of every service in MB, read right after V8's memory-reducing collection; " +
        'rssAfterOrdinaryGc: RSS after an ordinary full collection just before, with the pages V8 keeps pooled',
      afterWarmup: mapValues(raw.memory.afterWarmup, megabytes),
      afterEachRound: raw.memory.afterRounds.map((reading) => mapValues(reading, megabytes)),
      afterRun: mapValues(raw.memory.afterRun, megabytes),
    },
    soak: raw.soak
      ? {
          ...roundMeasurement(raw.soak.result),
          gatewayMB: mapValues(raw.soak.gateway, (reading) => megabytes({ gateway: reading }).gateway),
        }
      : null,
    // The bare stack denies nothing: its 3/3g ratio is what the timing order alone makes of the pair.
    targets: targetsOf(raw, ratios, denialCpu, denialOver('bare')),
    rounds: raw.runs.map(({ measurement, cpuMsPerRequest, ...run }) => ({
      ...run,
      ...roundMeasurement(measurement),
      cpuMsPerRequest: mapValues(cpuMsPerRequest, (value) => round(value, 3)),
    })),
  };
}

export type DatabaseSummary = ReturnType<typeof summarize>;

/** The targets of the performance issue, for this database. */
function targetsOf(
  raw: Raw,
  ratios: Record<Ratio, Record<ScenarioId, number>>,
  denialCpu: number,
  bareDenialCpu: number,
): Target[] {
  const warm = raw.memory.afterWarmup;
  const rssRatio = (role: Role) => round(warm.secure[role].rss / warm.bare[role].rss, 3);
  const targets: Target[] = [
    ...(['2', '1', '5g'] as const).map((id) => ({
      name: `scenario ${id} secure/bare throughput`,
      value: ratios.secureOverBare[id],
      limit: '>= 0.95',
      met: ratios.secureOverBare[id] >= 0.95,
    })),
    {
      name: 'denial (3) CPU per request / its granted twin (3g), secure',
      value: denialCpu,
      limit: '<= 1.05',
      met: denialCpu <= 1.05,
      note: `the same pair on the bare stack, which denies nothing: ${bareDenialCpu}`,
    },
    {
      name: 'gateway RSS after warm-up, secure/bare',
      value: rssRatio('gateway'),
      limit: '<= 1.2',
      met: rssRatio('gateway') <= 1.2,
      note:
        `${mb(warm.secure.gateway.rss)} MB against ${mb(warm.bare.gateway.rss)} MB; after an ordinary collection ` +
        `${mb(warm.secure.gateway.rssAfterOrdinaryGc)} against ${mb(warm.bare.gateway.rssAfterOrdinaryGc)} MB`,
    },
    ...ROLES.filter((role) => role !== 'gateway').map((role): Target =>
      raw.database === 'postgres'
        ? {
            name: `${role} RSS after warm-up, secure/bare`,
            value: rssRatio(role),
            limit: '<= 1.3',
            met: rssRatio(role) <= 1.3,
            note: `${mb(warm.secure[role].rss)} MB against ${mb(warm.bare[role].rss)} MB`,
          }
        : {
            name: `${role} RSS after warm-up (secure), MB`,
            value: mb(warm.secure[role].rss),
            limit: '<= 250',
            met: mb(warm.secure[role].rss) <= 250,
            note: `bare ${mb(warm.bare[role].rss)} MB`,
          },
    ),
  ];
  const growth = round(raw.memory.afterRun.secure.gateway.rss / warm.secure.gateway.rss - 1, 3);
  targets.push({
    name: 'secure gateway RSS growth, warm-up to end of run',
    value: growth,
    limit: '<= +0.10',
    met: growth <= 0.1,
  });
  if (!raw.soak) {
    targets.push({
      name: 'soak: zero errors, heap within 10 %',
      value: null,
      limit: '= 0, <= 0.10',
      met: null,
      note: 'not run (--soak)',
    });
    return targets;
  }
  const heap = round(raw.soak.gateway.after.heapUsed / raw.soak.gateway.before.heapUsed - 1, 3);
  const long = raw.soak.durationS >= 60;
  targets.push(
    {
      name: `soak ${raw.soak.durationS} s: errors`,
      value: raw.soak.result.errors,
      limit: '= 0',
      met: raw.soak.result.errors === 0 && long,
    },
    {
      name: `soak ${raw.soak.durationS} s: gateway heap change`,
      value: heap,
      limit: 'within 0.10',
      met: Math.abs(heap) <= 0.1 && long,
    },
  );
  return targets;
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
export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
export const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const megabytes = (memory: Partial<ServiceMemory>) => mapValues(memory as ServiceMemory, (reading) => mapValues(reading, mb));

export function mapValues<K extends string, V, W>(record: Record<K, V>, f: (value: V) => W): Record<K, W> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value as V)])) as Record<K, W>;
}
