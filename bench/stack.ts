/**
 * A benchmark stack: the gateway and the three subgraphs, each in its own Node process (as
 * `npm start` runs them), on loopback ephemeral ports. The runner talks to them over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseLocation } from '#kit';
import { SUBGRAPH_NAMES, type SubgraphName } from '#roster';
import { freePort } from '#platform/testing';
import { onwardEnv, START_ORDER } from '../e2e/topology.ts';
import type { BenchData } from './bare/data.ts';
import type { Mode, ServiceSpec } from './launch.ts';
import type { ServeReply, ServeRequest } from './serve.ts';

export type Role = 'gateway' | SubgraphName;
export const ROLES: readonly Role[] = ['gateway', ...SUBGRAPH_NAMES];
export type ServiceStats = Extract<ServeReply, { type: 'stats' }>;

export interface BenchStackOptions {
  mode: Mode;
  identitySigningKey: string;
  /** PostgreSQL server URL; the embedded database when absent. */
  databaseUrl?: string;
  /** Unique per run, so PostgreSQL schemas never collide. */
  runId: string;
  /** The bench customer's rows, for the bare federation's subgraphs to load. */
  data?: BenchData;
}

export interface BenchStack {
  readonly mode: Mode;
  readonly gatewayUrl: string;
  readonly subgraphUrls: Record<SubgraphName, string>;
  /** `settle`: each service collects its garbage first (for memory readings between runs). */
  stats(settle?: boolean): Promise<Record<Role, ServiceStats>>;
  /** Starts every service's CPU profiler; `stopProfiling` writes `<directory>/<mode>-<role>.cpuprofile`. */
  startProfiling(): Promise<void>;
  stopProfiling(directory: string): Promise<void>;
  stop(): Promise<void>;
}

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const gatewayPort = await freePort();
  const jwksUrl = `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`;
  const database = (name: SubgraphName): DatabaseLocation => {
    if (!options.databaseUrl) return { driver: 'pglite' };
    // The runner drops every schema of its run by this prefix (bench/session.ts).
    const schema = `bench_${options.runId}_${options.mode}_${name}`;
    return { driver: 'postgres', url: options.databaseUrl, schema, maxConnections: 10 };
  };

  const children: Partial<Record<Role, Child>> = {};
  try {
    const subgraphUrls = {} as Record<SubgraphName, string>;
    for (const role of START_ORDER) {
      const spec: ServiceSpec = {
        role,
        mode: options.mode,
        port: 0,
        jwksUrl,
        database: database(role),
        env: onwardEnv(role, subgraphUrls),
        ...(options.data ? { data: options.data } : {}),
      };
      children[role] = await spawn(spec, options);
      subgraphUrls[role] = children[role].url;
    }
    children.gateway = await spawn(
      { role: 'gateway', mode: options.mode, port: gatewayPort, identitySigningKey: options.identitySigningKey, subgraphUrls },
      options,
    );
    const all = children as Record<Role, Child>;
    return {
      mode: options.mode,
      gatewayUrl: all.gateway.url,
      subgraphUrls,
      async stats(settle = false) {
        const stats = await Promise.all(ROLES.map((role) => all[role].ask({ type: 'stats', settle }, 'stats')));
        return Object.fromEntries(ROLES.map((role, index) => [role, stats[index]!])) as Record<Role, ServiceStats>;
      },
      async startProfiling() {
        await Promise.all(ROLES.map((role) => all[role].ask({ type: 'profile', start: true }, 'profiled')));
      },
      async stopProfiling(directory) {
        mkdirSync(directory, { recursive: true });
        await Promise.all(
          ROLES.map((role) =>
            all[role].ask(
              { type: 'profile', start: false, file: join(directory, `${options.mode}-${role}.cpuprofile`) },
              'profiled',
            ),
          ),
        );
      },
      async stop() {
        await all.gateway.stop();
        await Promise.all(SUBGRAPH_NAMES.map((name) => all[name].stop()));
      },
    };
  } catch (error) {
    await Promise.all(Object.values(children).map((child) => child.stop()));
    throw error;
  }
}

interface Child {
  readonly url: string;
  /** Sends `request` and waits for the reply of type `type`; one question at a time, as replies carry no id. */
  ask<Type extends ServeReply['type']>(request: ServeRequest, type: Type): Promise<Extract<ServeReply, { type: Type }>>;
  stop(): Promise<void>;
}

async function spawn(spec: ServiceSpec, options: BenchStackOptions): Promise<Child> {
  const child = fork(SERVE, [JSON.stringify(spec)], {
    // --expose-gc only lets the runner settle memory before reading it, between timed runs.
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await nextReply(child, 'ready', `${options.mode} ${spec.role} did not start`);
  let pending = Promise.resolve();
  return {
    url: ready.url,
    ask(request, type) {
      const answer = pending.then(() => {
        const reply = nextReply(child, type, `${spec.role} did not answer`);
        send(child, request);
        return reply;
      });
      pending = answer.then(
        () => undefined,
        () => undefined,
      );
      return answer;
    },
    async stop() {
      if (child.exitCode === null && child.connected) send(child, { type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function send(child: ChildProcess, message: ServeRequest): void {
  child.send(message);
}

function nextReply<Type extends ServeReply['type']>(
  child: ChildProcess,
  type: Type,
  failure: string,
): Promise<Extract<ServeReply, { type: Type }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServeReply) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<ServeReply, { type: Type }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${failure} (exit ${code})`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
