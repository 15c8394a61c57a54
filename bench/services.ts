/**
 * One service of a benchmark stack, secure or baseline, built from the production modules. The
 * runner starts each in its own process (serve.ts); tests may start them in-process.
 */
import '../gateway/src/telemetry.ts';
import type { Server } from 'node:http';
import { createLogger } from '#platform';
import { DEFAULT_IDENTITY_ISSUER } from '#identity';
import { launchSubgraph, observeQueries, type DatabaseLocation, type SubgraphConfig, type SubgraphProgram } from '#kit';
import { readGatewayConfig } from '../gateway/src/config.ts';
import { startGateway } from '../gateway/src/server.ts';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { PAYMENTS_PROGRAM } from '../subgraphs/payments/src/service.ts';
import { gatewayBaseline, subgraphBaseline } from './baseline.ts';

export type SubgraphName = 'orders' | 'payments' | 'inventory';
export const SUBGRAPHS: readonly SubgraphName[] = ['orders', 'payments', 'inventory'];

/** `secure` is production's code path; `baseline` the same code with security switched off. */
export type Mode = 'secure' | 'baseline';

/** How client tokens are signed in a benchmark stack; the harness mints its tokens with the same. */
export const BENCH_CLIENT_AUTH = {
  JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  JWT_ISSUER: 'https://bench.example/issuer',
  JWT_AUDIENCE: 'bench-api',
} as const;

export type ServiceSpec =
  | {
      role: 'gateway';
      mode: Mode;
      port: number;
      /** PKCS#8 PEM; the subgraphs verify against the JWKS this gateway serves. */
      identitySigningKey: string;
      subgraphUrls: Record<SubgraphName, string>;
    }
  | {
      role: SubgraphName;
      mode: Mode;
      port: number;
      jwksUrl: string;
      database: DatabaseLocation;
      /** payments asks orders whether an order exists before taking a payment. */
      ordersUrl?: string;
      /** orders asks inventory whether each SKU of a new order exists. */
      inventoryUrl?: string;
    };

export interface LaunchedService {
  readonly url: string;
  readonly port: number;
  /** The subgraph's HTTP server, to count its connections and requests; absent for the gateway. */
  readonly httpServer?: Server;
  stop(): Promise<void>;
}

const PROGRAMS: Record<SubgraphName, SubgraphProgram> = {
  orders: ORDERS_PROGRAM,
  payments: PAYMENTS_PROGRAM,
  inventory: INVENTORY_PROGRAM,
};

export interface LaunchHooks {
  /** Sees every SQL statement a subgraph sends (in-process use only). */
  onQuery?: (subgraph: SubgraphName, sql: string) => void;
}

export async function launchService(spec: ServiceSpec, hooks: LaunchHooks = {}): Promise<LaunchedService> {
  const logger = createLogger(spec.role, 'silent');
  if (spec.role === 'gateway') {
    const config = readGatewayConfig({
      ...BENCH_CLIENT_AUTH,
      HOST: '127.0.0.1',
      PORT: String(spec.port),
      LOG_LEVEL: 'silent',
      IDENTITY_SIGNING_KEY: spec.identitySigningKey,
      ORDERS_URL: spec.subgraphUrls.orders,
      PAYMENTS_URL: spec.subgraphUrls.payments,
      INVENTORY_URL: spec.subgraphUrls.inventory,
    });
    const gateway = await startGateway(config, {
      logger,
      ...(spec.mode === 'baseline' ? { benchmarkBaseline: gatewayBaseline(config.clientAuth.rolesClaim) } : {}),
    });
    return { url: gateway.url, port: gateway.port, stop: () => gateway.stop() };
  }

  const name = spec.role;
  const program = hooks.onQuery ? observed(PROGRAMS[name], (sql) => hooks.onQuery!(name, sql)) : PROGRAMS[name];
  const config: SubgraphConfig = {
    name,
    port: spec.port,
    host: '127.0.0.1',
    identityKeys: { jwksUrl: spec.jwksUrl },
    identityIssuer: DEFAULT_IDENTITY_ISSUER,
    database: spec.database,
    seedDemoData: true,
    debugErrors: false,
    logLevel: 'silent',
  };
  const running = await launchSubgraph(program, config, {
    logger,
    env: {
      ...(spec.ordersUrl ? { ORDERS_URL: spec.ordersUrl } : {}),
      ...(spec.inventoryUrl ? { INVENTORY_URL: spec.inventoryUrl } : {}),
    },
    ...(spec.mode === 'baseline' ? { benchmarkBaseline: subgraphBaseline() } : {}),
  });
  return {
    url: running.server.url,
    port: running.server.port,
    httpServer: running.server.httpServer,
    stop: () => running.stop(),
  };
}

/** The program with every statement its service sends reported (migrations are not). */
function observed(program: SubgraphProgram, onQuery: (sql: string) => void): SubgraphProgram {
  return { ...program, createService: (db, env, build) => program.createService(observeQueries(db, onQuery), env, build) };
}
