/**
 * The orders rows asked of a policy engine (ORDERS_POLICY_ENGINE=cedar|opa): the same map as
 * `ordersRules`, with each row's decision handed to `decide`. The steps before it stay in code
 * because they decide the order of answers, not access: sign-in first, NOT_FOUND before ownership,
 * and the warehouse-staff gate before NOT_FOUND on `processOrder` (as with the in-code rules).
 */
import { chain, type IRules } from 'graphql-shield';
import { decide, denyByDefault, isSignedIn, type PolicyResource } from '#kit';
import type { OrdersContext } from './context.ts';
import { ordersRules } from './permissions.ts';
import { ORDER_WORDS } from './policyWords.ts';
import { canCancelOwnOrders, canProcessOrders, orderExists } from './rules.ts';
import type { Order } from './store.ts';

/** What the policies read of an order (orders.cedarschema, order.rego). */
export const orderResource = (order: Order): PolicyResource => ({
  type: 'Order',
  id: order.id,
  userId: order.userId,
  status: order.status,
  createdAtMs: order.createdAt.getTime(),
});

const ALL_ORDERS: PolicyResource = { type: 'OrderCollection', id: 'all' };

/** orderExists has answered NOT_FOUND before this runs, so the order is there. */
async function requestedOrder(_parent: unknown, args: { id: string }, ctx: OrdersContext) {
  const order = await ctx.loaders.order.load(args.id);
  return order === null ? new Error(`order ${args.id} vanished between two rules`) : orderResource(order);
}

/** `order(id)` of no order is null: nothing to decide. */
async function requestedOrderIfAny(_parent: unknown, args: { id: string }, ctx: OrdersContext) {
  const order = await ctx.loaders.order.load(args.id);
  return order === null ? true : orderResource(order);
}

const readOrder = decide<OrdersContext>('read', (order: Order) => orderResource(order), ORDER_WORDS.read, {
  name: 'policy: read an order',
});
const readRequestedOrder = decide<OrdersContext>('read', requestedOrderIfAny, ORDER_WORDS.read, {
  name: 'policy: read the requested order',
});
const listAllOrders = decide<OrdersContext>('list', () => ALL_ORDERS, ORDER_WORDS.listAll);
const cancelRequestedOrder = decide<OrdersContext>('cancel', requestedOrder, ORDER_WORDS.ownerCancels, {
  name: 'policy: cancel the requested order',
});
const processRequestedOrder = decide<OrdersContext>('process', requestedOrder, ORDER_WORDS.process, {
  name: 'policy: process the requested order',
});

export const ordersPolicyRules = {
  ...ordersRules,
  Query: { ...ordersRules.Query, order: chain(isSignedIn, readRequestedOrder), orders: listAllOrders },
  Mutation: {
    ...ordersRules.Mutation,
    cancelOrder: chain(canCancelOwnOrders, orderExists, cancelRequestedOrder),
    processOrder: chain(canProcessOrders, orderExists, processRequestedOrder),
  },
  Order: readOrder,
} satisfies IRules;

export const ordersPolicyPermissions = denyByDefault(ordersPolicyRules);
