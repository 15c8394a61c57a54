/**
 * How the system is put together outside `npm start`: which program each subgraph of the roster
 * runs and the settings that wire it to its database (topology.ts wires them to each other). The
 * e2e stack starts them in one process; the bench starts each in its own.
 */
import '../gateway/src/telemetry.ts';
import { DEFAULT_IDENTITY_ISSUER } from '#identity';
import { createLogger, type Logger } from '#platform';
import type { SubgraphName } from '#roster';
import {
  launchSubgraph,
  observeQueries,
  type DatabaseLocation,
  type RunningSubgraph,
  type SubgraphConfig,
  type SubgraphProgram,
  type SubgraphTimeouts,
} from '#kit';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { PAYMENTS_PROGRAM } from '../subgraphs/payments/src/service.ts';
import { POSTGRES_URL, type Driver } from './drivers.ts';

export const PROGRAMS: Record<SubgraphName, SubgraphProgram> = {
  orders: ORDERS_PROGRAM,
  payments: PAYMENTS_PROGRAM,
  inventory: INVENTORY_PROGRAM,
};

/** The embedded database, or a throwaway schema of its own on the PostgreSQL server. */
export function databaseFor(
  name: string,
  driver: Driver = 'pglite',
  suffix: string,
  url = POSTGRES_URL,
  maxConnections = 5,
): DatabaseLocation {
  return driver === 'pglite'
    ? { driver: 'pglite' }
    : { driver: 'postgres', url, schema: `test_${name}_${suffix}`, maxConnections };
}

export function subgraphConfig(
  name: string,
  jwksUrl: string,
  database: DatabaseLocation,
  overrides: { port?: number; timeouts?: Partial<SubgraphTimeouts> } = {},
): SubgraphConfig {
  return {
    name,
    port: overrides.port ?? 0,
    host: '127.0.0.1',
    identityKeys: { jwksUrl },
    identityIssuer: DEFAULT_IDENTITY_ISSUER,
    database,
    seedDemoData: true,
    debugErrors: false,
    logLevel: 'silent',
    timeouts: overrides.timeouts ?? {},
  };
}

export interface SubgraphLaunch {
  config: SubgraphConfig;
  /** Its own settings and the URLs of its onward targets. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Sees every SQL statement the service sends (migrations not included). */
  onQuery?: (sql: string) => void;
}

/** One subgraph as production builds it, in this process. */
export async function launchProductionSubgraph(name: SubgraphName, launch: SubgraphLaunch): Promise<RunningSubgraph> {
  const program = launch.onQuery ? observed(PROGRAMS[name], launch.onQuery) : PROGRAMS[name];
  return launchSubgraph(program, launch.config, {
    logger: launch.logger ?? createLogger(name, 'silent'),
    env: launch.env ?? {},
  });
}

function observed(program: SubgraphProgram, onQuery: (sql: string) => void): SubgraphProgram {
  return { ...program, createService: (db, env) => program.createService(observeQueries(db, onQuery), env) };
}
