/**
 * What the benchmark times, and what a correct answer to each looks like. Every scenario runs
 * against the secure, baseline and bare stacks; each answer is checked before any timing.
 */
import { isDeepStrictEqual } from 'node:util';
import { bearer, graphqlRequest, type HttpAnswer, type HttpRequest } from './client.ts';
import { ORDER_ITEMS, ORDER_TOTAL_CENTS } from './seed.ts';
import type { Mode } from './launch.ts';

export type ScenarioId = '1' | '2' | '3' | '3g' | '5g' | '5d';
export type Caller = 'anonymous' | 'customer' | 'bob' | 'alice';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Through the gateway, or straight to the orders subgraph with an identity token. */
  route: 'gateway' | 'orders';
  caller: Caller;
  document: string;
  /** What is wrong with an answer; empty when it is right. */
  check(answer: HttpAnswer, facts: Facts): string[];
}

export interface Facts {
  mode: Mode;
  /** The bench customer's order ids, as seeded in this stack. */
  orderIds: readonly string[];
}

const MY_ORDERS_FULL =
  'query MyOrders { myOrders { id status items { quantity product { name priceCents } } payments { amountCents status } } }';
const MY_ORDERS_SHORT = 'query MyOrderIds { myOrders { id status } }';
const ALICES_ORDER = 'query AlicesOrder { order(id: "order-1") { id status } }';

export const SCENARIOS: readonly Scenario[] = [
  {
    id: '1',
    title: 'anonymous products',
    route: 'gateway',
    caller: 'anonymous',
    document: 'query Products { products { sku name priceCents inStock } }',
    check: (answer) => {
      const expected = [
        { sku: 'KB-001', name: 'Mechanical Keyboard', priceCents: 4999, inStock: true },
        { sku: 'MN-003', name: '4K Monitor', priceCents: 17999, inStock: false },
        { sku: 'MS-002', name: 'Wireless Mouse', priceCents: 1999, inStock: true },
      ];
      const products = [...(answer.json.data?.products ?? [])].sort((a, b) => a.sku.localeCompare(b.sku));
      return [...ok(answer), ...same('products', products, expected)];
    },
  },
  {
    id: '2',
    title: 'customer myOrders, 10 orders x 3 items, payments',
    route: 'gateway',
    caller: 'customer',
    document: MY_ORDERS_FULL,
    check: (answer, { orderIds }) => {
      const orders: any[] = answer.json.data?.myOrders ?? [];
      const items = ORDER_ITEMS.map(({ quantity, name, priceCents }) => ({ quantity, product: { name, priceCents } }));
      return [
        ...ok(answer),
        ...sameIds(orders, orderIds),
        ...orders.flatMap((order) => [
          ...same(`${order.id}.status`, order.status, 'PENDING'),
          ...same(`${order.id}.items`, order.items, items),
          ...same(`${order.id}.payments`, order.payments, [{ amountCents: ORDER_TOTAL_CENTS, status: 'CAPTURED' }]),
        ]),
      ];
    },
  },
  {
    id: '3',
    title: "denied: bob asks for alice's order",
    route: 'gateway',
    caller: 'bob',
    document: ALICES_ORDER,
    check: (answer, { mode }) => {
      // The baseline and the bare federation have no shield, so they hand bob the order.
      if (mode !== 'secure')
        return [...ok(answer), ...same('order', answer.json.data?.order, { id: 'order-1', status: 'PENDING' })];
      const codes = (answer.json.errors ?? []).map((error) => error.extensions?.code);
      return [
        ...(answer.status === 200 ? [] : [`HTTP ${answer.status}`]),
        ...same('data', answer.json.data, { order: null }),
        ...same('error codes', codes, ['FORBIDDEN']),
      ];
    },
  },
  {
    id: '3g',
    title: 'granted twin of 3: alice asks for her order',
    route: 'gateway',
    caller: 'alice',
    document: ALICES_ORDER,
    check: (answer) => [...ok(answer), ...same('order', answer.json.data?.order, { id: 'order-1', status: 'PENDING' })],
  },
  {
    id: '5g',
    title: 'customer myOrders { id status } through the gateway',
    route: 'gateway',
    caller: 'customer',
    document: MY_ORDERS_SHORT,
    check: checkShortOrders,
  },
  {
    id: '5d',
    title: 'customer myOrders { id status } straight to orders',
    route: 'orders',
    caller: 'customer',
    document: MY_ORDERS_SHORT,
    check: checkShortOrders,
  },
];

function checkShortOrders(answer: HttpAnswer, { orderIds }: Facts): string[] {
  const orders: any[] = answer.json.data?.myOrders ?? [];
  return [
    ...ok(answer),
    ...sameIds(orders, orderIds),
    ...orders.flatMap((order) => same(`${order.id}.status`, order.status, 'PENDING')),
  ];
}

export interface Endpoints {
  gatewayUrl: string;
  ordersUrl: string;
  clientTokens: Record<Exclude<Caller, 'anonymous'>, string>;
  /** Headers saying who the customer is, as this stack's gateway would send them to orders. */
  ordersHeaders(): Promise<Record<string, string>>;
}

/** The exact HTTP request a scenario sends to a stack. */
export async function requestFor(scenario: Scenario, endpoints: Endpoints): Promise<HttpRequest> {
  if (scenario.route === 'orders') {
    return graphqlRequest(endpoints.ordersUrl, scenario.document, await endpoints.ordersHeaders());
  }
  const headers = scenario.caller === 'anonymous' ? {} : bearer(endpoints.clientTokens[scenario.caller]);
  return graphqlRequest(endpoints.gatewayUrl, scenario.document, headers);
}

function ok(answer: HttpAnswer): string[] {
  const problems = answer.status === 200 ? [] : [`HTTP ${answer.status}`];
  if (answer.json.errors?.length) problems.push(`errors: ${JSON.stringify(answer.json.errors)}`);
  return problems;
}

function same(label: string, actual: unknown, expected: unknown): string[] {
  return isDeepStrictEqual(actual, expected)
    ? []
    : [`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function sameIds(orders: { id: string }[], expected: readonly string[]): string[] {
  return same('order ids', orders.map((order) => order.id).sort(), [...expected].sort());
}
