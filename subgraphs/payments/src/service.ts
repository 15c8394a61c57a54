import { z } from 'zod';
import { parseEnv } from '#platform';
import {
  shieldedService,
  subgraphFiles,
  type Database,
  type ServiceParts,
  type SubgraphProgram,
  type SubgraphService,
} from '#kit';
import { paymentsContextFactory, type PaymentsContext } from './context.ts';
import { createHttpOrderDirectory, type OrderDirectory } from './orderDirectory.ts';
import { paymentsPermissions } from './permissions.ts';
import { paymentsResolvers } from './resolvers.ts';
import { localUrlOf, subgraphNamed } from '#roster';

const { name, defaultPort } = subgraphNamed('payments');
export const PAYMENTS = { name, defaultPort, ...subgraphFiles(import.meta.url) };

export interface PaymentsServiceOptions {
  db: Database;
  orders: OrderDirectory;
}

/** What the payments service is made of: its resolvers, its policy and how a request's context is built. */
export function paymentsServiceParts({ db, orders }: PaymentsServiceOptions): ServiceParts<PaymentsContext> {
  return {
    name: PAYMENTS.name,
    db,
    resolvers: paymentsResolvers,
    permissions: paymentsPermissions,
    createContext: paymentsContextFactory(db, orders),
  };
}

export function createPaymentsService(options: PaymentsServiceOptions): SubgraphService<PaymentsContext> {
  return shieldedService(paymentsServiceParts(options));
}

/** The service's options as the process environment gives them (ORDERS_URL). */
export function paymentsServiceOptions(db: Database, env: NodeJS.ProcessEnv): PaymentsServiceOptions {
  return { db, orders: createHttpOrderDirectory({ url: readPaymentsEnv(env).ordersUrl }) };
}

const PAYMENTS_ENV = z.object({
  ORDERS_URL: z.url({ protocol: /^https?$/ }).default(localUrlOf(subgraphNamed('orders'))),
});

/** The settings of payments alone, beside those every subgraph reads. */
export function readPaymentsEnv(env: NodeJS.ProcessEnv) {
  const parsed = parseEnv(PAYMENTS.name, PAYMENTS_ENV, env);
  return { ordersUrl: parsed.ORDERS_URL };
}

export const PAYMENTS_PROGRAM: SubgraphProgram = {
  name: PAYMENTS.name,
  defaultPort: PAYMENTS.defaultPort,
  migrationsDir: PAYMENTS.migrations,
  seedFile: PAYMENTS.seed,
  checkEnv: readPaymentsEnv,
  ownEnvVariables: Object.keys(PAYMENTS_ENV.shape),
  createService: (db, env) => createPaymentsService(paymentsServiceOptions(db, env)),
};
