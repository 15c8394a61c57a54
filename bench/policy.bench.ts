/**
 * The cost of one authorization decision on an order, by engine: the in-code shield rule, embedded
 * Cedar (the engine alone, and the `decide` rule around it, as a fresh request asks), and the OPA
 * adapter over HTTP against a STAND-IN of OPA's data API on loopback (a node:http server that
 * answers at once: it prices the round trip and the adapter, not Rego's evaluation, which a real
 * OPA adds). `npx vitest bench --run --project bench bench/policy.bench.ts`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLResolveInfo } from 'graphql';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createOpaEngine, DENY_BY_DEFAULT, type Database, type PolicyEngine, type PolicyInput } from '#kit';
import { viewer } from '#identity/testing';
import { ordersContextFactory } from '../subgraphs/orders/src/context.ts';
import { createOrdersCedarEngine } from '../subgraphs/orders/src/policyEngine.ts';
import { orderResource, ordersPolicyRules } from '../subgraphs/orders/src/policyRules.ts';
import { canReadOrder } from '../subgraphs/orders/src/rules.ts';
import type { Order } from '../subgraphs/orders/src/store.ts';
import { inventoryStandIn } from '../subgraphs/orders/src/testing.ts';

const OPTIONS = { time: 1_000, warmupTime: 200 };
const NOW = new Date('2026-01-01T12:00:00.000Z');
const ORDER: Order = { id: 'order-1', userId: 'alice', status: 'PENDING', createdAt: new Date(NOW.getTime() - 60_000) } as Order;
const wendy = viewer('wendy', 'warehouse_staff');
const bob = viewer('bob');
const INFO = { fieldName: 'status', path: { key: 'status' } } as unknown as GraphQLResolveInfo;
const SHIELD_OPTIONS = { ...DENY_BY_DEFAULT, hashFunction: () => '' };

const input = (action: string, user = { id: 'wendy', roles: ['warehouse_staff'] }): PolicyInput => ({
  user,
  action,
  resource: orderResource(ORDER),
  context: { nowMs: NOW.getTime() },
});

// The rules read no database here: the order is the parent.
const noDatabase = {} as Database;
const contexts = (engine: PolicyEngine | null) => {
  const create = ordersContextFactory(noDatabase, () => NOW, inventoryStandIn(), engine);
  // With shield's per-request cache, as shield adds it.
  return (who = wendy) => Object.assign(create({ viewer: who, headers: {}, requestId: 'bench' }), { _shield: { cache: {} } });
};

const cedar = createOrdersCedarEngine();
const shieldContext = contexts(null);
const cedarContext = contexts(cedar);
const cedarReadRule = ordersPolicyRules.Order;

const standIn = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.setHeader('content-type', 'application/json').end('{"result":true}'));
});
let opa: PolicyEngine;

/** Each case must answer what its name says before it is timed. */
async function checkAnswers() {
  const answers = [
    await canReadOrder.resolve(ORDER, {}, shieldContext(), INFO, SHIELD_OPTIONS),
    await cedarReadRule.resolve(ORDER, {}, cedarContext(), INFO, SHIELD_OPTIONS),
    (await cedar.decide(input('read'))).allowed,
    (await opa.decide(input('read'))).allowed,
  ];
  const refusals = [
    await canReadOrder.resolve(ORDER, {}, shieldContext(bob), INFO, SHIELD_OPTIONS),
    await cedarReadRule.resolve(ORDER, {}, cedarContext(bob), INFO, SHIELD_OPTIONS),
  ];
  const cancel = await cedar.decide(input('cancel', { id: 'bob', roles: [] }));
  const refused = (answer: unknown) => (answer as { extensions?: { code?: string } }).extensions?.code === 'FORBIDDEN';
  if (!answers.every((answer) => answer === true) || !refusals.every(refused) || cancel.reason === undefined) {
    throw new Error(`a benchmark case does not answer as its name says: ${JSON.stringify({ answers, refusals, cancel })}`);
  }
}

beforeAll(async () => {
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  opa = createOpaEngine({
    url: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`,
    packagePath: 'order',
    timeoutMs: 2_000,
  });
  await checkAnswers();
});
afterAll(() => new Promise<void>((resolve) => standIn.close(() => resolve())));

describe('one decision: may warehouse staff read an order?', () => {
  bench(
    'shield: the in-code rule',
    async () => {
      await canReadOrder.resolve(ORDER, {}, shieldContext(), INFO, SHIELD_OPTIONS);
    },
    OPTIONS,
  );

  bench(
    'cedar: the engine alone',
    async () => {
      await cedar.decide(input('read'));
    },
    OPTIONS,
  );

  bench(
    'cedar: the decide rule, a fresh request each time',
    async () => {
      await cedarReadRule.resolve(ORDER, {}, cedarContext(), INFO, SHIELD_OPTIONS);
    },
    OPTIONS,
  );

  bench(
    'opa adapter over HTTP to a stand-in on loopback (no Rego evaluated)',
    async () => {
      await opa.decide(input('read'));
    },
    OPTIONS,
  );
});

describe('one denial: another customer and the order', () => {
  bench(
    'shield: the in-code read rule refuses',
    async () => {
      await canReadOrder.resolve(ORDER, {}, shieldContext(bob), INFO, SHIELD_OPTIONS);
    },
    OPTIONS,
  );

  bench(
    'cedar: the decide read rule refuses, a fresh request each time',
    async () => {
      await cedarReadRule.resolve(ORDER, {}, cedarContext(bob), INFO, SHIELD_OPTIONS);
    },
    OPTIONS,
  );

  bench(
    'cedar: the engine alone refuses a cancel, naming the forbid',
    async () => {
      await cedar.decide(input('cancel', { id: 'bob', roles: [] }));
    },
    OPTIONS,
  );
});
