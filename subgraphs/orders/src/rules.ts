import { notFound } from '#platform';
import { hasPermission, policyRule } from '#kit';
import { isWithinCancelWindow } from './cancelWindow.ts';
import type { OrdersContext } from './context.ts';
import { onlyPendingWords, ORDER_WORDS } from './policyWords.ts';
import type { Order } from './store.ts';

export const canListAllOrders = hasPermission('order:list:all', ORDER_WORDS.listAll);
export const canPlaceOrders = hasPermission('order:place', ORDER_WORDS.place);
export const canCancelOwnOrders = hasPermission('order:cancel:own', ORDER_WORDS.cancelOwn);
export const canProcessOrders = hasPermission('order:process', ORDER_WORDS.process);
export const canCheckOrderExists = hasPermission('order:check-exists', ORDER_WORDS.checkExists);

export const isOwner = (order: Order, ctx: OrdersContext) => ctx.viewer.sub !== null && order.userId === ctx.viewer.sub;

export const mayReadOrder = (order: Order, ctx: OrdersContext) =>
  (isOwner(order, ctx) && ctx.permissions.has('order:read:own')) || ctx.permissions.has('order:read:any');

/** The order named by the mutation's `id` argument; NOT_FOUND comes before any ownership check. */
async function requestedOrder(args: { id: string }, ctx: OrdersContext): Promise<Order | Error> {
  return (await ctx.loaders.order.load(args.id)) ?? notFound(`No order with id ${args.id}`);
}

/** Applies `check` to the order named by `id`, answering NOT_FOUND when there is none. */
const onRequestedOrder =
  (check: (order: Order, ctx: OrdersContext) => boolean) =>
  async (_parent: unknown, args: { id: string }, ctx: OrdersContext) => {
    const order = await requestedOrder(args, ctx);
    return order instanceof Error ? order : check(order, ctx);
  };

export const canReadOrder = policyRule<OrdersContext>(ORDER_WORDS.read, (order: Order, _args, ctx) => mayReadOrder(order, ctx));

/** `order(id)`: someone else's order is FORBIDDEN, no order at all is simply null. */
export const canReadRequestedOrder = policyRule<OrdersContext>(
  ORDER_WORDS.read,
  async (_parent, args: { id: string }, ctx) => {
    const order = await ctx.loaders.order.load(args.id);
    return order === null || mayReadOrder(order, ctx);
  },
  { name: 'read the requested order: its owner, warehouse staff and admins' },
);

export const orderExists = policyRule<OrdersContext>(
  ORDER_WORDS.mustExist,
  onRequestedOrder(() => true),
);

export const ownsRequestedOrder = policyRule<OrdersContext>(ORDER_WORDS.ownerCancels, onRequestedOrder(isOwner));

export const requestedOrderIsPending = (action: 'cancelled' | 'processed') =>
  policyRule<OrdersContext>(
    onlyPendingWords(action),
    onRequestedOrder((order) => order.status === 'PENDING'),
  );

export const requestedOrderIsRecent = policyRule<OrdersContext>(
  ORDER_WORDS.cancelWindow,
  onRequestedOrder((order, ctx) => isWithinCancelWindow(order.createdAt, ctx.now())),
);
