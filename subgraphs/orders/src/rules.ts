import { notFound } from '#platform';
import { policyRule } from '#kit';
import type { OrdersContext } from './context.ts';
import type { Order } from './store.ts';

export const CANCEL_WINDOW_MINUTES = 30;

export const isOwner = (order: Order, ctx: OrdersContext) => ctx.viewer.sub !== null && order.userId === ctx.viewer.sub;

export const mayReadOrder = (order: Order, ctx: OrdersContext) =>
  (isOwner(order, ctx) && ctx.permissions.has('order:read:own')) || ctx.permissions.has('order:read:any');

export const isWithinCancelWindow = (order: Order, now: Date) =>
  now.getTime() - order.createdAt.getTime() < CANCEL_WINDOW_MINUTES * 60_000;

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

export const READ_ORDER_WORDS = "Only the order's owner, warehouse staff and admins can read an order";

export const canReadOrder = policyRule<OrdersContext>(READ_ORDER_WORDS, (order: Order, _args, ctx) => mayReadOrder(order, ctx));

/** `order(id)`: someone else's order is FORBIDDEN, no order at all is simply null. */
export const canReadRequestedOrder = policyRule<OrdersContext>(
  READ_ORDER_WORDS,
  async (_parent, args: { id: string }, ctx) => {
    const order = await ctx.loaders.order.load(args.id);
    return order === null || mayReadOrder(order, ctx);
  },
  { name: 'read the requested order: its owner, warehouse staff and admins' },
);

export const orderExists = policyRule<OrdersContext>(
  'The order must exist',
  onRequestedOrder(() => true),
);

export const ownsRequestedOrder = policyRule<OrdersContext>("Only the order's owner can cancel it", onRequestedOrder(isOwner));

export const requestedOrderIsPending = (action: 'cancelled' | 'processed') =>
  policyRule<OrdersContext>(
    `Only a pending order can be ${action}`,
    onRequestedOrder((order) => order.status === 'PENDING'),
  );

export const requestedOrderIsRecent = policyRule<OrdersContext>(
  `An order can only be cancelled within ${CANCEL_WINDOW_MINUTES} minutes of being placed`,
  onRequestedOrder((order, ctx) => isWithinCancelWindow(order, ctx.now())),
);
