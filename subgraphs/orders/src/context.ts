import {
  permissionsOf,
  requestPolicy,
  type AuthorizationContext,
  type Database,
  type IncomingRequest,
  type PolicyEngine,
  type RequestPolicy,
} from '#kit';
import { type Logger } from '#platform';
import type { ProductCatalogue } from './productCatalogue.ts';
import { ORDER_PERMISSIONS } from './roles.ts';
import { createOrderLoaders, createOrderStore, type OrderLoaders, type OrderStore } from './store.ts';

export interface OrdersContext extends AuthorizationContext {
  readonly store: OrderStore;
  readonly loaders: OrderLoaders;
  /** The clock of the cancel window; tests freeze it. */
  readonly now: () => Date;
  readonly products: ProductCatalogue;
  /** Kept whole: the product catalogue forwards the identity token the gateway minted for inventory. */
  readonly request: IncomingRequest;
  /** The request's logger, which the kit adds beside this context (absent in unit tests). */
  readonly log?: Logger;
  /** The policy engine's decision point, when one decides the rows (policyRules.ts). */
  readonly policy?: RequestPolicy;
  /** Who decided, for the audit log and the denial metric. */
  readonly policyEngine: string;
}

export function ordersContextFactory(
  db: Database,
  now: () => Date,
  products: ProductCatalogue,
  engine: PolicyEngine | null = null,
) {
  const store = createOrderStore(db);
  return (request: IncomingRequest): OrdersContext => ({
    viewer: request.viewer,
    permissions: permissionsOf(request.viewer, ORDER_PERMISSIONS),
    store,
    loaders: createOrderLoaders(store),
    now,
    products,
    request,
    ...(engine ? { policy: requestPolicy(engine, request.viewer, now) } : {}),
    policyEngine: engine?.name ?? 'shield',
  });
}
