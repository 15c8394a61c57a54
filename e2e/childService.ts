/**
 * A service run as its own process, the way `npm run start:*` runs it: for faults only a process
 * can have (SIGSTOP, SIGTERM, exit codes).
 */
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('..', import.meta.url).pathname;

export interface ChildService {
  readonly child: ChildProcess;
  output(): string;
  /** What it wrote to stderr alone. */
  errors(): string;
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export function startChildService(script: string, env: NodeJS.ProcessEnv): ChildService {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => {
    output += chunk;
    errors += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, errors: () => errors, exited };
}

/** Resolves once `GET /health` on `port` answers 200; rejects if the process exits or 120 s pass. */
export async function waitForHealth(port: number, service: ChildService): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`exited early:\n${service.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no /health on ${port}:\n${service.output()}`);
}
