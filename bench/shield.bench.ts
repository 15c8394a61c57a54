/**
 * What each subgraph's shield costs: the same operation executed against the service's schema with
 * its shield and without (the baseline's `unshielded`, from the same parts), granted and denied. Reads are
 * answered from memory after the first, so the difference is the rules and the middleware, not
 * the database. `npx vitest bench --run`.
 */
import { readFileSync } from 'node:fs';
import { execute, parse, type ExecutionResult } from 'graphql';
import { bench, describe } from 'vitest';
import type { Database, SubgraphService } from '#kit';
import type { Viewer } from '#identity';
import { createTestDatabase } from '#kit/testing';
import { viewer } from '#identity/testing';
import { INVENTORY, createInventoryService, inventoryServiceParts } from '../subgraphs/inventory/src/service.ts';
import { ORDERS, createOrdersService, ordersServiceParts } from '../subgraphs/orders/src/service.ts';
import { inventoryStandIn } from '../subgraphs/orders/src/testing.ts';
import { createOrderStore } from '../subgraphs/orders/src/store.ts';
import { PAYMENTS, createPaymentsService, paymentsServiceParts } from '../subgraphs/payments/src/service.ts';
import { createPaymentStore } from '../subgraphs/payments/src/store.ts';
import { fakeOrderDirectory } from '../subgraphs/payments/src/testing.ts';
import { unshielded } from './baseline/unshielded.ts';

const OPTIONS = { time: 500, warmupTime: 100 };
const carol = viewer('carol');
const bob = viewer('bob');
const alice = viewer('alice');
const anonymous = viewer(null);

/** Every distinct read is sent once; the same statement with the same parameters is then answered from memory. */
function memoisedReads(db: Database): Database {
  const answers = new Map<string, Promise<unknown[]>>();
  return {
    ...db,
    query<Row>(sql: string, params: readonly unknown[] = []) {
      const key = `${sql}\u0000${JSON.stringify(params)}`;
      if (!answers.has(key)) answers.set(key, db.query(sql, params));
      return answers.get(key)! as Promise<Row[]>;
    },
  };
}

async function seededDatabase(program: { name: string; migrations: string; seed: string }): Promise<Database> {
  return createTestDatabase(program.name, program.migrations, readFileSync(program.seed, 'utf8'));
}

type Service = Pick<SubgraphService<object>, 'schema' | 'createContext'>;

interface Case {
  name: string;
  who: Viewer;
  document: string;
  variables?: Record<string, unknown>;
  /** What the shielded answer must say, checked once before timing. */
  expect: 'granted' | 'denied';
}

function run(service: Service, { who, document, variables }: Case): () => Promise<ExecutionResult> {
  const parsed = parse(document);
  return async () =>
    execute({
      schema: service.schema,
      document: parsed,
      // A fresh context per operation, as per request: shield's per-request cache starts empty.
      contextValue: service.createContext({ viewer: who, headers: {}, requestId: 'bench' }),
      ...(variables ? { variableValues: variables } : {}),
    });
}

async function compare(subgraph: string, shielded: Service, bare: Service, cases: Case[]): Promise<void> {
  for (const example of cases) {
    const withShield = run(shielded, example);
    const withoutShield = run(bare, example);
    const answer = await withShield();
    const denied = (answer.errors ?? []).some((error) =>
      ['FORBIDDEN', 'UNAUTHENTICATED'].includes(String(error.extensions?.code)),
    );
    if ((example.expect === 'denied') !== denied || (example.expect === 'granted' && answer.errors?.length)) {
      throw new Error(`${subgraph} ${example.name}: expected ${example.expect}, got ${JSON.stringify(answer)}`);
    }
    if ((await withoutShield()).errors?.length) throw new Error(`${subgraph} ${example.name} fails without the shield`);
    describe(`${subgraph}: ${example.name}`, () => {
      bench('with shield', async () => void (await withShield()), OPTIONS);
      bench('without shield', async () => void (await withoutShield()), OPTIONS);
    });
  }
}

// orders: a customer with 10 orders of 3 items, placed through the store.
{
  const raw = await seededDatabase(ORDERS);
  const store = createOrderStore(raw);
  const items = [
    { sku: 'KB-001', quantity: 1 },
    { sku: 'MS-002', quantity: 2 },
    { sku: 'MN-003', quantity: 3 },
  ];
  for (let index = 0; index < 10; index++) await store.placeOrder(carol.sub!, items);
  const db = memoisedReads(raw);
  const products = inventoryStandIn();
  await compare('orders', createOrdersService({ db, products }), unshielded(ordersServiceParts({ db, products })), [
    {
      name: 'myOrders, 10 orders x 3 items',
      who: carol,
      document: '{ myOrders { id status createdAt items { quantity product { sku } } } }',
      expect: 'granted',
    },
    // The same operation granted and denied: a denial should cost no more than a grant.
    { name: 'order(id) of her own order', who: alice, document: '{ order(id: "order-1") { id status } }', expect: 'granted' },
    { name: "order(id) of someone else's order", who: bob, document: '{ order(id: "order-1") { id status } }', expect: 'denied' },
  ]);
}

// payments: the payments of 10 orders, as the gateway asks for Order.payments.
{
  const raw = await seededDatabase(PAYMENTS);
  const store = createPaymentStore(raw);
  const orderIds = Array.from({ length: 10 }, (_, index) => `carol-order-${index}`);
  for (const orderId of orderIds) await store.capturePayment({ orderId, amountCents: 62994, currency: 'USD' });
  const db = memoisedReads(raw);
  const orders = fakeOrderDirectory(orderIds).directory;
  const entities =
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { payments { amountCents currency status } } } }';
  const representations = orderIds.map((id) => ({ __typename: 'Order', id, userId: carol.sub }));
  await compare('payments', createPaymentsService({ db, orders }), unshielded(paymentsServiceParts({ db, orders })), [
    {
      name: 'Order.payments of 10 orders, by their owner',
      who: carol,
      document: entities,
      variables: { r: representations },
      expect: 'granted',
    },
    {
      name: 'Order.payments of 10 orders, by someone else',
      who: bob,
      document: entities,
      variables: { r: representations },
      expect: 'denied',
    },
  ]);
}

// inventory: the public catalogue, and a stock level a customer may not see.
{
  const db = memoisedReads(await seededDatabase(INVENTORY));
  await compare('inventory', createInventoryService({ db }), unshielded(inventoryServiceParts({ db })), [
    { name: 'products, anonymous', who: anonymous, document: '{ products { sku name priceCents inStock } }', expect: 'granted' },
    {
      name: 'Product entities, as the gateway resolves them',
      who: anonymous,
      document: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name priceCents } } }',
      variables: { r: ['KB-001', 'MS-002', 'MN-003'].map((sku) => ({ __typename: 'Product', sku })) },
      expect: 'granted',
    },
    { name: 'quantityOnHand, as a customer', who: carol, document: '{ products { sku quantityOnHand } }', expect: 'denied' },
  ]);
}
