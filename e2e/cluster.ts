/**
 * A cluster on this machine: two replicas of the gateway and of each subgraph, each a real process
 * started as `npm run start:<service>` starts it, behind HAProxy (one frontend per tier, health
 * checks, connection failures retried on the other replica), with the PostgreSQL server and Redis
 * as the shared state. Loopback only. Used by e2e/cluster.test.ts and `npm run cluster`.
 * Every answer names the replica that gave it (`x-served-by`, set by HAProxy), so a drill can tell,
 * through the load balancer, what each replica did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '#platform/testing';
import { mintClientToken, type TokenRequest } from '../scripts/clientTokens.ts';
import { startChildService, waitForHealth, type ChildService } from './childService.ts';
import { dropSchemas } from './drivers.ts';
import { deleteKeys } from './redis.ts';
import { spawnIn } from './spawned.ts';

export type Tier = 'gateway' | 'orders' | 'payments' | 'inventory';
export const TIERS: readonly Tier[] = ['gateway', 'orders', 'payments', 'inventory'];

const ENTRY: Record<Tier, string> = {
  gateway: 'gateway/src/main.ts',
  orders: 'subgraphs/orders/src/main.ts',
  payments: 'subgraphs/payments/src/main.ts',
  inventory: 'subgraphs/inventory/src/main.ts',
};

const CLIENT_AUTH = {
  JWT_SECRET: 'cluster-secret-0123456789abcdef0123456789abcdef',
  JWT_ISSUER: 'https://cluster.example/issuer',
  JWT_AUDIENCE: 'cluster-api',
};

export interface ClusterOptions {
  postgresUrl: string;
  redisUrl?: string;
  replicas?: number;
  /** Extra environment for every gateway replica. */
  gatewayEnv?: NodeJS.ProcessEnv;
}

interface Replica extends ChildService {
  readonly tier: Tier;
  readonly index: number;
  readonly port: number;
}

export interface Cluster {
  /** The gateway tier's frontend on HAProxy: what clients call. */
  readonly url: string;
  token(request: TokenRequest): Promise<string>;
  /** How many replicas each tier runs. */
  readonly replicas: number;
  /** `POST /revocations` on a gateway replica's metrics port, with the admin secret; the HTTP status. */
  revokeAt(index: number, body: { jti?: string; sub?: string; exp?: number }): Promise<number>;
  /** `npm run revoke -- <args>` with the gateways' environment (straight to Redis); rejects unless it exits 0. */
  revokeInRedis(args: string[]): Promise<void>;
  /** SIGKILL, as a crashed node or an OOM kill would end it. */
  kill(tier: Tier, index: number): Promise<void>;
  /** Starts the replica again on its old port; resolves when its /health answers 200. */
  restart(tier: Tier, index: number): Promise<void>;
  /** Whether HAProxy has the replica in rotation (its health checks pass). */
  inRotation(tier: Tier, index: number): Promise<boolean>;
  stop(): Promise<void>;
}

function haproxyConfig(frontends: Record<Tier, number>, replicas: Record<Tier, number[]>, statsSocket: string): string {
  const lines = [
    'global',
    '  maxconn 2000',
    `  stats socket ${statsSocket} mode 600 level user`,
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-keep-alive 60s',
    // A request that could not reach a replica (refused: it is down) goes to another one. Only
    // connection failures: a request that reached a replica is never sent twice.
    '  option http-buffer-request',
    '  retries 3',
    '  retry-on conn-failure',
    '  option redispatch 1',
    '  http-reuse safe',
  ];
  for (const tier of TIERS) {
    lines.push(`frontend ${tier}`, `  bind 127.0.0.1:${frontends[tier]}`, `  default_backend ${tier}`);
    lines.push(
      `backend ${tier}`,
      '  balance roundrobin',
      '  http-response set-header x-served-by %[srv_name]',
      '  option httpchk GET /health',
      '  timeout check 2s',
      '  default-server inter 500ms fall 2 rise 1',
    );
    replicas[tier].forEach((port, index) => lines.push(`  server ${tier}${index} 127.0.0.1:${port} check`));
  }
  return `${lines.join('\n')}\n`;
}

/** `backend/server` -> UP, DOWN, ... from HAProxy's `show stat` on its stats socket. */
function serverStates(socketPath: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error('haproxy stats socket timed out')));
    socket.on('connect', () => socket.write('show stat\n'));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      const [header, ...rows] = text.trim().split('\n');
      const columns = (header ?? '').replace(/^# /, '').split(',');
      const at = (name: string) => columns.indexOf(name);
      const states = new Map<string, string>();
      for (const row of rows.map((line) => line.split(','))) {
        const server = row[at('svname')]!;
        if (server !== 'FRONTEND' && server !== 'BACKEND') states.set(`${row[at('pxname')]}/${server}`, row[at('status')]!);
      }
      resolve(states);
    });
  });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const count = options.replicas ?? 2;
  const run = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'cluster-'));
  const portsOf = async () => Promise.all(Array.from({ length: count }, () => freePort()));
  const frontends = Object.fromEntries(await Promise.all(TIERS.map(async (tier) => [tier, await freePort()]))) as Record<
    Tier,
    number
  >;
  const replicaPorts = Object.fromEntries(await Promise.all(TIERS.map(async (tier) => [tier, await portsOf()]))) as Record<
    Tier,
    number[]
  >;
  const lb = (tier: Tier) => `http://127.0.0.1:${frontends[tier]}`;
  const identitySigningKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const schemas = (['orders', 'payments', 'inventory'] as const).map((name) => `cluster_${run}_${name}`);
  // The admin endpoint lives on the metrics port: one per gateway replica, kept across a restart.
  const metricsPorts = await portsOf();
  const tokenPrefix = `cluster:${run}:tokens:`;
  const revocationAdminToken = randomBytes(24).toString('hex');

  const envFor = (tier: Tier, index: number): NodeJS.ProcessEnv => {
    const port = replicaPorts[tier][index]!;
    const common = { HOST: '127.0.0.1' };
    if (tier === 'gateway') {
      return {
        ...common,
        ...CLIENT_AUTH,
        PORT: String(port),
        METRICS_PORT: String(metricsPorts[index]),
        REVOCATION_ADMIN_TOKEN: revocationAdminToken,
        TOKEN_REDIS_PREFIX: tokenPrefix,
        IDENTITY_SIGNING_KEY: identitySigningKey,
        ORDERS_URL: `${lb('orders')}/graphql`,
        PAYMENTS_URL: `${lb('payments')}/graphql`,
        INVENTORY_URL: `${lb('inventory')}/graphql`,
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        ...options.gatewayEnv,
      };
    }
    const name = tier.toUpperCase();
    return {
      ...common,
      [`${name}_PORT`]: String(port),
      DATABASE_URL: options.postgresUrl,
      [`${name}_DATABASE_SCHEMA`]: `cluster_${run}_${tier}`,
      GATEWAY_JWKS_URL: `${lb('gateway')}/.well-known/jwks.json`,
      ...(tier === 'payments' ? { ORDERS_URL: `${lb('orders')}/graphql` } : {}),
      ...(tier === 'orders' ? { INVENTORY_URL: `${lb('inventory')}/graphql` } : {}),
    };
  };

  const replicas = new Map<string, Replica>();
  const launch = (tier: Tier, index: number): Replica => {
    const port = replicaPorts[tier][index]!;
    const replica = { ...startChildService(ENTRY[tier], envFor(tier, index)), tier, index, port };
    replicas.set(`${tier}${index}`, replica);
    return replica;
  };
  const replica = (tier: Tier, index: number) => {
    const found = replicas.get(`${tier}${index}`);
    if (!found) throw new Error(`no replica ${tier}${index}`);
    return found;
  };

  const configFile = join(dir, 'haproxy.cfg');
  const statsSocket = join(dir, 'haproxy.sock');
  writeFileSync(configFile, haproxyConfig(frontends, replicaPorts, statsSocket));
  const haproxy = spawn('haproxy', ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let haproxyOutput = '';
  haproxy.stderr!.on('data', (chunk: Buffer) => (haproxyOutput = (haproxyOutput + chunk.toString()).slice(-10_000)));

  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    await Promise.all(
      [...replicas.values()].map(async ({ child }) => {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(killer);
      }),
    );
    haproxy.kill('SIGTERM');
    await exited(haproxy);
    rmSync(dir, { recursive: true, force: true });
    await dropSchemas(schemas);
    if (options.redisUrl) await deleteRevocations(options.redisUrl, tokenPrefix);
  };

  try {
    // Subgraphs first: orders seeds under the migration lock while the others start.
    for (const tier of ['orders', 'payments', 'inventory', 'gateway'] as const) {
      const started = Array.from({ length: count }, (_, index) => launch(tier, index));
      await Promise.all(started.map((one) => waitForHealth(one.port, one)));
    }
    if (haproxy.exitCode !== null) throw new Error(`haproxy exited:\n${haproxyOutput}`);
    await waitUntil(async () => [...(await serverStates(statsSocket)).values()].every((state) => state === 'UP'), 30_000);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: `${lb('gateway')}/graphql`,
    token: (request) => mintClientToken(request, CLIENT_AUTH),
    replicas: count,
    async revokeAt(index, body) {
      const response = await fetch(`http://127.0.0.1:${metricsPorts[index]}/revocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${revocationAdminToken}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel();
      return response.status;
    },
    async revokeInRedis(args) {
      // The gateways' own environment, so the command finds the same Redis, prefix and limits.
      const { PORT: _port, METRICS_PORT: _metrics, ...env } = envFor('gateway', 0);
      const command = spawnIn(process.execPath, ['--import', 'tsx', 'scripts/revoke.ts', ...args], env);
      const killer = setTimeout(() => command.child.kill('SIGKILL'), 30_000);
      const code = await command.exited.finally(() => clearTimeout(killer));
      if (code !== 0) throw new Error(`npm run revoke exited ${code}:\n${command.output()}`);
    },
    async kill(tier, index) {
      const { child } = replica(tier, index);
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart(tier, index) {
      const started = launch(tier, index);
      await waitForHealth(started.port, started);
    },
    async inRotation(tier, index) {
      return (await serverStates(statsSocket)).get(`${tier}/${tier}${index}`) === 'UP';
    },
    stop,
  };
}

async function deleteRevocations(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await deleteKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
