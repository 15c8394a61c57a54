import { readFileSync } from 'node:fs';
import { allow } from 'graphql-shield';
import { parse } from 'graphql';
import { forbidden } from '#platform';
import type { Viewer } from '#identity';
import {
  buildShieldedSchema,
  denyByDefault,
  hasPermission,
  permissionsOf,
  policyRule,
  type AuthorizationContext,
  type IncomingRequest,
  type SubgraphService,
} from '#kit';
import { createTestDatabase } from '#kit/testing';
import type { OrderDirectory } from './orderDirectory.ts';
import { createPaymentsService, PAYMENTS } from './service.ts';

/** The orders of the demo data and their owners. */
const DEMO_ORDER_OWNERS: Readonly<Record<string, string>> = { 'order-1': 'alice', 'order-2': 'alice', 'order-3': 'bob' };

/**
 * How the stand-ins for orders below refuse to show an order. Orders words its own refusals;
 * payments only passes them on, so its tests look for these words, not for orders' sentence.
 */
export const ORDERS_STAND_IN_REFUSAL = 'The stand-in for orders shows an order only to its owner and admins';

/** The stand-ins' whole policy: the owner or an admin may read an order. */
const standInMayRead = (viewer: Viewer, orderId: string) =>
  viewer.roles.includes('admin') || (Object.hasOwn(DEMO_ORDER_OWNERS, orderId) && DEMO_ORDER_OWNERS[orderId] === viewer.sub);

/**
 * An order directory that knows the demo orders, remembers every `exists` question, and lets the
 * owner or an admin read an order.
 */
export function fakeOrderDirectory(orderIds: Iterable<string> = Object.keys(DEMO_ORDER_OWNERS)) {
  const known = new Set(orderIds);
  const asked: { orderId: string; request: IncomingRequest }[] = [];
  const directory: OrderDirectory = {
    exists: async (orderId, request) => {
      asked.push({ orderId, request });
      return known.has(orderId);
    },
    readable: async (ids, { viewer }) =>
      ids.map((id) => (standInMayRead(viewer, id) ? true : forbidden(ORDERS_STAND_IN_REFUSAL))),
  };
  return { directory, asked };
}

/** What the order directory asks of orders, and no more: `orderExists` and `Order` entities. */
const ORDERS_STAND_IN_SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Order @key(fields: "id") { id: ID! }
  type Query { orderExists(id: ID!): Boolean! }
`);

const STAND_IN_ROLES = { signedIn: [], byRole: { admin: ['check'], payment_processor: ['check'] } };

/**
 * A stand-in for the orders subgraph, built from the kit alone, for tests of how payments asks
 * orders over HTTP: the demo orders, served under the name `orders` so an identity guard in front
 * of it takes only tokens minted for orders.
 */
export function ordersStandInService(): SubgraphService<AuthorizationContext> {
  const rules = {
    Query: {
      orderExists: hasPermission('check', 'The stand-in for orders lets only payment processors and admins ask'),
      _entities: allow,
      _service: allow,
    },
    Order: policyRule<AuthorizationContext>(ORDERS_STAND_IN_REFUSAL, (order: { id: string }, _args, ctx) =>
      standInMayRead(ctx.viewer, order.id),
    ),
    _Service: allow,
  };
  const resolvers = {
    Query: { orderExists: (_: unknown, args: { id: string }) => Object.hasOwn(DEMO_ORDER_OWNERS, args.id) },
    Order: { __resolveReference: (order: { id: string }) => (Object.hasOwn(DEMO_ORDER_OWNERS, order.id) ? order : null) },
  };
  return {
    name: 'orders',
    schema: buildShieldedSchema(ORDERS_STAND_IN_SDL, resolvers, denyByDefault(rules)),
    createContext: ({ viewer }) => ({ viewer, permissions: permissionsOf(viewer, STAND_IN_ROLES) }),
    checkHealth: async () => {},
  };
}

/** The payments service on a fresh in-memory database holding the demo data. */
export async function createPaymentsFixture(options: { orders?: OrderDirectory; seed?: boolean } = {}) {
  const db = await createTestDatabase(
    PAYMENTS.name,
    PAYMENTS.migrations,
    options.seed === false ? undefined : readFileSync(PAYMENTS.seed, 'utf8'),
  );
  const service = createPaymentsService({ db, orders: options.orders ?? fakeOrderDirectory().directory });
  return { db, service };
}
