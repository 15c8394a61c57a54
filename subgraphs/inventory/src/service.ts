import { shieldedService, subgraphFiles, type Database, type SubgraphProgram, type SubgraphService } from '#kit';
import { inventoryContextFactory, type InventoryContext } from './context.ts';
import { inventoryPermissions } from './permissions.ts';
import { inventoryResolvers } from './resolvers.ts';

export const INVENTORY = {
  name: 'inventory',
  defaultPort: 4003,
  ...subgraphFiles(import.meta.url),
} as const;

export interface InventoryServiceOptions {
  db: Database;
  /** The load benchmark's baseline only (`ServiceBuildOptions`): no shield. */
  withoutShield?: boolean;
}

export function createInventoryService({ db, withoutShield }: InventoryServiceOptions): SubgraphService<InventoryContext> {
  return shieldedService({
    name: INVENTORY.name,
    db,
    resolvers: inventoryResolvers,
    permissions: inventoryPermissions,
    createContext: inventoryContextFactory(db),
    ...(withoutShield ? { withoutShield } : {}),
  });
}

export const INVENTORY_PROGRAM: SubgraphProgram = {
  name: INVENTORY.name,
  defaultPort: INVENTORY.defaultPort,
  migrationsDir: INVENTORY.migrations,
  seedFile: INVENTORY.seed,
  createService: (db, _env, build) => createInventoryService({ db, withoutShield: build?.withoutShield }),
};
