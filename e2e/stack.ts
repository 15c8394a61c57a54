/**
 * The whole system on ephemeral loopback ports: three real subgraphs (each with its own database)
 * and the real gateway, talking HTTP. Nothing of ours is mocked.
 */
import '../gateway/src/telemetry.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createLogger } from '#platform';
import type { RunningSubgraph, SubgraphConfig, SubgraphTimeouts } from '#kit';
import { SUBGRAPH_NAMES, type SubgraphName } from '#roster';
import { readGatewayConfig } from '../gateway/src/config.ts';
import { startGateway, type RunningGateway } from '../gateway/src/server.ts';
import { mintClientToken, type TokenRequest } from '../scripts/clientTokens.ts';
import { dropSchemas, type Driver } from './drivers.ts';
import { databaseFor, launchProductionSubgraph, subgraphConfig } from './services.ts';
import { onwardEnv, START_ORDER, urlVariables } from './topology.ts';
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
  /** Sees every SQL statement the subgraphs send (migrations not included). */
  onQuery?: (subgraph: SubgraphName, sql: string) => void;
}

export type { SubgraphName } from '#roster';

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

  const subgraphs = {} as Record<SubgraphName, RunningSubgraph & { config: SubgraphConfig }>;
  const urls = () => Object.fromEntries(Object.entries(subgraphs).map(([name, running]) => [name, running.server.url]));
  const envOf = (name: SubgraphName) => ({ ...(name === 'orders' ? options.ordersEnv : {}), ...onwardEnv(name, urls()) });
  const launch = async (name: SubgraphName, port = 0) => {
    const database = databaseFor(name, options.driver, suffix, options.postgresUrl);
    const config = subgraphConfig(name, jwksUrl, database, { port, timeouts: options.subgraphTimeouts ?? {} });
    const running = await launchProductionSubgraph(name, {
      config,
      env: envOf(name),
      logger: loggerFor(name),
      ...(options.onQuery ? { onQuery: (sql: string) => options.onQuery!(name, sql) } : {}),
    });
    // Before Express, which rewrites req.url for mounted routes.
    running.server.httpServer.prependListener('request', (req) => {
      if (req.url?.startsWith('/graphql')) subgraphRequests.push(req.headers);
    });
    return Object.assign(running, { config });
  };
  for (const name of START_ORDER) subgraphs[name] = await launch(name);

  const baseEnv: NodeJS.ProcessEnv = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Never the fixed default (9464) in a test: each gateway gets an ephemeral metrics port.
    METRICS_PORT: '0',
    IDENTITY_SIGNING_KEY: identitySigningKey,
    ...urlVariables(urls()),
  };
  const gatewayEnv = { ...baseEnv, PORT: String(gatewayPort), ...options.gatewayEnv };
  const gateways: RunningGateway[] = [await startGateway(readGatewayConfig(gatewayEnv), { logger: loggerFor('gateway') })];
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
      subgraphs[name] = await launch(name, subgraphs[name].server.port);
      stopped.delete(name);
    },
    async stop() {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await Promise.all(SUBGRAPH_NAMES.filter((name) => !stopped.has(name)).map((name) => subgraphs[name].stop()));
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

export const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((error) => error.extensions?.code);
