import { ConfigError } from '#platform';
import {
  PolicyLoadError,
  shieldedService,
  type ServiceParts,
  subgraphFiles,
  type Database,
  type PolicyEngine,
  type SubgraphProgram,
  type SubgraphService,
} from '#kit';
import { ORDERS_ENV_VARIABLES, readOrdersEnv } from './config.ts';
import { ordersContextFactory, type OrdersContext } from './context.ts';
import { ordersPermissions } from './permissions.ts';
import { createHttpProductCatalogue, type ProductCatalogue } from './productCatalogue.ts';
import { createOrdersPolicyEngine } from './policyEngine.ts';
import { ordersPolicyPermissions } from './policyRules.ts';
import { ordersResolvers } from './resolvers.ts';
import { subgraphNamed } from '#roster';

const { name, defaultPort } = subgraphNamed('orders');
export const ORDERS = { name, defaultPort, ...subgraphFiles(import.meta.url) };

export interface OrdersServiceOptions {
  db: Database;
  /** Inventory, asked whether each SKU of a new order exists. */
  products: ProductCatalogue;
  now?: () => Date;
  /** The engine that decides the rows; none (the default) means the in-code shield rules. */
  policy?: PolicyEngine | null;
}

/** What the orders service is made of: its resolvers, its policy and how a request's context is built. */
export function ordersServiceParts({
  db,
  products,
  now = () => new Date(),
  policy = null,
}: OrdersServiceOptions): ServiceParts<OrdersContext> {
  return {
    name: ORDERS.name,
    db,
    resolvers: ordersResolvers,
    permissions: policy ? ordersPolicyPermissions : ordersPermissions,
    createContext: ordersContextFactory(db, now, products, policy),
  };
}

export function createOrdersService(options: OrdersServiceOptions): SubgraphService<OrdersContext> {
  return shieldedService(ordersServiceParts(options));
}

/** The service's options as the process environment gives them (INVENTORY_URL, ORDERS_POLICY_ENGINE, ...). */
export function ordersServiceOptions(db: Database, env: NodeJS.ProcessEnv): OrdersServiceOptions {
  const settings = readOrdersEnv(env);
  return { db, products: createHttpProductCatalogue(settings.inventory), policy: createOrdersPolicyEngine(settings) };
}

/** The settings, and the policy they name loaded once, so a bad policy stops the start like a bad setting. */
function checkOrdersEnv(env: NodeJS.ProcessEnv) {
  const settings = readOrdersEnv(env);
  try {
    createOrdersPolicyEngine(settings);
  } catch (error) {
    if (error instanceof PolicyLoadError) throw new ConfigError(ORDERS.name, [error.message]);
    throw error;
  }
}

export const ORDERS_PROGRAM: SubgraphProgram = {
  name: ORDERS.name,
  defaultPort: ORDERS.defaultPort,
  migrationsDir: ORDERS.migrations,
  seedFile: ORDERS.seed,
  checkEnv: checkOrdersEnv,
  ownEnvVariables: ORDERS_ENV_VARIABLES,
  createService: (db, env) => createOrdersService(ordersServiceOptions(db, env)),
};
