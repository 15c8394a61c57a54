import { permissionsOf, type AuthorizationContext, type Database, type IncomingRequest } from '#kit';
import { ORDER_PERMISSIONS } from './permissions.ts';
import { createOrderLoaders, createOrderStore, type OrderLoaders, type OrderStore } from './store.ts';

export interface OrdersContext extends AuthorizationContext {
  readonly store: OrderStore;
  readonly loaders: OrderLoaders;
  /** The clock of the cancel window; tests freeze it. */
  readonly now: () => Date;
}

export function ordersContextFactory(db: Database, now: () => Date) {
  const store = createOrderStore(db);
  return ({ viewer }: IncomingRequest): OrdersContext => ({
    viewer,
    permissions: permissionsOf(viewer, ORDER_PERMISSIONS),
    store,
    loaders: createOrderLoaders(store),
    now,
  });
}
