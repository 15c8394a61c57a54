import DataLoader from 'dataloader';
import type { Database } from '#kit';

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  quantityOnHand: number;
}

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
     * Applies `delta` only if stock stays at or above zero, in one statement, so concurrent
     * adjustments can never oversell. Undefined when nothing was changed.
     */
    async adjustStock(sku: string, delta: number): Promise<Product | undefined> {
      const [product] = await db.query<Product>(
        `UPDATE products SET quantity_on_hand = quantity_on_hand + $2
         WHERE sku = $1 AND quantity_on_hand + $2 >= 0
         RETURNING ${PRODUCT_COLUMNS}`,
        [sku, delta],
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
