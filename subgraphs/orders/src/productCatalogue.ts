import { IDENTITY_HEADER, onwardIdentityHeader, REQUEST_ID_HEADER, type IncomingRequest } from '#kit';

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

const INVENTORY_TOKEN_HEADER = onwardIdentityHeader('inventory');

const PRODUCTS_QUERY =
  'query KnownProducts($products: [_Any!]!) { _entities(representations: $products) { ... on Product { sku } } }';

interface InventoryResponse {
  data?: { _entities?: unknown[] } | null;
  errors?: { message?: string; path?: unknown[]; extensions?: { code?: unknown } }[];
}

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
  return {
    async unknownSkus(skus, request) {
      const representations = skus.map((sku) => ({ __typename: 'Product', sku }));
      const body = await post(url, onwardHeaders(request), { query: PRODUCTS_QUERY, variables: { products: representations } }, timeoutMs);
      const entities = body.data?._entities;
      if (!Array.isArray(entities) || entities.length !== skus.length) {
        throw new ProductCatalogueUnavailable(`inventory answered _entities with ${describeError(body)}`);
      }
      return skus.filter((_sku, index) => {
        if (entities[index] !== null) return false;
        const error = body.errors?.find((candidate) => candidate.path?.[0] === '_entities' && candidate.path[1] === index);
        // Anything but "no such product" leaves the answer unknown: never store an order on a guess.
        if (error && error.extensions?.code !== 'NOT_FOUND') {
          throw new ProductCatalogueUnavailable(`inventory could not look up a SKU: ${describeError({ errors: [error] })}`);
        }
        return true;
      });
    },
  };
}

/**
 * Inventory accepts only the token minted for it; the request id keeps the call in the same trail.
 * The kit let the request in only once this token proved bound to it (see `COMPANION_CLAIM`).
 */
function onwardHeaders(request: IncomingRequest): Record<string, string> {
  const token = request.headers[INVENTORY_TOKEN_HEADER];
  if (typeof token !== 'string' || token === '') {
    throw new ProductCatalogueUnavailable(
      `The request carries no identity token for inventory (${INVENTORY_TOKEN_HEADER}); ` +
        'only a gateway configured for onward calls from orders sends one',
    );
  }
  return { [IDENTITY_HEADER]: token, [REQUEST_ID_HEADER]: request.requestId };
}

function describeError({ errors }: InventoryResponse): string {
  const [first] = errors ?? [];
  if (!first) return 'no answer and no error';
  return `${first.message ?? 'no message'} (${String(first.extensions?.code ?? 'no code')})`;
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: { query: string; variables: Record<string, unknown> },
  timeoutMs: number,
): Promise<InventoryResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ProductCatalogueUnavailable(`inventory could not be reached: ${(error as Error).message}`, { cause: error });
  }
  if (response.status !== 200) {
    throw new ProductCatalogueUnavailable(`inventory answered HTTP ${response.status}`);
  }
  try {
    return (await response.json()) as InventoryResponse;
  } catch (error) {
    throw new ProductCatalogueUnavailable('inventory answered with a body that is not JSON', { cause: error });
  }
}
