/**
 * What an operator sees: one request id across every service's logs, one audit event per denial,
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
    const response = await stack.query('query AliceOrders { myOrders { id items { product { name } } payments { amountCents } } }', {
      token: tokens.alice,
    });
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const services = new Set(linesOf(requestId).map((entry) => entry.service));
    expect(services).toEqual(new Set(['gateway', 'orders', 'payments', 'inventory']));
  });

  it('follow the onward call from payments to orders', async () => {
    const paula = await stack.token(DEMO.paula);
    const response = await stack.query('mutation { initiatePayment(orderId: "order-3", amountCents: 100) { id } }', { token: paula });
    expect(response.body.errors).toBeUndefined();
    const requestId = response.headers.get('x-request-id')!;
    const orderLines = linesOf(requestId).filter((entry) => entry.service === 'orders');
    expect(orderLines.some((entry) => entry.operationName === 'OrderExists')).toBe(true);
  });

  it('keep a valid incoming id and replace an unsafe one', async () => {
    const kept = await stack.query('{ products { sku } }', { headers: { 'x-request-id': 'trace-42.abc' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42.abc');
    expect(linesOf('trace-42.abc').map((entry) => entry.service)).toContain('inventory');
    const replaced = await stack.query('{ products { sku } }', { headers: { 'x-request-id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the authorization audit trail', () => {
  it('logs each denial once, with request, user, subgraph, operation, path, rule and reason', async () => {
    const response = await stack.query('query PeekAtAlice { order(id: "order-1") { id } products { sku quantityOnHand } }', {
      token: tokens.bob,
    });
    const requestId = response.headers.get('x-request-id')!;
    const denials = linesOf(requestId).filter((entry) => entry.event === 'authorization.denied');
    expect(denials).toHaveLength(4);
    expect(denials).toContainEqual(
      expect.objectContaining({
        requestId,
        sub: 'bob',
        subgraph: 'orders',
        operationName: 'PeekAtAlice',
        path: 'order',
        rule: "Only the order's owner, warehouse staff and admins can read an order",
        reason: 'FORBIDDEN',
        engine: 'shield',
      }),
    );
    expect(denials.filter((entry) => entry.subgraph === 'inventory')).toEqual(
      [0, 1, 2].map((index) =>
        expect.objectContaining({
          path: `products.${index}.quantityOnHand`,
          rule: 'Only warehouse staff and admins can see stock levels',
          operationName: 'PeekAtAlice',
        }),
      ),
    );
  });

  it('logs nothing for an allowed request', async () => {
    const response = await stack.query('{ products { sku quantityOnHand } }', { token: tokens.wendy });
    expect(linesOf(response.headers.get('x-request-id')!).filter((entry) => entry.event === 'authorization.denied')).toEqual([]);
  });
});

describe('metrics', () => {
  const scrape = async (url: string) => (await fetch(url.replace('/graphql', '/metrics'))).text();

  it('count operations, authentication failures and subgraph fetches at the gateway', async () => {
    await stack.query('query Catalogue { products { sku } }');
    await stack.query('{ products { sku } }', { token: 'garbage' });
    const metrics = await scrape(stack.gatewayUrl);
    expect(metrics).toMatch(/graphql_requests_total\{operation="Catalogue",outcome="ok",service="gateway"\} [1-9]/);
    expect(metrics).toMatch(/authentication_failures_total\{reason="malformed",service="gateway"\} [1-9]/);
    expect(metrics).toMatch(/subgraph_fetch_duration_seconds_count\{service="gateway",subgraph="inventory",outcome="ok"\} [1-9]/);
  });

  it('count denials by rule in each subgraph', async () => {
    await stack.query('{ orders { id } }', { token: tokens.alice });
    const metrics = await scrape(stack.subgraphs.orders.server.url);
    expect(metrics).toMatch(/authorization_denials_total\{rule="Only admins can list all orders",reason="FORBIDDEN",engine="shield",service="orders"\} [1-9]/);
  });
});

describe('logs', () => {
  it('never contain a token', async () => {
    await stack.query('{ myOrders { id } }', { token: tokens.alice });
    await stack.query('{ myOrders { id } }', { token: `${tokens.alice}x` });
    const text = logs.map((entry) => JSON.stringify(entry)).join('\n');
    expect(text).not.toContain(tokens.alice.split('.')[2]);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
