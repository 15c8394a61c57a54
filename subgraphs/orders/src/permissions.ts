/**
 * The orders policy: which rule guards each field. What the roles grant is in roles.ts, the rules
 * themselves (and their words) in rules.ts.
 */
import { allow, chain, type IRules } from 'graphql-shield';
import { denyByDefault, isSignedIn } from '#kit';
import {
  canCancelOwnOrders,
  canCheckOrderExists,
  canListAllOrders,
  canPlaceOrders,
  canProcessOrders,
  canReadOrder,
  canReadRequestedOrder,
  orderExists,
  ownsRequestedOrder,
  requestedOrderIsPending,
  requestedOrderIsRecent,
} from './rules.ts';

/**
 * Every field's rule. Each rule carries its words (`ruleWords` in the kit): the FORBIDDEN message,
 * the audit log's `rule` and the permission matrix (docs/permissions.md) all say the same thing.
 */
export const ordersRules = {
  Query: {
    order: chain(isSignedIn, canReadRequestedOrder),
    myOrders: isSignedIn,
    orders: canListAllOrders,
    orderExists: canCheckOrderExists,
    // Only callers holding a gateway identity token get this far; the SDL is not a secret to them.
    _service: allow,
    // Representations are only keys: each Order field below is guarded by canReadOrder.
    _entities: allow,
  },
  Mutation: {
    placeOrder: canPlaceOrders,
    cancelOrder: chain(
      canCancelOwnOrders,
      orderExists,
      ownsRequestedOrder,
      requestedOrderIsPending('cancelled'),
      requestedOrderIsRecent,
    ),
    processOrder: chain(canProcessOrders, orderExists, requestedOrderIsPending('processed')),
  },
  Order: canReadOrder,
  // Reached only through an Order that canReadOrder let through.
  OrderItem: allow,
  Product: { sku: allow },
  _Service: { sdl: allow },
} satisfies IRules;

/**
 * Fields no rule names, left to the fallback deny on purpose, each with the reason. A field in
 * neither this list nor the map above fails the rule-coverage test.
 */
export const ordersIntentionallyDenied: Readonly<Record<string, string>> = {};

export const ordersPermissions = denyByDefault(ordersRules);
