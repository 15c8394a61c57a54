import { GraphQLError } from 'graphql';
import { askOnward, describeOnwardErrors, onwardErrorAt, type IncomingRequest, type OnwardTarget } from '#kit';
import { ErrorCode } from '#platform';

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
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super('The orders service is unavailable', options);
  }
}

const ORDER_EXISTS_QUERY = 'query OrderExists($id: ID!) { orderExists(id: $id) }';

const ORDER_ACCESS_QUERY = 'query OrderAccess($orders: [_Any!]!) { _entities(representations: $orders) { ... on Order { id } } }';

interface OrdersAnswer {
  orderExists?: unknown;
  _entities?: unknown[];
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
  const orders: OnwardTarget = {
    name: 'orders',
    url,
    timeoutMs,
    unavailable: (detail, cause) => new OrderDirectoryUnavailable(detail, { cause }),
  };
  const ask = (request: IncomingRequest, query: string, variables: Record<string, unknown>) =>
    askOnward<OrdersAnswer>(orders, request, query, variables);
  return {
    async exists(orderId, request) {
      const body = await ask(request, ORDER_EXISTS_QUERY, { id: orderId });
      const answer = body.data?.orderExists;
      if (typeof answer === 'boolean' && !body.errors?.length) return answer;
      throw new OrderDirectoryUnavailable(`orders answered orderExists with an error: ${describeOnwardErrors(body)}`);
    },

    async readable(orderIds, request) {
      const representations = orderIds.map((id) => ({ __typename: 'Order', id }));
      const body = await ask(request, ORDER_ACCESS_QUERY, { orders: representations });
      const entities = body.data?._entities;
      if (!Array.isArray(entities))
        throw new OrderDirectoryUnavailable(`orders answered _entities with ${describeOnwardErrors(body)}`);
      return orderIds.map((_id, index) => {
        const refusal = onwardErrorAt(body, '_entities', index);
        if (!refusal) return true;
        return new GraphQLError(refusal.message ?? 'Not allowed', { extensions: { code: refusal.extensions?.code } });
      });
    },
  };
}
