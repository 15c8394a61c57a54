import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import { permissionsOf, type AuthorizationContext, type Database, type IncomingRequest } from '#kit';
import type { OrderDirectory } from './orderDirectory.ts';
import { PAYMENT_PERMISSIONS } from './roles.ts';
import { createPaymentLoaders, createPaymentStore, type PaymentLoaders, type PaymentStore } from './store.ts';

export interface PaymentsContext extends AuthorizationContext {
  readonly store: PaymentStore;
  readonly loaders: PaymentLoaders;
  readonly orders: OrderDirectory;
  /**
   * Whether orders lets the caller read an order: asked once per request, for all of them. Boxed,
   * because DataLoader would turn a bare error value into a failed load.
   */
  readonly orderAccess: DataLoader<string, { verdict: true | GraphQLError }>;
  /** Kept whole: the order directory forwards the identity token the gateway minted for orders. */
  readonly request: IncomingRequest;
}

export function paymentsContextFactory(db: Database, orders: OrderDirectory) {
  const store = createPaymentStore(db);
  return (request: IncomingRequest): PaymentsContext => ({
    viewer: request.viewer,
    permissions: permissionsOf(request.viewer, PAYMENT_PERMISSIONS),
    store,
    loaders: createPaymentLoaders(store),
    orders,
    orderAccess: new DataLoader(async (orderIds) => (await orders.readable(orderIds, request)).map((verdict) => ({ verdict }))),
    request,
  });
}
