/**
 * Real processes started as an operator starts them (`npm start`, `npm run start:*`, `node dist/...`),
 * with their output collected and every wait bounded.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export const ROOT = new URL('..', import.meta.url).pathname;

export interface Spawned {
  child: ChildProcess;
  /** stdout and stderr as they came. */
  output: () => string;
  /** What it wrote to stderr alone. */
  errors: () => string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** `command` in the project root, with telemetry off and quiet logs unless `env` says otherwise. */
export function spawnIn(command: string, args: string[], env: NodeJS.ProcessEnv, options: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `url` answers 2xx; throws with the process's output if it exits or `timeoutMs` passes. */
export async function waitForHealth(url: string, started: Spawned, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`exited early:\n${started.output()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await pause(200);
  }
  throw new Error(`no answer from ${url} within ${timeoutMs / 1000}s:\n${started.output()}`);
}

/** Resolves once the output contains `text`; throws if the process exits first or `timeoutMs` passes. */
export async function waitForOutput(text: string, started: Spawned, timeoutMs = 200_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`exited before printing ${text}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${text} within ${timeoutMs / 1000}s:\n${started.output()}`);
    await pause(200);
  }
}

/**
 * The exit code, or 'timeout' after `timeoutMs`: the process (and its group, when it leads one) is
 * then killed, so no test leaves one behind.
 */
export async function exitWithin(started: Spawned, timeoutMs: number): Promise<number | null | 'timeout'> {
  const result = await Promise.race([started.exited, pause(timeoutMs).then(() => 'timeout' as const)]);
  if (result === 'timeout') killGroup(started, 'SIGKILL');
  return result;
}

/** Signals the process group `started` leads (spawned with `detached: true`), as systemd or a shell does. */
export function killGroup(started: Spawned, signal: NodeJS.Signals): void {
  try {
    process.kill(-started.child.pid!, signal);
  } catch {
    started.child.kill(signal);
  }
}
