import { badUserInput, notFound } from '#platform';
import type { MutationAdjustStockArgs, Resolvers } from './__generated__/resolvers.ts';
import type { InventoryContext } from './context.ts';
import { MAX_QUANTITY_ON_HAND } from './store.ts';

/** Larger moves are typos, not stock counts. */
export const MAX_STOCK_DELTA = 1_000_000;

/**
 * The write changed nothing: say why. The sign of `delta` tells which bound it hit, whatever
 * concurrent adjustments have done to the stock since.
 */
async function refusal(args: MutationAdjustStockArgs, ctx: InventoryContext): Promise<Error> {
  const [product] = await ctx.store.findProducts([args.sku]);
  if (!product) return notFound(`No product with SKU ${args.sku}`);
  return args.delta < 0
    ? badUserInput(`Stock of ${args.sku} cannot go below 0: not enough on hand to remove ${-args.delta}`)
    : badUserInput(`Stock of ${args.sku} cannot exceed ${MAX_QUANTITY_ON_HAND}`);
}

export const inventoryResolvers: Resolvers = {
  Query: {
    products: (_, _args, ctx) => ctx.store.allProducts(),
    product: (_, args, ctx) => ctx.loaders.product.load(args.sku),
  },
  Mutation: {
    // A delta of 0 changes nothing and answers the product as it stands (NOT_FOUND if none).
    adjustStock: async (_, args, ctx) => {
      if (Math.abs(args.delta) > MAX_STOCK_DELTA) {
        throw badUserInput(`delta must be between -${MAX_STOCK_DELTA} and ${MAX_STOCK_DELTA}; got ${args.delta}`);
      }
      const adjusted = await ctx.store.adjustStock(args.sku, args.delta);
      if (adjusted) return adjusted;
      throw await refusal(args, ctx);
    },
  },
  Product: {
    // A reference to no product is an error, not a bare null: `OrderItem.product` is non-null, and
    // the gateway would null the whole answer above it without saying why.
    __resolveReference: async (reference, ctx) =>
      (await ctx.loaders.product.load(reference.sku)) ?? Promise.reject(notFound(`No product with SKU ${reference.sku}`)),
    inStock: (product) => product.quantityOnHand > 0,
  },
};
