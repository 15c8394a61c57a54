/**
 * The whole system on ephemeral loopback ports: three real subgraphs (each with its own database)
 * and the real gateway, talking HTTP. Nothing of ours is mocked.
 */
import '../gateway/src/telemetry.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createLogger } from '#platform';
import { DEFAULT_IDENTITY_ISSUER } from '#identity';
import {
  launchSubgraph,
  type DatabaseLocation,
  type RunningSubgraph,
  type SubgraphConfig,
  type SubgraphProgram,
  type SubgraphTimeouts,
} from '#kit';
import { readGatewayConfig } from '../gateway/src/config.ts';
import { startGateway, type RunningGateway } from '../gateway/src/server.ts';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { PAYMENTS_PROGRAM } from '../subgraphs/payments/src/service.ts';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';
import { mintClientToken, type TokenRequest } from '../scripts/clientTokens.ts';
import { dropSchemas, POSTGRES_URL, type Driver } from './drivers.ts';
import { freePort } from '#platform/testing';

export { POSTGRES_URL, type Driver } from './drivers.ts';

export interface StackOptions {
  driver?: Driver;
  /** Extra gateway environment (JWT_* settings and the like). */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Receives every log line of every service, parsed; without it the stack logs nothing. */
  onLog?: (entry: Record<string, any>) => void;
  /** The PostgreSQL server for the postgres driver (default POSTGRES_URL; a proxy in outage tests). */
  postgresUrl?: string;
  /** Extra orders environment (ORDERS_POLICY_ENGINE and the like). */
  ordersEnv?: NodeJS.ProcessEnv;
  /** The subgraphs' deadlines (database, health, shutdown); the kit's defaults otherwise. */
  subgraphTimeouts?: Partial<SubgraphTimeouts>;
}

export type SubgraphName = 'orders' | 'payments' | 'inventory';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
}

type QueryOptions = { token?: string; variables?: unknown; headers?: Record<string, string> };

export interface Stack {
  gatewayUrl: string;
  /** The gateway's /metrics, on an ephemeral port of its own (as production keeps it off the client port). */
  gatewayMetricsUrl: string;
  subgraphs: Record<SubgraphName, RunningSubgraph & { config: SubgraphConfig }>;
  /** Headers of every GraphQL request the subgraphs received, to prove what did or did not reach them. */
  subgraphRequests: IncomingHttpHeaders[];
  token(request: TokenRequest): Promise<string>;
  query(document: string, options?: QueryOptions): Promise<GraphQLResponse>;
  /**
   * Another gateway in front of the same subgraphs, with more settings (JWT_JWKS_URL, ...). It
   * shares the first one's identity signing key, so the subgraphs trust it too.
   */
  startGateway(
    env: NodeJS.ProcessEnv,
  ): Promise<{ url: string; metricsUrl: string; query(document: string, options?: QueryOptions): Promise<GraphQLResponse> }>;
  /** The gateways' identity signing key (PKCS#8 PEM), for tests that mint identity tokens on purpose. */
  identitySigningKey: string;
  /** Stops one subgraph (an outage); `restartSubgraph` brings it back on the same port. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  /** Relaunches a stopped subgraph on its old port (with pglite, on a freshly seeded database). */
  restartSubgraph(name: SubgraphName): Promise<void>;
  stop(): Promise<void>;
}

export const DEMO = {
  alice: { sub: 'alice' },
  bob: { sub: 'bob' },
  wendy: { sub: 'wendy', roles: ['warehouse_staff'] },
  paula: { sub: 'paula', roles: ['payment_processor'] },
  ada: { sub: 'ada', roles: ['admin'] },
} satisfies Record<string, TokenRequest>;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const gatewayPort = await freePort();
  const jwksUrl = `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`;
  const suffix = randomBytes(4).toString('hex');
  const subgraphRequests: IncomingHttpHeaders[] = [];
  const identitySigningKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  const loggerFor = (service: string) =>
    options.onLog
      ? createLogger(service, 'info', { write: (line: string) => options.onLog!(JSON.parse(line)) })
      : createLogger(service, 'silent');

  const launch = async (program: SubgraphProgram, env: NodeJS.ProcessEnv = {}, port = 0) => {
    const database = databaseFor(program.name, options.driver, suffix, options.postgresUrl);
    const config = { ...subgraphConfig(program.name, jwksUrl, database), port, timeouts: options.subgraphTimeouts ?? {} };
    const running = await launchSubgraph(program, config, { logger: loggerFor(program.name), env });
    // Before Express, which rewrites req.url for mounted routes.
    running.server.httpServer.prependListener('request', (req) => {
      if (req.url?.startsWith('/graphql')) subgraphRequests.push(req.headers);
    });
    return Object.assign(running, { config });
  };
  // Each subgraph after the one it calls onward: orders asks inventory, payments asks orders.
  const inventory = await launch(INVENTORY_PROGRAM);
  const orders = await launch(ORDERS_PROGRAM, { ...options.ordersEnv, INVENTORY_URL: inventory.server.url });
  const payments = await launch(PAYMENTS_PROGRAM, { ORDERS_URL: orders.server.url });

  const baseEnv: NodeJS.ProcessEnv = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Never the fixed default (9464) in a test: each gateway gets an ephemeral metrics port.
    METRICS_PORT: '0',
    IDENTITY_SIGNING_KEY: identitySigningKey,
    ORDERS_URL: orders.server.url,
    PAYMENTS_URL: payments.server.url,
    INVENTORY_URL: inventory.server.url,
  };
  const gatewayEnv = { ...baseEnv, PORT: String(gatewayPort), ...options.gatewayEnv };
  const gateways: RunningGateway[] = [await startGateway(readGatewayConfig(gatewayEnv), { logger: loggerFor('gateway') })];
  const subgraphs = { orders, payments, inventory };
  const programs = { orders: ORDERS_PROGRAM, payments: PAYMENTS_PROGRAM, inventory: INVENTORY_PROGRAM };
  const stopped = new Set<SubgraphName>();

  return {
    gatewayUrl: gateways[0]!.url,
    gatewayMetricsUrl: gateways[0]!.metricsUrl,
    subgraphs,
    subgraphRequests,
    identitySigningKey,
    token: (request) => mintClientToken(request, gatewayEnv),
    query: (document, queryOptions = {}) => postGraphQL(gateways[0]!.url, document, queryOptions),
    async startGateway(env) {
      const gateway = await startGateway(readGatewayConfig({ ...baseEnv, PORT: '0', ...env }));
      gateways.push(gateway);
      return {
        url: gateway.url,
        metricsUrl: gateway.metricsUrl,
        query: (document, queryOptions = {}) => postGraphQL(gateway.url, document, queryOptions),
      };
    },
    async stopSubgraph(name) {
      stopped.add(name);
      await subgraphs[name].stop();
    },
    async restartSubgraph(name) {
      const onward = {
        payments: { ORDERS_URL: orders.server.url },
        orders: { ...options.ordersEnv, INVENTORY_URL: inventory.server.url },
        inventory: {},
      };
      const env = onward[name];
      subgraphs[name] = await launch(programs[name], env, subgraphs[name].server.port);
      stopped.delete(name);
    },
    async stop() {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      const names = Object.keys(subgraphs) as SubgraphName[];
      await Promise.all(names.filter((name) => !stopped.has(name)).map((name) => subgraphs[name].stop()));
      const schemas = Object.values(subgraphs).flatMap(({ config }) =>
        config.database.driver === 'postgres' ? [config.database.schema] : [],
      );
      await dropSchemas(schemas);
    },
  };
}

export async function postGraphQL(
  url: string,
  document: string,
  options: { token?: string; variables?: unknown; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: document, variables: options.variables }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

function subgraphConfig(name: string, jwksUrl: string, database: DatabaseLocation): SubgraphConfig {
  return {
    name,
    port: 0,
    host: '127.0.0.1',
    identityKeys: { jwksUrl },
    identityIssuer: DEFAULT_IDENTITY_ISSUER,
    database,
    seedDemoData: true,
    debugErrors: false,
    logLevel: 'silent',
  };
}

function databaseFor(name: string, driver: Driver = 'pglite', suffix: string, url = POSTGRES_URL): DatabaseLocation {
  return driver === 'pglite'
    ? { driver: 'pglite' }
    : { driver: 'postgres', url, schema: `test_${name}_${suffix}`, maxConnections: 5 };
}

export const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((error) => error.extensions?.code);
