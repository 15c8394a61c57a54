/**
 * The benchmark's scenario 2 (a customer's orders with their items, products and payments) costs a
 * fixed number of SQL statements whatever the number of orders: items, `Order.payments` and the
 * entity references each subgraph resolves are batched per request with DataLoader.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, clientToken, graphqlRequest, send } from '../bench/client.ts';
import { SCENARIOS } from '../bench/scenarios.ts';
import { PAYMENT_PROCESSOR, seedCustomerOrders } from '../bench/seed.ts';
import { launchService, SUBGRAPHS, type LaunchedService, type SubgraphName } from '../bench/services.ts';
import { freePort } from '#platform/testing';

const MY_ORDERS = SCENARIOS.find((scenario) => scenario.id === '2')!;

describe('SQL statements per myOrders request (orders, items, products, payments)', () => {
  const statements: Record<SubgraphName, string[]> = { orders: [], payments: [], inventory: [] };
  const services: LaunchedService[] = [];
  let gatewayUrl: string;

  beforeAll(async () => {
    const gatewayPort = await freePort();
    const jwksUrl = `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`;
    const onQuery = (subgraph: SubgraphName, sql: string) => statements[subgraph].push(sql);
    const subgraph = (role: SubgraphName, onward: { ordersUrl?: string; inventoryUrl?: string } = {}) =>
      launchService({ role, mode: 'secure', port: 0, jwksUrl, database: { driver: 'pglite' }, ...onward }, { onQuery });
    // Each subgraph after the one it calls onward: orders asks inventory, payments asks orders.
    const inventory = await subgraph('inventory');
    const orders = await subgraph('orders', { inventoryUrl: inventory.url });
    const payments = await subgraph('payments', { ordersUrl: orders.url });
    services.push(orders, payments, inventory);
    const identitySigningKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const gateway = await launchService({
      role: 'gateway',
      mode: 'secure',
      port: gatewayPort,
      identitySigningKey,
      subgraphUrls: { orders: orders.url, payments: payments.url, inventory: inventory.url },
    });
    services.unshift(gateway);
    gatewayUrl = gateway.url;
  });
  afterAll(async () => {
    for (const service of services) await service.stop();
  });

  /** Seeds `count` paid orders for a new customer, then counts what one myOrders request costs. */
  async function statementsFor(sub: string, count: number): Promise<Record<SubgraphName, number>> {
    const customer = await clientToken({ sub });
    const orderIds = await seedCustomerOrders(gatewayUrl, { customer, processor: await clientToken(PAYMENT_PROCESSOR) }, count);
    for (const name of SUBGRAPHS) statements[name].length = 0;
    const answer = await send(graphqlRequest(gatewayUrl, MY_ORDERS.document, bearer(customer)));
    expect(MY_ORDERS.check(answer, { mode: 'secure', orderIds })).toEqual([]);
    return { orders: statements.orders.length, payments: statements.payments.length, inventory: statements.inventory.length };
  }

  it('is the same for 1 order and for 10: one per list, whatever its length', async () => {
    const one = await statementsFor('one-order-customer', 1);
    const ten = await statementsFor('ten-order-customer', 10);
    expect(ten).toEqual(one);
    // orders: the orders, then all their items; payments: all the orders' payments; inventory: the products.
    expect(ten).toEqual({ orders: 2, payments: 1, inventory: 1 });
  });
});
