import { buildShieldedSchema, loadSubgraphSdl, type Database, type SubgraphProgram, type SubgraphService } from '#kit';
import { inventoryContextFactory, type InventoryContext } from './context.ts';
import { inventoryPermissions } from './permissions.ts';
import { inventoryResolvers } from './resolvers.ts';

export const INVENTORY = {
  name: 'inventory',
  defaultPort: 4003,
  migrations: new URL('../migrations/', import.meta.url).pathname,
  seed: new URL('../seed.sql', import.meta.url).pathname,
} as const;

export function createInventoryService({ db }: { db: Database }): SubgraphService<InventoryContext> {
  return {
    name: INVENTORY.name,
    schema: buildShieldedSchema(loadSubgraphSdl(INVENTORY.name), inventoryResolvers, inventoryPermissions),
    createContext: inventoryContextFactory(db),
    checkHealth: async () => void (await db.query('SELECT 1')),
  };
}

export const INVENTORY_PROGRAM: SubgraphProgram = {
  name: INVENTORY.name,
  defaultPort: INVENTORY.defaultPort,
  migrationsDir: INVENTORY.migrations,
  seedFile: INVENTORY.seed,
  createService: (db) => createInventoryService({ db }),
};
