import DataLoader from 'dataloader';
import type { Database } from '#kit';

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  quantityOnHand: number;
}

/** The most a PostgreSQL `integer` column, and so `quantity_on_hand`, can hold. */
export const MAX_QUANTITY_ON_HAND = 2_147_483_647;

const PRODUCT_COLUMNS = 'sku, name, price_cents AS "priceCents", quantity_on_hand AS "quantityOnHand"';

/** All SQL of the inventory domain. */
export function createProductStore(db: Database) {
  return {
    async findProducts(skus: readonly string[]): Promise<Product[]> {
      return db.query<Product>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE sku = ANY($1)`, [skus]);
    },

    async allProducts(): Promise<Product[]> {
      return db.query<Product>(`SELECT ${PRODUCT_COLUMNS} FROM products ORDER BY sku`);
    },

    /**
     * Applies `delta` in one statement, and only if the result stays within 0 and the column's
     * maximum: concurrent adjustments each re-check the row they change, so none can oversell.
     * The bound is summed as bigint so an overflowing sum is refused instead of raising an error.
     * Undefined when nothing changed: no such SKU, or the result would leave those bounds.
     */
    async adjustStock(sku: string, delta: number): Promise<Product | undefined> {
      const [product] = await db.query<Product>(
        `UPDATE products SET quantity_on_hand = quantity_on_hand + $2
         WHERE sku = $1 AND quantity_on_hand::bigint + $2 BETWEEN 0 AND $3
         RETURNING ${PRODUCT_COLUMNS}`,
        [sku, delta, MAX_QUANTITY_ON_HAND],
      );
      return product;
    },
  };
}

export type ProductStore = ReturnType<typeof createProductStore>;

/** Per-request batching: any number of Product references cost one query. */
export function createProductLoaders(store: ProductStore) {
  return {
    product: new DataLoader<string, Product | null>(async (skus) => {
      const found = new Map((await store.findProducts(skus)).map((product) => [product.sku, product]));
      return skus.map((sku) => found.get(sku) ?? null);
    }),
  };
}

export type ProductLoaders = ReturnType<typeof createProductLoaders>;
