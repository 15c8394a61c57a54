/**
 * Summarises a `node --cpu-prof` profile (as `npm run bench -- --profile` writes one per service):
 * where the busy samples land by package, self and inclusive, and the hottest functions.
 *
 *   npx tsx bench/profile.ts bench/profiles/<run>/secure-gateway.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a frame belongs to: `graphql`, `@apollo/gateway`, `node` for Node's own, `app` for this repository's. */
export function packageOf(url: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node';
  // WebAssembly frames carry no package path: PGlite's PostgreSQL in a subgraph, undici's HTTP parser in fetch.
  if (url.startsWith('wasm://')) return '(wasm)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return match ? match[1]! : 'app';
}

export function summariseProfile(profile: CpuProfile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((sum, value) => sum + value, 0);
  // Waiting is not work: shares below are of the busy time (garbage collection included).
  const idleIds = new Set(
    [...self.keys()].filter((id) => ['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName)),
  );
  const idle = [...self].filter(([id]) => idleIds.has(id)).reduce((sum, [, time]) => sum + time, 0);
  const busy = total - idle;

  const selfByPackage = new Map<string, number>();
  const inclusiveByPackage = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  for (const [id, time] of self) {
    if (idleIds.has(id)) continue;
    const frame = byId.get(id)!.callFrame;
    const special = frame.functionName.startsWith('(');
    const pkg = special ? frame.functionName : packageOf(frame.url);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + time);
    const name = special
      ? frame.functionName
      : `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + time);
    // Inclusive: every package on this sample's stack, once.
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const callFrame = byId.get(node)!.callFrame;
      if (!callFrame.functionName.startsWith('(')) seen.add(packageOf(callFrame.url));
    }
    for (const pkg of seen) inclusiveByPackage.set(pkg, (inclusiveByPackage.get(pkg) ?? 0) + time);
  }
  const share = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => ({ name, ms: Math.round(time / 1000), percent: Math.round((1000 * time) / busy) / 10 }));
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    selfByPackage: share(selfByPackage),
    inclusiveByPackage: share(inclusiveByPackage),
    selfByFunction: share(selfByFunction),
  };
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  return url.replace(`file://${process.cwd()}/`, '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
  for (const file of positionals) {
    const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
    console.log(`\n${file}: ${summary.totalMs} ms sampled, ${summary.busyMs} ms busy (shares below are of the busy time)`);
    for (const [title, rows] of [
      ['self time by package', summary.selfByPackage],
      ['inclusive time by package (callees included)', summary.inclusiveByPackage],
      ['self time by function', summary.selfByFunction],
    ] as const) {
      console.log(`  ${title}:`);
      for (const row of rows)
        console.log(`    ${String(row.percent).padStart(5)}%  ${String(row.ms).padStart(6)} ms  ${row.name}`);
    }
  }
}
