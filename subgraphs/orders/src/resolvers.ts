import { badUserInput, DateTimeScalar, forbidden } from '#kit';
import type { OrderItemInput, Resolvers } from './__generated__/resolvers.ts';
import { CANCEL_WINDOW_MINUTES, isWithinCancelWindow } from './rules.ts';
import type { Order } from './store.ts';

export const ORDER_LIMITS = { maxItems: 50, maxQuantity: 1000 } as const;

function validateItems(items: readonly OrderItemInput[]): void {
  if (items.length < 1 || items.length > ORDER_LIMITS.maxItems) {
    throw badUserInput(`An order holds 1 to ${ORDER_LIMITS.maxItems} items; got ${items.length}`);
  }
  for (const item of items) {
    if (item.sku.trim() === '') throw badUserInput('Every item needs a SKU');
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > ORDER_LIMITS.maxQuantity) {
      throw badUserInput(`Quantity of ${item.sku} must be 1 to ${ORDER_LIMITS.maxQuantity}; got ${item.quantity}`);
    }
  }
}

/** The write found the order no longer in the state the rules saw: say which condition failed. */
function refusal(order: Order | null, now: Date, action: 'cancelled' | 'processed') {
  if (order && order.status === 'PENDING' && action === 'cancelled' && !isWithinCancelWindow(order, now)) {
    return forbidden(`An order can only be cancelled within ${CANCEL_WINDOW_MINUTES} minutes of being placed`);
  }
  return forbidden(`Only a pending order can be ${action}`);
}

export const ordersResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    order: (_, args, ctx) => ctx.loaders.order.load(args.id),
    myOrders: (_, _args, ctx) => ctx.store.ordersOf(ctx.viewer.sub!),
    orders: (_, _args, ctx) => ctx.store.allOrders(),
    orderExists: async (_, args, ctx) => (await ctx.loaders.order.load(args.id)) !== null,
  },
  Mutation: {
    placeOrder: (_, args, ctx) => {
      validateItems(args.items);
      return ctx.store.placeOrder(ctx.viewer.sub!, args.items);
    },
    cancelOrder: async (_, args, ctx) => {
      const now = ctx.now();
      const placedAfter = new Date(now.getTime() - CANCEL_WINDOW_MINUTES * 60_000);
      const cancelled = await ctx.store.cancelOrder(args.id, ctx.viewer.sub!, placedAfter);
      if (cancelled) return cancelled;
      throw refusal((await ctx.store.findOrders([args.id]))[0] ?? null, now, 'cancelled');
    },
    processOrder: async (_, args, ctx) => {
      const processed = await ctx.store.processOrder(args.id);
      if (processed) return processed;
      throw refusal(null, ctx.now(), 'processed');
    },
  },
  Order: {
    __resolveReference: (reference, ctx) => ctx.loaders.order.load(reference.id),
    items: (order, _args, ctx) => ctx.loaders.items.load(order.id),
  },
  OrderItem: {
    product: (item) => ({ sku: item.sku }),
  },
};
