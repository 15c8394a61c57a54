import { askOnward, describeOnwardErrors, onwardErrorAt, type IncomingRequest, type OnwardTarget } from '#kit';

/**
 * Where orders learns which SKUs exist: inventory owns products, orders only refers to them. Every
 * question is asked on behalf of the caller of `request`.
 */
export interface ProductCatalogue {
  /** The SKUs among `skus` that inventory does not know, in the order given. */
  unknownSkus(skus: readonly string[], request: IncomingRequest): Promise<string[]>;
}

/** The catalogue could not give an answer; the message is for the operator's log. */
export class ProductCatalogueUnavailable extends Error {
  override readonly name = 'ProductCatalogueUnavailable';
}

const PRODUCTS_QUERY =
  'query KnownProducts($products: [_Any!]!) { _entities(representations: $products) { ... on Product { sku } } }';

export interface HttpProductCatalogueOptions {
  /** The inventory subgraph's GraphQL endpoint (`INVENTORY_URL`). */
  url: string;
  timeoutMs?: number;
}

/**
 * Asks the inventory subgraph for every SKU in one `_entities` request: inventory answers null, with
 * NOT_FOUND, for a SKU it has no product for. Inventory accepts only tokens minted for it, so the
 * call carries the one the gateway sent along for inventory, never the caller's token for orders.
 */
export function createHttpProductCatalogue({ url, timeoutMs = 5_000 }: HttpProductCatalogueOptions): ProductCatalogue {
  const inventory: OnwardTarget = {
    name: 'inventory',
    url,
    timeoutMs,
    unavailable: (detail, cause) => new ProductCatalogueUnavailable(detail, { cause }),
  };
  return {
    async unknownSkus(skus, request) {
      const representations = skus.map((sku) => ({ __typename: 'Product', sku }));
      const body = await askOnward<{ _entities?: unknown[] }>(inventory, request, PRODUCTS_QUERY, { products: representations });
      const entities = body.data?._entities;
      if (!Array.isArray(entities) || entities.length !== skus.length) {
        throw new ProductCatalogueUnavailable(`inventory answered _entities with ${describeOnwardErrors(body)}`);
      }
      return skus.filter((_sku, index) => {
        if (entities[index] !== null) return false;
        const error = onwardErrorAt(body, '_entities', index);
        // Anything but "no such product" leaves the answer unknown: never store an order on a guess.
        if (error && error.extensions?.code !== 'NOT_FOUND') {
          throw new ProductCatalogueUnavailable(
            `inventory could not look up a SKU: ${describeOnwardErrors({ errors: [error] })}`,
          );
        }
        return true;
      });
    },
  };
}
