/**
 * The four services as real processes, each with its own OpenTelemetry SDK exporting OTLP/HTTP
 * JSON to `endpoint` (the collector stand-in): tracing as an operator turns it on, through the
 * standard variables. Orders and payments keep their rows in PostgreSQL when a server answers,
 * inventory in PGlite, so statements of both drivers show.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '#platform/testing';
import { mintClientToken, type TokenRequest } from '../scripts/clientTokens.ts';
import { startChildService, waitForHealth, type ChildService } from './childService.ts';
import { DRIVERS, dropSchemas, POSTGRES_URL } from './drivers.ts';
import { postGraphQL, type GraphQLResponse } from './stack.ts';

export interface TracedStack {
  readonly services: Record<string, ChildService>;
  token(request: TokenRequest): Promise<string>;
  query(document: string, options?: { token?: string; headers?: Record<string, string> }): Promise<GraphQLResponse>;
  /** Another gateway process in front of the same subgraphs, with more settings. */
  startGateway(env: NodeJS.ProcessEnv): Promise<{ query: TracedStack['query']; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

/** Each span is exported within 100 ms, so a test waits little for it. */
const exportSoon = (endpoint: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_BSP_SCHEDULE_DELAY: '100',
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
});

async function stopAll(services: ChildService[]): Promise<void> {
  for (const service of services) service.child.kill('SIGTERM');
  await Promise.all(services.map((service) => Promise.race([service.exited, new Promise((r) => setTimeout(r, 15_000))])));
  for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGKILL');
}

export async function startTracedStack(endpoint: string): Promise<TracedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'traced-'));
  const suffix = randomBytes(4).toString('hex');
  const postgres = DRIVERS.includes('postgres');
  const schemas = postgres ? [`orders_${suffix}`, `payments_${suffix}`] : [];
  const [gatewayPort, ordersPort, paymentsPort, inventoryPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const common = {
    ...exportSoon(endpoint),
    GATEWAY_JWKS_URL: `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`,
    DATA_DIR: dataDir,
  };
  const database = (name: string) =>
    postgres ? { DATABASE_URL: POSTGRES_URL, [`${name.toUpperCase()}_DATABASE_SCHEMA`]: `${name}_${suffix}` } : {};
  const subgraphs = {
    inventory: startChildService('subgraphs/inventory/src/main.ts', { ...common, INVENTORY_PORT: String(inventoryPort) }),
    orders: startChildService('subgraphs/orders/src/main.ts', {
      ...common,
      ...database('orders'),
      ORDERS_PORT: String(ordersPort),
      INVENTORY_URL: url(inventoryPort),
    }),
    payments: startChildService('subgraphs/payments/src/main.ts', {
      ...common,
      ...database('payments'),
      PAYMENTS_PORT: String(paymentsPort),
      ORDERS_URL: url(ordersPort),
    }),
  };
  const gatewayEnv: NodeJS.ProcessEnv = {
    ...exportSoon(endpoint),
    DATA_DIR: dataDir,
    IDENTITY_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ORDERS_URL: url(ordersPort),
    PAYMENTS_URL: url(paymentsPort),
    INVENTORY_URL: url(inventoryPort),
  };
  const startGatewayOn = async (port: number, env: NodeJS.ProcessEnv = {}) => {
    const gateway = startChildService('gateway/src/main.ts', { ...gatewayEnv, PORT: String(port), ...env });
    await waitForHealth(port, gateway);
    return gateway;
  };
  const services: Record<string, ChildService> = { ...subgraphs };
  const extra: ChildService[] = [];
  try {
    services.gateway = await startGatewayOn(gatewayPort);
    await Promise.all([
      waitForHealth(inventoryPort, subgraphs.inventory),
      waitForHealth(ordersPort, subgraphs.orders),
      waitForHealth(paymentsPort, subgraphs.payments),
    ]);
  } catch (error) {
    await stopAll(Object.values(services));
    throw error;
  }
  return {
    services,
    token: (request) => mintClientToken(request, gatewayEnv),
    query: (document, options = {}) => postGraphQL(url(gatewayPort), document, options),
    async startGateway(env) {
      const port = await freePort();
      const gateway = await startGatewayOn(port, env);
      extra.push(gateway);
      return { query: (document, options = {}) => postGraphQL(url(port), document, options), stop: () => stopAll([gateway]) };
    },
    async stop() {
      await stopAll([...extra, ...Object.values(services)]);
      rmSync(dataDir, { recursive: true, force: true });
      await dropSchemas(schemas);
    },
  };
}
