import { buildShieldedSchema, loadSubgraphSdl, type Database, type SubgraphProgram, type SubgraphService } from '#kit';
import { ordersContextFactory, type OrdersContext } from './context.ts';
import { ordersPermissions } from './permissions.ts';
import { ordersResolvers } from './resolvers.ts';

export const ORDERS = {
  name: 'orders',
  defaultPort: 4001,
  migrations: new URL('../migrations/', import.meta.url).pathname,
  seed: new URL('../seed.sql', import.meta.url).pathname,
} as const;

export interface OrdersServiceOptions {
  db: Database;
  now?: () => Date;
  /** The load benchmark's baseline only (`ServiceBuildOptions`): no shield. */
  withoutShield?: boolean;
}

export function createOrdersService({ db, now = () => new Date(), withoutShield = false }: OrdersServiceOptions): SubgraphService<OrdersContext> {
  return {
    name: ORDERS.name,
    schema: buildShieldedSchema(loadSubgraphSdl(ORDERS.name), ordersResolvers, withoutShield ? null : ordersPermissions),
    createContext: ordersContextFactory(db, now),
    checkHealth: async () => void (await db.query('SELECT 1')),
  };
}

export const ORDERS_PROGRAM: SubgraphProgram = {
  name: ORDERS.name,
  defaultPort: ORDERS.defaultPort,
  migrationsDir: ORDERS.migrations,
  seedFile: ORDERS.seed,
  createService: (db, _env, build) => createOrdersService({ db, withoutShield: build?.withoutShield }),
};
