import {
  shieldedService,
  subgraphFiles,
  type Database,
  type ServiceParts,
  type SubgraphProgram,
  type SubgraphService,
} from '#kit';
import { inventoryContextFactory, type InventoryContext } from './context.ts';
import { inventoryPermissions } from './permissions.ts';
import { inventoryResolvers } from './resolvers.ts';
import { subgraphNamed } from '#roster';

const { name, defaultPort } = subgraphNamed('inventory');
export const INVENTORY = { name, defaultPort, ...subgraphFiles(import.meta.url) };

export interface InventoryServiceOptions {
  db: Database;
}

/** What the inventory service is made of: its resolvers, its policy and how a request's context is built. */
export function inventoryServiceParts({ db }: InventoryServiceOptions): ServiceParts<InventoryContext> {
  return {
    name: INVENTORY.name,
    db,
    resolvers: inventoryResolvers,
    permissions: inventoryPermissions,
    createContext: inventoryContextFactory(db),
  };
}

export function createInventoryService(options: InventoryServiceOptions): SubgraphService<InventoryContext> {
  return shieldedService(inventoryServiceParts(options));
}

export const INVENTORY_PROGRAM: SubgraphProgram = {
  name: INVENTORY.name,
  defaultPort: INVENTORY.defaultPort,
  migrationsDir: INVENTORY.migrations,
  seedFile: INVENTORY.seed,
  createService: (db) => createInventoryService({ db }),
};
