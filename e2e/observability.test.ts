/**
 * What an operator sees: one request id across every service's logs, one audit event per denied rule,
 * Prometheus metrics on every service, and never a token in a log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startStack, type Stack } from './stack.ts';

const logs: Record<string, any>[] = [];
let stack: Stack;
let tokens: Record<'alice' | 'bob' | 'wendy', string>;

beforeAll(async () => {
  stack = await startStack({ onLog: (entry) => logs.push(entry) });
  tokens = { alice: await stack.token(DEMO.alice), bob: await stack.token(DEMO.bob), wendy: await stack.token(DEMO.wendy) };
});
afterAll(() => stack?.stop());

const linesOf = (requestId: string) => logs.filter((entry) => entry.requestId === requestId);

describe('request ids', () => {
  it('are made at the gateway, returned to the client and stamped on every service log line of the request', async () => {
    const response = await stack.query(
      'query AliceOrders { myOrders { id items { product { name } } payments { amountCents } } }',
      {
        token: tokens.alice,
      },
    );
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const services = new Set(linesOf(requestId).map((entry) => entry.service));
    expect(services).toEqual(new Set(['gateway', 'orders', 'payments', 'inventory']));
  });

  it('follow the onward call from payments to orders', async () => {
    const paula = await stack.token(DEMO.paula);
    const response = await stack.query('mutation { initiatePayment(orderId: "order-3", amountCents: 100) { id } }', {
      token: paula,
    });
    expect(response.body.errors).toBeUndefined();
    const requestId = response.headers.get('x-request-id')!;
    const orderLines = linesOf(requestId).filter((entry) => entry.service === 'orders');
    expect(orderLines.some((entry) => entry.operationName === 'OrderExists')).toBe(true);
  });

  it('keep a valid incoming id and replace an unsafe one', async () => {
    const kept = await stack.query('{ products { sku } }', { headers: { 'x-request-id': 'trace-42-abc' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42-abc');
    expect(linesOf('trace-42-abc').map((entry) => entry.service)).toContain('inventory');
    for (const unsafe of ['bad id <script>', 'trace-42.abc', 'host:4001', 'x'.repeat(65)]) {
      const replaced = await stack.query('{ products { sku } }', { headers: { 'x-request-id': unsafe } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(linesOf(unsafe)).toEqual([]);
    }
  });
});

describe('the authorization audit trail', () => {
  it('logs one event per rule and reason, with request, user, subgraph, operation, count, example paths', async () => {
    const response = await stack.query('query PeekAtAlice { order(id: "order-1") { id } products { sku quantityOnHand } }', {
      token: tokens.bob,
    });
    const requestId = response.headers.get('x-request-id')!;
    const denials = linesOf(requestId).filter((entry) => entry.event === 'authorization.denied');
    expect(denials).toHaveLength(2);
    expect(denials).toContainEqual(
      expect.objectContaining({
        requestId,
        sub: 'bob',
        subgraph: 'orders',
        operationName: 'PeekAtAlice',
        rule: "Only the order's owner, warehouse staff and admins can read an order",
        reason: 'FORBIDDEN',
        count: 1,
        paths: ['order'],
        engine: 'shield',
      }),
    );
    expect(denials).toContainEqual(
      expect.objectContaining({
        requestId,
        sub: 'bob',
        subgraph: 'inventory',
        operationName: 'PeekAtAlice',
        rule: 'Only warehouse staff and admins can see stock levels',
        reason: 'FORBIDDEN',
        count: 3,
        paths: ['products.0.quantityOnHand', 'products.1.quantityOnHand', 'products.2.quantityOnHand'],
      }),
    );
  });

  it('bounds the event of a request denied many times: the count says how many, five paths show where', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `q${i}: quantityOnHand`).join(' ');
    const response = await stack.query(`{ products { sku ${aliases} } }`, { token: tokens.bob });
    expect(response.body.errors).toHaveLength(90);
    const denials = linesOf(response.headers.get('x-request-id')!).filter((entry) => entry.event === 'authorization.denied');
    expect(denials).toEqual([expect.objectContaining({ subgraph: 'inventory', count: 90, paths: expect.any(Array) })]);
    expect(denials[0]!.paths).toEqual(['products.0.q0', 'products.0.q1', 'products.0.q2', 'products.0.q3', 'products.0.q4']);
  });

  it('logs nothing for an allowed request', async () => {
    const response = await stack.query('{ products { sku quantityOnHand } }', { token: tokens.wendy });
    expect(linesOf(response.headers.get('x-request-id')!).filter((entry) => entry.event === 'authorization.denied')).toEqual([]);
  });
});

describe('metrics', () => {
  const scrape = async (url: string) => (await fetch(url)).text();

  it('count operations, authentication failures and subgraph fetches at the gateway', async () => {
    await stack.query('query Catalogue { products { sku } }');
    await stack.query('{ products { sku } }', { token: 'garbage' });
    const metrics = await scrape(stack.gatewayMetricsUrl);
    expect(metrics).toMatch(
      /graphql_requests_total\{operation="Catalogue",operation_type="query",outcome="ok",service="gateway"\} [1-9]/,
    );
    expect(metrics).toMatch(/authentication_failures_total\{reason="malformed",service="gateway"\} [1-9]/);
    expect(metrics).toMatch(/subgraph_fetch_duration_seconds_count\{service="gateway",subgraph="inventory",outcome="ok"\} [1-9]/);
  });

  it('count denials by rule in each subgraph, every denial of an aggregated event', async () => {
    const counted = async () => {
      const metrics = await scrape(stack.subgraphs.inventory.server.metricsUrl);
      const line =
        /authorization_denials_total\{rule="stock:read",reason="FORBIDDEN",engine="shield",service="inventory"\} (\d+)/.exec(
          metrics,
        );
      return Number(line?.[1] ?? 0);
    };
    const before = await counted();
    await stack.query('{ products { sku quantityOnHand } }', { token: tokens.alice });
    expect((await counted()) - before).toBe(3);
    await stack.query('{ orders { id } }', { token: tokens.alice });
    const metrics = await scrape(stack.subgraphs.orders.server.metricsUrl);
    expect(metrics).toMatch(
      /authorization_denials_total\{rule="order:list:all",reason="FORBIDDEN",engine="shield",service="orders"\} [1-9]/,
    );
    expect(metrics).toContain(
      'authorization_rule_info{rule="order:list:all",words="Only admins can list all orders",service="orders"} 1',
    );
  });

  it("name a subgraph's series by the client's operation, and tell partial results from errors", async () => {
    await stack.query('query StockPeek { products { sku quantityOnHand } }', { token: tokens.alice });
    const gateway = await scrape(stack.gatewayMetricsUrl);
    expect(gateway).toMatch(
      /graphql_requests_total\{operation="StockPeek",operation_type="query",outcome="partial",service="gateway"\} 1/,
    );
    const inventory = await scrape(stack.subgraphs.inventory.server.metricsUrl);
    expect(inventory).toMatch(
      /graphql_requests_total\{operation="StockPeek",operation_type="query",outcome="partial",service="inventory"\} 1/,
    );
    expect(inventory).not.toContain('StockPeek__');
  });
});

describe('logs', () => {
  it('say who ran each operation, its type, outcome and HTTP status, in every service', async () => {
    const response = await stack.query('mutation CancelBobs { cancelOrder(id: "order-1") { id } }', { token: tokens.bob });
    const answered = linesOf(response.headers.get('x-request-id')!).filter((entry) => entry.msg === 'operation answered');
    expect(answered).toContainEqual(
      expect.objectContaining({
        service: 'gateway',
        sub: 'bob',
        operationName: 'CancelBobs',
        operationType: 'mutation',
        status: 200,
      }),
    );
    expect(answered).toContainEqual(
      expect.objectContaining({
        service: 'orders',
        sub: 'bob',
        operationName: 'CancelBobs',
        operationType: 'mutation',
        outcome: 'error',
      }),
    );
  });

  it("keep Apollo's schema-loaded message on one line, its details as fields", () => {
    const loaded = logs.filter(
      (entry) => entry.service === 'gateway' && String(entry.msg).startsWith('Gateway successfully loaded schema'),
    );
    expect(loaded).toEqual([expect.objectContaining({ msg: 'Gateway successfully loaded schema.', mode: expect.any(String) })]);
  });

  it('never contain a token', async () => {
    await stack.query('{ myOrders { id } }', { token: tokens.alice });
    await stack.query('{ myOrders { id } }', { token: `${tokens.alice}x` });
    const text = logs.map((entry) => JSON.stringify(entry)).join('\n');
    expect(text).not.toContain(tokens.alice.split('.')[2]);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
