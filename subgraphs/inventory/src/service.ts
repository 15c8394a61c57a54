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

export interface InventoryServiceOptions {
  db: Database;
  /** The load benchmark's baseline only (`ServiceBuildOptions`): no shield. */
  withoutShield?: boolean;
}

export function createInventoryService({ db, withoutShield = false }: InventoryServiceOptions): SubgraphService<InventoryContext> {
  return {
    name: INVENTORY.name,
    schema: buildShieldedSchema(loadSubgraphSdl(INVENTORY.name), inventoryResolvers, withoutShield ? null : inventoryPermissions),
    createContext: inventoryContextFactory(db),
    checkHealth: async () => void (await db.query('SELECT 1')),
  };
}

export const INVENTORY_PROGRAM: SubgraphProgram = {
  name: INVENTORY.name,
  defaultPort: INVENTORY.defaultPort,
  migrationsDir: INVENTORY.migrations,
  seedFile: INVENTORY.seed,
  createService: (db, _env, build) => createInventoryService({ db, withoutShield: build?.withoutShield }),
};
