/**
 * `tsx bench/coldStart.ts [--restarts 1] [--deadline 120]`: how quickly `npm start` is ready and
 * how much memory it holds, as a newcomer runs it. It starts `npm start` on a fresh DATA_DIR (the
 * embedded databases are created and seeded), stops it, then starts it again on the same folder
 * (a restart), each time on free loopback ports. For each start it reports the seconds until every
 * service answers /health, until the demo tokens are printed, and the resident memory of each
 * process (the launcher and every service) right after that. Linux only: memory is read in /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '#platform/testing';
import { SUBGRAPHS } from '#roster';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ProcessMemory {
  /** What the process runs: `launcher`, `npm`, `gateway` or a subgraph's name. */
  role: string;
  pid: number;
  rssMb: number;
  /** CPU time it has used so far, user and system. */
  cpuSeconds: number;
}

export interface StartMeasurement {
  kind: 'fresh' | 'restart';
  /** From spawning `npm start` until every service's /health answers 200. */
  healthySeconds: number;
  /** From spawning `npm start` until the launcher has printed the demo tokens. */
  tokensSeconds: number;
  processes: ProcessMemory[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every descendant of `root` with its command line, read from /proc. */
function descendants(root: number): { pid: number; cmdline: string[] }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name sits in parentheses and may hold spaces; the parent pid is the 2nd field after it.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found.map((pid) => ({ pid, cmdline: readCmdline(pid) }));
}

function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 1/100 s (Linux's USER_HZ). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function roleOf(cmdline: string[]): string | undefined {
  const text = cmdline.join(' ');
  if (/scripts\/start\.m?[jt]s/.test(text)) return 'launcher';
  if (/gateway\/src\/main\.[jt]s/.test(text)) return 'gateway';
  const subgraph = /subgraphs\/(\w+)\/src\/main\.[jt]s/.exec(text)?.[1];
  if (subgraph) return subgraph;
  return undefined;
}

function memoryOf(npm: ChildProcess): ProcessMemory[] {
  const processes = descendants(npm.pid!).flatMap(({ pid, cmdline }) => {
    const role = roleOf(cmdline);
    return role ? [{ role, pid, rssMb: rssMb(pid), cpuSeconds: cpuSeconds(pid) }] : [];
  });
  return [{ role: 'npm', pid: npm.pid!, rssMb: rssMb(npm.pid!), cpuSeconds: cpuSeconds(npm.pid!) }, ...processes];
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** One `npm start` on `dataDir`: measured, then stopped with SIGTERM to its process group. */
async function measureStart(kind: StartMeasurement['kind'], dataDir: string, deadlineMs: number): Promise<StartMeasurement> {
  const ports = await Promise.all([0, ...SUBGRAPHS].map(() => freePort()));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(ports[0]) };
  SUBGRAPHS.forEach((subgraph, index) => (env[`${subgraph.name.toUpperCase()}_PORT`] = String(ports[index + 1])));
  const healthUrls = ports.map((port) => `http://127.0.0.1:${port}/health`);

  const startedAt = performance.now();
  // Its own process group, so the whole tree can be stopped (and killed past the deadline) at once.
  const npm = spawn('npm', ['start', '--', '--no-pretty'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let tokensSeconds: number | undefined;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (tokensSeconds === undefined && output.includes('Paste one of these'))
      tokensSeconds = (performance.now() - startedAt) / 1000;
  };
  npm.stdout.on('data', collect);
  npm.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-npm.pid!, signal);
    } catch {
      // already gone
    }
  };

  try {
    const deadline = startedAt + deadlineMs;
    let healthySeconds: number | undefined;
    while (tokensSeconds === undefined || healthySeconds === undefined) {
      if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (performance.now() > deadline) throw new Error(`npm start not ready within ${deadlineMs / 1000}s:\n${output}`);
      if (healthySeconds === undefined && (await Promise.all(healthUrls.map(answers))).every(Boolean)) {
        healthySeconds = (performance.now() - startedAt) / 1000;
      }
      await pause(50);
    }
    return { kind, healthySeconds, tokensSeconds, processes: memoryOf(npm) };
  } finally {
    signalGroup('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), pause(20_000).then(() => false)]);
    if (!stopped) signalGroup('SIGKILL');
  }
}

export async function measureColdStart(options: { restarts: number; deadlineMs: number }): Promise<StartMeasurement[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    const results = [await measureStart('fresh', dataDir, options.deadlineMs)];
    for (let run = 0; run < options.restarts; run += 1) results.push(await measureStart('restart', dataDir, options.deadlineMs));
    return results;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatColdStart(results: StartMeasurement[]): string {
  const roles = [...new Set(results.flatMap((result) => result.processes.map((process) => process.role)))];
  const header = ['start', 'healthy s', 'tokens s', ...roles.map((role) => `${role} MB (CPU s)`)];
  const cell = (result: StartMeasurement, role: string) => {
    const found = result.processes.find((process) => process.role === role);
    return found ? `${found.rssMb} (${found.cpuSeconds.toFixed(1)})` : '-';
  };
  const rows = results.map((result) => [
    result.kind,
    result.healthySeconds.toFixed(1),
    result.tokensSeconds.toFixed(1),
    ...roles.map((role) => cell(result, role)),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { restarts: { type: 'string', default: '1' }, deadline: { type: 'string', default: '120' } },
  });
  const results = await measureColdStart({ restarts: Number(values.restarts), deadlineMs: Number(values.deadline) * 1000 });
  console.log(formatColdStart(results));
}
