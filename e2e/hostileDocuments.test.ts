/**
 * Small documents written to make the gateway work hard, through HTTP: each is refused quickly, as
 * the client's mistake (400, naming the limit), before any subgraph sees it; the audit trail of
 * what is denied stays a few lines; and while they arrive, everyone else keeps being answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_DRIVER, watchSubgraphs } from './probes.ts';
import { DEMO, startStack, type GraphQLResponse, type Stack } from './stack.ts';

const logs: Record<string, any>[] = [];
let stack: Stack;
let attacker: string;

beforeAll(async () => {
  stack = await startStack({ driver: FAST_DRIVER, onLog: (entry) => logs.push(entry) });
  attacker = await stack.token({ sub: 'mallory' });
  await seedOrders(attacker, 10, 50);
});
afterAll(() => stack?.stop());

/** A customer's own orders, placed through the API as any customer may. */
async function seedOrders(token: string, orders: number, itemsEach: number) {
  const skus = ['KB-001', 'MS-002', 'MN-003'];
  const items = Array.from({ length: itemsEach }, (_, i) => ({ sku: skus[i % skus.length], quantity: 1 }));
  for (let order = 0; order < orders; order += 1) {
    const placed = await stack.query('mutation Place($items: [OrderItemInput!]!) { placeOrder(items: $items) { id } }', {
      token,
      variables: { items },
    });
    expect(placed.body.errors).toBeUndefined();
  }
}

/** `query Q { ...F0 }`, each `Fi` spreading `Fi+1` twice: 2^26 selections from 1.1 KB. */
function doubling(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query Q { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename }`;
}

/** 4 fragment levels of 10 aliased `order { payments { ... } }` hops under one payment: 1.5 KB, 40 aliases, depth 10. */
function planExplosion(): string {
  const level = (next: string) => Array.from({ length: 10 }, (_, i) => `a${i}: order { payments { ${next} } }`).join(' ');
  return `query Explode { payment(id: "payment-1") { ...L1 } }
    fragment L1 on Payment { ${level('...L2')} }
    fragment L2 on Payment { ${level('...L3')} }
    fragment L3 on Payment { ${level('...L4')} }
    fragment L4 on Payment { ${level('id')} }`;
}

/** The customer's own stock levels, which they may not see, asked `aliases` times per item of every order. */
function amplifiedDenials(aliases: number): string {
  const stock = Array.from({ length: aliases }, (_, i) => `q${i}: quantityOnHand`).join(' ');
  return `query Amplify { myOrders { items { product { ${stock} } } } }`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = performance.now();
  const result = await work();
  return { result, ms: performance.now() - startedAt };
}

const limitsOf = (response: GraphQLResponse) => (response.body.errors ?? []).map((error) => error.extensions?.limit);

function expectRefused(response: GraphQLResponse, limit: string) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(limitsOf(response)).toContain(limit);
  const limits = limitsOf(response);
  expect(new Set(limits).size, 'one error per exceeded limit').toBe(limits.length);
  for (const error of response.body.errors!) expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
}

describe('hostile documents', () => {
  it('refuses fragments doubling for 26 levels, without a token, within a second', { timeout: 10_000 }, async () => {
    const document = doubling(26);
    expect(document.length).toBeLessThan(1300);
    const { result, reached } = await watchSubgraphs(stack, () => timed(() => stack.query(document)));
    expect(result.ms).toBeLessThan(1000);
    expectRefused(result.result, 'maxSelections');
    expect(reached).toBe(0);
  });

  it('refuses the plan explosion by the expanded budget, before planning, within a second', { timeout: 10_000 }, async () => {
    const document = planExplosion();
    expect(document.length).toBeLessThan(1600);
    const token = await stack.token(DEMO.ada);
    const { result, reached } = await watchSubgraphs(stack, () => timed(() => stack.query(document, { token })));
    expect(result.ms).toBeLessThan(1000);
    expectRefused(result.result, 'maxSelections');
    expect(reached).toBe(0);
  });

  it('refuses 99 aliases of a denied field over orders of 50 items by cost, with the estimate', { timeout: 10_000 }, async () => {
    const { result, reached } = await watchSubgraphs(stack, () =>
      timed(() => stack.query(amplifiedDenials(99), { token: attacker })),
    );
    expect(result.ms).toBeLessThan(1000);
    expectRefused(result.result, 'maxCost');
    const error = result.result.body.errors!.find((candidate) => candidate.extensions?.limit === 'maxCost')!;
    expect(error.extensions).toMatchObject({ cost: 20 * (1 + 50 * (2 + 99)), maxCost: 10_000 });
    expect(JSON.stringify(result.result.body).length).toBeLessThan(2000);
    expect(reached).toBe(0);
  });

  it('writes one audit line for the thousands of denials the budget still allows', { timeout: 10_000 }, async () => {
    // 7 aliases: 20 x (1 + 50 x 9) = 9020, just under the budget; 10 orders x 50 items x 7 denials.
    const response = await stack.query(amplifiedDenials(7), { token: attacker });
    expect(response.status).toBe(200);
    expect(response.body.errors).toHaveLength(3500);
    const requestId = response.headers.get('x-request-id')!;
    const denials = logs.filter((entry) => entry.requestId === requestId && entry.event === 'authorization.denied');
    expect(denials).toEqual([
      expect.objectContaining({
        subgraph: 'inventory',
        sub: 'mallory',
        operationName: 'Amplify',
        reason: 'FORBIDDEN',
        count: 3500,
      }),
    ]);
    expect(denials[0]!.paths).toHaveLength(5);
  });
});

describe('a bystander', () => {
  it('keeps being answered, and /health too, while hostile documents arrive', { timeout: 10_000 }, async () => {
    const alice = await stack.token(DEMO.alice);
    const health = stack.gatewayUrl.replace(/\/graphql$/, '/health');
    const hostile = Array.from({ length: 24 }, (_, i) =>
      [
        () => stack.query(doubling(26)),
        () => stack.query(planExplosion()),
        () => stack.query(amplifiedDenials(99), { token: attacker }),
      ][i % 3]!(),
    );
    const ordinary = timed(() => stack.query('{ myOrders { id status } }', { token: alice }));
    const alive = timed(() => fetch(health));
    const [query, probe, refused] = await Promise.all([ordinary, alive, Promise.all(hostile)]);

    expect(query.result.status).toBe(200);
    expect(query.result.body.data.myOrders.length).toBeGreaterThan(0);
    expect(query.ms).toBeLessThan(1000);
    expect(probe.result.status).toBe(200);
    expect(probe.ms).toBeLessThan(1000);
    expect(refused.map((response) => response.status)).toEqual(refused.map(() => 400));
  });
});
