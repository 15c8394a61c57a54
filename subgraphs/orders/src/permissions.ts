/**
 * The orders policy: who may do what with orders. Roles come from the gateway's identity token;
 * what they mean here is decided here and nowhere else.
 */
import { allow, chain, type IRules } from 'graphql-shield';
import { denyByDefault, hasPermission, isSignedIn, type PermissionCatalogue } from '#kit';
import {
  canReadOrder,
  canReadRequestedOrder,
  orderExists,
  ownsRequestedOrder,
  requestedOrderIsPending,
  requestedOrderIsRecent,
} from './rules.ts';

export type OrderPermission =
  | 'order:place'
  | 'order:read:own'
  | 'order:cancel:own'
  | 'order:read:any'
  | 'order:list:all'
  | 'order:process'
  | 'order:check-exists';

export const ORDER_PERMISSIONS: PermissionCatalogue<OrderPermission> = {
  signedIn: ['order:place', 'order:read:own', 'order:cancel:own'],
  byRole: {
    admin: ['order:read:any', 'order:list:all', 'order:check-exists'],
    warehouse_staff: ['order:read:any', 'order:process'],
    payment_processor: ['order:check-exists'],
  },
};

const canListAllOrders = hasPermission('order:list:all', 'Only admins can list all orders');
const canPlaceOrders = hasPermission('order:place', 'Any signed-in user can place an order');
export const canCancelOwnOrders = hasPermission('order:cancel:own', 'Only signed-in users can cancel their orders');
export const canProcessOrders = hasPermission('order:process', 'Only warehouse staff can process orders');
const canCheckOrderExists = hasPermission(
  'order:check-exists',
  'Only payment processors and admins can check whether an order exists',
);

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
