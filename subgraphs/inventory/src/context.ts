import { permissionsOf, type AuthorizationContext, type Database, type IncomingRequest } from '#kit';
import { INVENTORY_PERMISSIONS } from './roles.ts';
import { createProductLoaders, createProductStore, type ProductLoaders, type ProductStore } from './store.ts';

export interface InventoryContext extends AuthorizationContext {
  readonly store: ProductStore;
  readonly loaders: ProductLoaders;
}

export function inventoryContextFactory(db: Database) {
  const store = createProductStore(db);
  return ({ viewer }: IncomingRequest): InventoryContext => ({
    viewer,
    permissions: permissionsOf(viewer, INVENTORY_PERMISSIONS),
    store,
    loaders: createProductLoaders(store),
  });
}
