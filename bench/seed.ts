/**
 * The benchmark customer's data, placed through the gateway's public API as a user would: orders
 * of three items, each paid by a payment processor.
 */
import type { TokenRequest } from '../scripts/clientTokens.ts';
import { bearer, graphqlRequest, mustSucceed } from './client.ts';

export const BENCH_CUSTOMER: TokenRequest = { sub: 'bench-customer' };
export const PAYMENT_PROCESSOR: TokenRequest = { sub: 'bench-paula', roles: ['payment_processor'] };

/** One of each demo product, so every order reaches all three products in inventory. */
export const ORDER_ITEMS = [
  { sku: 'KB-001', quantity: 1, name: 'Mechanical Keyboard', priceCents: 4999 },
  { sku: 'MS-002', quantity: 2, name: 'Wireless Mouse', priceCents: 1999 },
  { sku: 'MN-003', quantity: 3, name: '4K Monitor', priceCents: 17999 },
] as const;

export const ORDER_TOTAL_CENTS = ORDER_ITEMS.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);

const PLACE = 'mutation Place($items: [OrderItemInput!]!) { placeOrder(items: $items) { id } }';
const PAY = 'mutation Pay($orderId: ID!, $amount: Int!) { initiatePayment(orderId: $orderId, amountCents: $amount) { id } }';

export interface SeedTokens {
  customer: string;
  processor: string;
}

/** Places `count` paid orders for the bench customer; answers their ids. */
export async function seedCustomerOrders(gatewayUrl: string, tokens: SeedTokens, count: number): Promise<string[]> {
  const items = ORDER_ITEMS.map(({ sku, quantity }) => ({ sku, quantity }));
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const placed = await mustSucceed(graphqlRequest(gatewayUrl, PLACE, bearer(tokens.customer), { items }));
    const id = placed.placeOrder.id as string;
    await mustSucceed(graphqlRequest(gatewayUrl, PAY, bearer(tokens.processor), { orderId: id, amount: ORDER_TOTAL_CENTS }));
    ids.push(id);
  }
  return ids;
}
