/** The table a person reads after `npm run bench`, and the JSON written beside it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartMeasurement } from './coldStart.ts';
import { MODES } from './launch.ts';
import type { DatabaseSummary } from './report.ts';
import { ROLES } from './stack.ts';

export interface BenchSummary {
  date: string;
  startedAt: string;
  finishedAt: string;
  environment: { node: string; cpus: number; cpu: string; loadavg: number[] };
  settings: Record<string, number>;
  scenarios: { id: string; title: string; route: string; caller: string; document: string }[];
  /** Databases that were not run, and why. */
  skipped: string[];
  databases: DatabaseSummary[];
  /** `npm start` timed from a fresh data folder and on a restart (bench/coldStart.ts). */
  coldStart: StartMeasurement[];
}

const COLUMNS = [...ROLES, 'total'] as const;

export function printDatabase(summary: DatabaseSummary, print: (line: string) => void = console.log): void {
  print('');
  print(`== ${summary.database} ==`);
  print(
    `${pad('scenario', 50)}${pad('stack', 10)}${lpad('req/s', 9)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('errors', 8)}`,
  );
  for (const row of summary.rows) {
    const label = row.mode === 'secure' ? `${row.scenario.padEnd(3)} ${row.title}` : '';
    print(
      `${pad(label, 50)}${pad(row.mode, 10)}${lpad(row.rps.toFixed(1), 9)}${lpad(row.p50.toFixed(2), 9)}${lpad(row.p99.toFixed(2), 9)}${lpad(String(row.errors), 8)}`,
    );
  }
  print('');
  print(`throughput ratios (median of per-round ratios):`);
  print(`${pad('', 50)}${lpad('secure/baseline', 17)}${lpad('secure/bare', 13)}${lpad('baseline/bare', 15)}`);
  for (const id of Object.keys(summary.ratios.secureOverBare) as (keyof typeof summary.ratios.secureOverBare)[]) {
    const title = summary.rows.find((row) => row.scenario === id)!.title;
    print(
      `${pad(`${id.padEnd(3)} ${title}`, 50)}${lpad(summary.ratios.secureOverBaseline[id].toFixed(2), 17)}` +
        `${lpad(summary.ratios.secureOverBare[id].toFixed(2), 13)}${lpad(summary.ratios.baselineOverBare[id].toFixed(2), 15)}`,
    );
  }
  print('');
  print(`CPU ms per request, secure / baseline / bare:`);
  print(`${pad('', 50)}${COLUMNS.map((role) => lpad(role, 18)).join('')}`);
  for (const secure of summary.rows.filter((row) => row.mode === 'secure')) {
    const of = (mode: string) => summary.rows.find((row) => row.scenario === secure.scenario && row.mode === mode)!;
    const cells = COLUMNS.map((role) => lpad(MODES.map((mode) => of(mode).cpuMs[role].toFixed(2)).join('/'), 18));
    print(`${pad(`${secure.scenario.padEnd(3)} ${secure.title}`, 50)}${cells.join('')}`);
  }
  print('');
  print(`RSS MB after V8's memory-reducing collection (after an ordinary one), after warm-up -> after the run:`);
  print(`${pad('', 12)}${ROLES.map((role) => lpad(role, 33)).join('')}`);
  const both = ({ rss, rssAfterOrdinaryGc }: { rss: number; rssAfterOrdinaryGc: number }) => `${rss} (${rssAfterOrdinaryGc})`;
  for (const mode of MODES) {
    const cells = ROLES.map((role) =>
      lpad(`${both(summary.memoryMB.afterWarmup[mode][role])} -> ${both(summary.memoryMB.afterRun[mode][role])}`, 33),
    );
    print(`${pad(mode, 12)}${cells.join('')}`);
  }
  for (const mode of MODES) {
    const { subgraphConnectionsOpened, subgraphRequests } = summary.keepAlive[mode];
    if (subgraphRequests > 0)
      print(
        `keep-alive (${mode}): ${subgraphConnectionsOpened} new subgraph connections for ${subgraphRequests} subgraph requests`,
      );
  }
  if (summary.soak) {
    const soak = summary.soak;
    print(
      `soak, scenario 2 secure, ${soak.durationS} s: ${soak.rps.toFixed(1)} req/s, p99 ${soak.p99.toFixed(2)} ms, ${soak.errors} errors; ` +
        `gateway heap ${soak.gatewayMB.before.heapUsed} -> ${soak.gatewayMB.after.heapUsed} MB`,
    );
  }
  print('');
  for (const target of summary.targets) {
    const mark = target.met === null ? 'n/a ' : target.met ? 'met ' : 'MISS';
    print(
      `[${mark}] ${summary.database}: ${target.name}: ${target.value ?? '-'} (${target.limit})${target.note ? ` - ${target.note}` : ''}`,
    );
  }
}

export function writeSummary(summary: BenchSummary, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${summary.date}.json`);
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}

const pad = (text: string, width: number) => (text.length >= width ? `${text.slice(0, width - 2)}  ` : text.padEnd(width));
const lpad = (text: string, width: number) => text.padStart(width);
