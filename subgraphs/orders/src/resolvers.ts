import { badUserInput, forbidden, serviceUnavailable } from '#platform';
import { DateTimeScalar } from '#kit';
import type { OrderItemInput, Resolvers } from './__generated__/resolvers.ts';
import type { OrdersContext } from './context.ts';
import { onlyPendingWords, ORDER_WORDS } from './policyWords.ts';
import { ProductCatalogueUnavailable } from './productCatalogue.ts';
import { isWithinCancelWindow } from './cancelWindow.ts';
import type { Order } from './store.ts';

export const ORDER_LIMITS = { maxItems: 50, maxQuantity: 1000, maxSkuLength: 64 } as const;

function validateItems(items: readonly OrderItemInput[]): void {
  if (items.length < 1 || items.length > ORDER_LIMITS.maxItems) {
    throw badUserInput(`An order holds 1 to ${ORDER_LIMITS.maxItems} items; got ${items.length}`);
  }
  for (const item of items) {
    if (item.sku.trim() === '') throw badUserInput('Every item needs a SKU');
    // Checked before the SKU is echoed in any message or sent to inventory.
    if (item.sku.length > ORDER_LIMITS.maxSkuLength) {
      throw badUserInput(`A SKU is at most ${ORDER_LIMITS.maxSkuLength} characters; got ${item.sku.length}`);
    }
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > ORDER_LIMITS.maxQuantity) {
      throw badUserInput(`Quantity of ${item.sku} must be 1 to ${ORDER_LIMITS.maxQuantity}; got ${item.quantity}`);
    }
  }
}

/**
 * Every SKU must be one inventory knows: an order for a product that does not exist could never be
 * fulfilled, and its items could not be shown. Inventory down means no order, never a guess.
 */
async function checkProductsExist(items: readonly OrderItemInput[], ctx: OrdersContext): Promise<void> {
  let unknown: string[];
  try {
    unknown = await ctx.products.unknownSkus([...new Set(items.map((item) => item.sku))], ctx.request);
  } catch (error) {
    if (!(error instanceof ProductCatalogueUnavailable)) throw error;
    ctx.log?.error({ err: error }, 'product catalogue unavailable');
    throw serviceUnavailable('Inventory is unavailable, so the order was not placed; try again later');
  }
  if (unknown.length > 0) {
    throw badUserInput(`Unknown SKU${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { unknownSkus: unknown });
  }
}

/** The write found the order no longer in the state the rules saw: say which condition failed. */
function refusal(order: Order | null, now: Date, action: 'cancelled' | 'processed') {
  if (order && order.status === 'PENDING' && action === 'cancelled' && !isWithinCancelWindow(order.createdAt, now)) {
    return forbidden(ORDER_WORDS.cancelWindow);
  }
  return forbidden(onlyPendingWords(action));
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
    placeOrder: async (_, args, ctx) => {
      validateItems(args.items);
      await checkProductsExist(args.items, ctx);
      return ctx.store.placeOrder(ctx.viewer.sub!, args.items);
    },
    cancelOrder: async (_, args, ctx) => {
      const now = ctx.now();
      const cancelled = await ctx.store.cancelOrder(args.id, ctx.viewer.sub!, now);
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
