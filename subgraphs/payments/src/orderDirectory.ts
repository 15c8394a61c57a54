import { GraphQLError } from 'graphql';
import { ErrorCode, IDENTITY_HEADER, onwardIdentityHeader, REQUEST_ID_HEADER, type IncomingRequest } from '#kit';

/**
 * Where payments learns about orders: orders owns them, payments only refers to them. Every
 * question is asked on behalf of the caller of `request`, and orders applies its own rules to them.
 */
export interface OrderDirectory {
  exists(orderId: string, request: IncomingRequest): Promise<boolean>;
  /**
   * For each order, `true` when the caller may read it (or there is no such order), else the
   * error orders gave, its words and code intact.
   */
  readable(orderIds: readonly string[], request: IncomingRequest): Promise<(true | GraphQLError)[]>;
}

/**
 * The order directory could not give an answer. The client is told orders is unavailable, with a
 * code that says to retry (graphql-js copies `extensions` onto the error); `detail` is for the
 * operator's log.
 */
export class OrderDirectoryUnavailable extends Error {
  override readonly name = 'OrderDirectoryUnavailable';
  readonly extensions = { code: ErrorCode.SERVICE_UNAVAILABLE };
  constructor(readonly detail: string, options?: { cause?: unknown }) {
    super('The orders service is unavailable', options);
  }
}

const ORDERS_TOKEN_HEADER = onwardIdentityHeader('orders');

const ORDER_EXISTS_QUERY = 'query OrderExists($id: ID!) { orderExists(id: $id) }';

const ORDER_ACCESS_QUERY =
  'query OrderAccess($orders: [_Any!]!) { _entities(representations: $orders) { ... on Order { id } } }';

interface OrdersResponse {
  data?: { orderExists?: unknown; _entities?: unknown[] } | null;
  errors?: { message?: string; path?: unknown[]; extensions?: { code?: unknown } }[];
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
  const ask = (request: IncomingRequest, query: string, variables: Record<string, unknown>) =>
    post(url, onwardHeaders(request), { query, variables }, timeoutMs);
  return {
    async exists(orderId, request) {
      const body = await ask(request, ORDER_EXISTS_QUERY, { id: orderId });
      const answer = body.data?.orderExists;
      if (typeof answer === 'boolean' && !body.errors?.length) return answer;
      throw new OrderDirectoryUnavailable(`orders answered orderExists with an error: ${describeError(body)}`);
    },

    async readable(orderIds, request) {
      const representations = orderIds.map((id) => ({ __typename: 'Order', id }));
      const body = await ask(request, ORDER_ACCESS_QUERY, { orders: representations });
      const entities = body.data?._entities;
      if (!Array.isArray(entities)) throw new OrderDirectoryUnavailable(`orders answered _entities with ${describeError(body)}`);
      return orderIds.map((_id, index) => {
        const refusal = body.errors?.find((error) => error.path?.[0] === '_entities' && error.path[1] === index);
        if (!refusal) return true;
        return new GraphQLError(refusal.message ?? 'Not allowed', { extensions: { code: refusal.extensions?.code } });
      });
    },
  };
}

/**
 * Orders accepts only the token minted for it; the request id keeps the call in the same trail. The
 * kit let the request in only once this token proved bound to it (the caller's `sub`, and its
 * `companion_jti` naming the caller's token): one taken from another user's request never gets here.
 */
function onwardHeaders(request: IncomingRequest): Record<string, string> {
  const token = request.headers[ORDERS_TOKEN_HEADER];
  if (typeof token !== 'string' || token === '') {
    throw new OrderDirectoryUnavailable(
      `The request carries no identity token for orders (${ORDERS_TOKEN_HEADER}); ` +
        'only a gateway configured for onward calls from payments sends one',
    );
  }
  return { [IDENTITY_HEADER]: token, [REQUEST_ID_HEADER]: request.requestId };
}

function describeError({ errors }: OrdersResponse): string {
  const [first] = errors ?? [];
  if (!first) return 'no answer and no error';
  return `${first.message ?? 'no message'} (${String(first.extensions?.code ?? 'no code')})`;
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: { query: string; variables: Record<string, unknown> },
  timeoutMs: number,
): Promise<OrdersResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new OrderDirectoryUnavailable(`orders could not be reached: ${(error as Error).message}`, { cause: error });
  }
  if (response.status !== 200) {
    throw new OrderDirectoryUnavailable(`orders answered HTTP ${response.status}`);
  }
  try {
    return (await response.json()) as OrdersResponse;
  } catch (error) {
    throw new OrderDirectoryUnavailable('orders answered with a body that is not JSON', { cause: error });
  }
}
