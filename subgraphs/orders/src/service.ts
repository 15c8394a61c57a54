import { shieldedService, subgraphFiles, type Database, type SubgraphProgram, type SubgraphService } from '#kit';
import { ordersContextFactory, type OrdersContext } from './context.ts';
import { ordersPermissions } from './permissions.ts';
import { ordersResolvers } from './resolvers.ts';

export const ORDERS = {
  name: 'orders',
  defaultPort: 4001,
  ...subgraphFiles(import.meta.url),
} as const;

export interface OrdersServiceOptions {
  db: Database;
  now?: () => Date;
  /** The load benchmark's baseline only (`ServiceBuildOptions`): no shield. */
  withoutShield?: boolean;
}

export function createOrdersService({ db, now = () => new Date(), withoutShield }: OrdersServiceOptions): SubgraphService<OrdersContext> {
  return shieldedService({
    name: ORDERS.name,
    db,
    resolvers: ordersResolvers,
    permissions: ordersPermissions,
    createContext: ordersContextFactory(db, now),
    ...(withoutShield ? { withoutShield } : {}),
  });
}

export const ORDERS_PROGRAM: SubgraphProgram = {
  name: ORDERS.name,
  defaultPort: ORDERS.defaultPort,
  migrationsDir: ORDERS.migrations,
  seedFile: ORDERS.seed,
  createService: (db, _env, build) => createOrdersService({ db, withoutShield: build?.withoutShield }),
};
