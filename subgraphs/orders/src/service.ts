import { z } from 'zod';
import { parseEnv, shieldedService, subgraphFiles, type Database, type SubgraphProgram, type SubgraphService } from '#kit';
import { ordersContextFactory, type OrdersContext } from './context.ts';
import { ordersPermissions } from './permissions.ts';
import { createHttpProductCatalogue, type ProductCatalogue } from './productCatalogue.ts';
import { ordersResolvers } from './resolvers.ts';

export const ORDERS = {
  name: 'orders',
  defaultPort: 4001,
  ...subgraphFiles(import.meta.url),
} as const;

export interface OrdersServiceOptions {
  db: Database;
  /** Inventory, asked whether each SKU of a new order exists. */
  products: ProductCatalogue;
  now?: () => Date;
  /** The load benchmark's baseline only (`ServiceBuildOptions`): no shield. */
  withoutShield?: boolean;
}

export function createOrdersService({
  db,
  products,
  now = () => new Date(),
  withoutShield,
}: OrdersServiceOptions): SubgraphService<OrdersContext> {
  return shieldedService({
    name: ORDERS.name,
    db,
    resolvers: ordersResolvers,
    permissions: ordersPermissions,
    createContext: ordersContextFactory(db, now, products),
    ...(withoutShield ? { withoutShield } : {}),
  });
}

const ORDERS_ENV = z.object({
  INVENTORY_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4003/graphql'),
  INVENTORY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});

/** The settings of orders alone, beside those every subgraph reads. */
export function readOrdersEnv(env: NodeJS.ProcessEnv) {
  const parsed = parseEnv(ORDERS.name, ORDERS_ENV, env);
  return { inventoryUrl: parsed.INVENTORY_URL, inventoryTimeoutMs: parsed.INVENTORY_TIMEOUT_MS };
}

export const ORDERS_PROGRAM: SubgraphProgram = {
  name: ORDERS.name,
  defaultPort: ORDERS.defaultPort,
  migrationsDir: ORDERS.migrations,
  seedFile: ORDERS.seed,
  checkEnv: readOrdersEnv,
  ownEnvVariables: Object.keys(ORDERS_ENV.shape),
  createService: (db, env, build) => {
    const { inventoryUrl, inventoryTimeoutMs } = readOrdersEnv(env);
    return createOrdersService({
      db,
      products: createHttpProductCatalogue({ url: inventoryUrl, timeoutMs: inventoryTimeoutMs }),
      withoutShield: build?.withoutShield,
    });
  },
};
