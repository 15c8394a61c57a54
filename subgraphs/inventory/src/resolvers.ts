import { badUserInput, notFound, type Resolvers } from '#kit';
import type { InventoryContext } from './context.ts';
import type { Product } from './store.ts';

/** Larger moves are typos, not stock counts. */
export const MAX_STOCK_DELTA = 1_000_000;

export const inventoryResolvers: Resolvers = {
  Query: {
    products: (_: unknown, _args: unknown, ctx: InventoryContext) => ctx.store.allProducts(),
    product: (_: unknown, args: { sku: string }, ctx: InventoryContext) => ctx.loaders.product.load(args.sku),
  },
  Mutation: {
    adjustStock: async (_: unknown, args: { sku: string; delta: number }, ctx: InventoryContext) => {
      if (Math.abs(args.delta) > MAX_STOCK_DELTA) {
        throw badUserInput(`delta must be between -${MAX_STOCK_DELTA} and ${MAX_STOCK_DELTA}`);
      }
      const adjusted = await ctx.store.adjustStock(args.sku, args.delta);
      if (adjusted) return adjusted;
      const [product] = await ctx.store.findProducts([args.sku]);
      if (!product) throw notFound(`No product with SKU ${args.sku}`);
      throw badUserInput(
        `Stock of ${args.sku} cannot go below 0: ${product.quantityOnHand} on hand, delta ${args.delta}`,
      );
    },
  },
  Product: {
    __resolveReference: (reference: { sku: string }, ctx: InventoryContext) => ctx.loaders.product.load(reference.sku),
    inStock: (product: Product) => product.quantityOnHand > 0,
  },
};
