import {
  permissionsOf,
  requestPolicy,
  type AuthorizationContext,
  type Database,
  type IncomingRequest,
  type PolicyEngine,
  type RequestPolicy,
} from '#kit';
import { ORDER_PERMISSIONS } from './permissions.ts';
import { createOrderLoaders, createOrderStore, type OrderLoaders, type OrderStore } from './store.ts';

export interface OrdersContext extends AuthorizationContext {
  readonly store: OrderStore;
  readonly loaders: OrderLoaders;
  /** The clock of the cancel window; tests freeze it. */
  readonly now: () => Date;
  /** The policy engine's decision point, when one decides the rows (policyRules.ts). */
  readonly policy?: RequestPolicy;
  /** Who decided, for the audit log and the denial metric. */
  readonly policyEngine: string;
}

export function ordersContextFactory(db: Database, now: () => Date, engine: PolicyEngine | null = null) {
  const store = createOrderStore(db);
  return ({ viewer }: IncomingRequest): OrdersContext => ({
    viewer,
    permissions: permissionsOf(viewer, ORDER_PERMISSIONS),
    store,
    loaders: createOrderLoaders(store),
    now,
    ...(engine ? { policy: requestPolicy(engine, viewer, now) } : {}),
    policyEngine: engine?.name ?? 'shield',
  });
}
