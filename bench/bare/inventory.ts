/** The bare inventory subgraph: products, one batched lookup per request for entity references. */
import DataLoader from 'dataloader';
import type { BareDatabase } from './database.ts';
import { startBareSubgraph, type BareServer } from './server.ts';

interface ProductRow {
  sku: string;
  name: string;
  price_cents: number;
  quantity_on_hand: number;
}

interface Context {
  products: DataLoader<string, ProductRow | null>;
}

const COLUMNS = 'sku, name, price_cents, quantity_on_hand';

export function startBareInventory(db: BareDatabase, port: number): Promise<BareServer> {
  const resolvers = {
    Query: {
      products: () => db.query<ProductRow>(`SELECT ${COLUMNS} FROM products ORDER BY sku`),
      product: (_: unknown, { sku }: { sku: string }, { products }: Context) => products.load(sku),
    },
    Product: {
      __resolveReference: ({ sku }: { sku: string }, { products }: Context) => products.load(sku),
      priceCents: (row: ProductRow) => row.price_cents,
      inStock: (row: ProductRow) => row.quantity_on_hand > 0,
      quantityOnHand: (row: ProductRow) => row.quantity_on_hand,
    },
  };
  return startBareSubgraph<Context>('inventory', resolvers, () => ({ products: new DataLoader(load) }), port);

  async function load(skus: readonly string[]) {
    const rows = await db.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE sku = ANY($1)`, [skus]);
    const bySku = new Map(rows.map((row) => [row.sku, row]));
    return skus.map((sku) => bySku.get(sku) ?? null);
  }
}
