import { IDENTITY_HEADER, onwardIdentityHeader, REQUEST_ID_HEADER, type IncomingRequest } from '#kit';

/** Where payments learns whether an order exists: orders owns orders, payments only refers to them. */
export interface OrderDirectory {
  /** Asks on behalf of the caller of `request`; orders applies its own rules to them. */
  exists(orderId: string, request: IncomingRequest): Promise<boolean>;
}

/** The order directory could not give an answer; the message is for the operator's log. */
export class OrderDirectoryUnavailable extends Error {
  override readonly name = 'OrderDirectoryUnavailable';
}

const ORDERS_TOKEN_HEADER = onwardIdentityHeader('orders');

const ORDER_EXISTS_QUERY = 'query OrderExists($id: ID!) { orderExists(id: $id) }';

interface OrderExistsResponse {
  data?: { orderExists?: unknown } | null;
  errors?: { message?: string; extensions?: { code?: unknown } }[];
}

export interface HttpOrderDirectoryOptions {
  /** The orders subgraph's GraphQL endpoint (`ORDERS_URL`). */
  url: string;
  timeoutMs?: number;
}

/**
 * Asks the orders subgraph's `orderExists` over HTTP. The gateway cannot be asked: the field is
 * `@inaccessible`. Orders accepts only tokens minted for it, so the call carries the one the
 * gateway sent along for orders, never the caller's token for payments.
 */
export function createHttpOrderDirectory({ url, timeoutMs = 5_000 }: HttpOrderDirectoryOptions): OrderDirectory {
  return {
    async exists(orderId, request) {
      const token = request.headers[ORDERS_TOKEN_HEADER];
      if (typeof token !== 'string' || token === '') {
        throw new OrderDirectoryUnavailable(
          `The request carries no identity token for orders (${ORDERS_TOKEN_HEADER}); ` +
            'only a gateway configured for onward calls from payments sends one',
        );
      }
      const body = await post(url, { [IDENTITY_HEADER]: token, [REQUEST_ID_HEADER]: request.requestId }, orderId, timeoutMs);
      const answer = body.data?.orderExists;
      if (typeof answer === 'boolean' && !body.errors?.length) return answer;
      throw new OrderDirectoryUnavailable(`orders answered orderExists with an error: ${describeError(body)}`);
    },
  };
}

function describeError({ errors }: OrderExistsResponse): string {
  const [first] = errors ?? [];
  if (!first) return 'no answer and no error';
  return `${first.message ?? 'no message'} (${String(first.extensions?.code ?? 'no code')})`;
}

async function post(
  url: string,
  headers: Record<string, string>,
  orderId: string,
  timeoutMs: number,
): Promise<OrderExistsResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: ORDER_EXISTS_QUERY, variables: { id: orderId } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new OrderDirectoryUnavailable(`orders could not be reached: ${(error as Error).message}`, { cause: error });
  }
  if (response.status !== 200) {
    throw new OrderDirectoryUnavailable(`orders answered HTTP ${response.status} to orderExists`);
  }
  try {
    return (await response.json()) as OrderExistsResponse;
  } catch (error) {
    throw new OrderDirectoryUnavailable('orders answered orderExists with a body that is not JSON', { cause: error });
  }
}
