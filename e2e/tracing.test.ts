/**
 * Tracing turned on as an operator would (OTEL_EXPORTER_OTLP_ENDPOINT on every service), against a
 * stand-in collector: one client request is one trace, from the gateway through each subgraph and
 * its onward calls to every SQL statement, with the authorization story on it and no token in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorStandIn, type CollectorStandIn, type ReceivedSpan } from './collectorStandIn.ts';
import { DEMO } from './stack.ts';
import { startTracedStack, type TracedStack } from './tracedStack.ts';

const SERVER = 2;
const CLIENT = 3;

let collector: CollectorStandIn;
let stack: TracedStack;

beforeAll(async () => {
  collector = await startCollectorStandIn();
  stack = await startTracedStack(collector.endpoint);
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await collector?.close();
});

/** The gateway's SERVER span of the request that answered with `requestId`, once exported. */
async function gatewaySpanOf(requestId: string): Promise<ReceivedSpan> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const span = collector.spans.find(
      (s) => s.service === 'gateway' && s.kind === SERVER && s.attributes['request.id'] === requestId,
    );
    if (span) return span;
    if (Date.now() > deadline) throw new Error(`no gateway span for request ${requestId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every span of `traceId`, once `ready` holds for them (exports arrive service by service). */
async function traceOf(traceId: string, ready: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const spans = collector.spans.filter((span) => span.traceId === traceId);
    if (ready(spans)) return spans;
    if (Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `span`'s ancestors, nearest first, across services. */
function ancestorsOf(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) chain.push(parent);
  return chain;
}

const statementsOf = (service: string, spans: ReceivedSpan[]) =>
  spans.filter((span) => span.service === service && typeof span.attributes['db.query.text'] === 'string');

/** Rendered hop by hop: `gateway:gateway.fetch > gateway:GET > inventory:POST /graphql > ...`, root last. */
const hops = (span: ReceivedSpan, spans: ReceivedSpan[]) =>
  [span, ...ancestorsOf(span, spans)].map((s) => `${s.service}:${s.kind}`);

describe('one client request is one trace', () => {
  let spans: ReceivedSpan[];
  let root: ReceivedSpan;
  let token: string;
  let logs: string;
  let requestId: string;

  beforeAll(async () => {
    token = await stack.token(DEMO.alice);
    const response = await stack.query(
      'query AliceView { myOrders { id items { quantity product { name quantityOnHand } } payments { amountCents } } }',
      { token },
    );
    expect(response.body.data.myOrders.length).toBeGreaterThan(0);
    requestId = response.headers.get('x-request-id')!;
    root = await gatewaySpanOf(requestId);
    spans = await traceOf(root.traceId, (found) =>
      ['orders', 'payments', 'inventory'].every((name) => statementsOf(name, found).length > 0),
    );
    logs = Object.values(stack.services)
      .map((service) => service.output())
      .join('\n');
  });

  it('starts at the gateway and reaches every subgraph, each down to its SQL statements', () => {
    expect(root.parentSpanId).toBeUndefined();
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['gateway', 'orders', 'payments', 'inventory']));
    expect(spans.map((span) => span.name)).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.fetch']));
    for (const subgraph of ['orders', 'payments', 'inventory']) {
      const statement = statementsOf(subgraph, spans)[0]!;
      const chain = [statement, ...ancestorsOf(statement, spans)];
      // SQL <- the subgraph's operation <- its SERVER span <- the gateway's HTTP client <- gateway.fetch ... <- the root.
      expect(chain.at(-1), hops(statement, spans).join(' > ')).toBe(root);
      const server = chain.find((span) => span.service === subgraph && span.kind === SERVER)!;
      expect(chain.find((span) => span.service === subgraph && span.name.startsWith('query'))).toBeDefined();
      const [caller] = ancestorsOf(server, spans);
      expect(caller).toMatchObject({ service: 'gateway', kind: CLIENT });
      expect(chain.find((span) => span.name === 'gateway.fetch')?.attributes.service).toBe(subgraph);
    }
  });

  it('shows each denial on the operation that was denied, with the rule in words and the path', () => {
    const denials = spans.flatMap((span) =>
      span.events.filter((event) => event.name === 'authorization.denied').map((event) => ({ span, ...event.attributes })),
    );
    expect(denials.length).toBeGreaterThan(0);
    for (const denial of denials) {
      expect(denial).toMatchObject({
        'authorization.rule': 'Only warehouse staff and admins can see stock levels',
        'authorization.rule_id': 'stock:read',
        'authorization.reason': 'FORBIDDEN',
        'graphql.field.path': expect.stringMatching(/^_entities\.\d+\.quantityOnHand$/),
      });
      expect(denial.span).toMatchObject({ service: 'inventory', name: expect.stringMatching(/^query /) });
    }
  });

  it('puts the authentication outcome and the caller on the request span, and nothing of the token anywhere', () => {
    expect(root.attributes).toMatchObject({ 'auth.outcome': 'authenticated', 'user.id': 'alice' });
    const text = JSON.stringify(collector.spans);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('records a refused token on the request span, with the reason the metric counts', async () => {
    const response = await stack.query('{ products { sku } }', { token: 'garbage' });
    expect(response.status).toBe(401);
    const refused = await gatewaySpanOf(response.headers.get('x-request-id')!);
    expect(refused.attributes).toMatchObject({
      'auth.outcome': 'rejected',
      'auth.failure_reason': 'malformed',
      'http.response.status_code': 401,
    });
    expect(refused.attributes).not.toHaveProperty('user.id');
  });

  it('exports nothing but the spans of requests', () => {
    expect(collector.spans.filter((span) => span.name === 'tracing probe')).toEqual([]);
  });

  it('stamps the trace id on the log lines of the request, in every service', () => {
    const raw = logs.split('\n').filter((line) => line.startsWith('{') && line.includes(requestId));
    // One key each: a duplicate would be read differently by different log pipelines.
    for (const line of raw)
      expect(line.match(/"(requestId|traceId|spanId)"/g)?.sort()).toEqual(['"requestId"', '"spanId"', '"traceId"']);
    const lines = raw.map((line) => JSON.parse(line)).filter((entry) => entry.requestId === requestId);
    expect(new Set(lines.map((entry) => entry.service))).toEqual(new Set(['gateway', 'orders', 'payments', 'inventory']));
    for (const entry of lines)
      expect(entry).toMatchObject({ traceId: root.traceId, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });
});

describe('onward calls stay in the trace', () => {
  const serverSpansOf = async (token: string, document: string, service: string, caller: string) => {
    const response = await stack.query(document, { token });
    expect(response.body.errors).toBeUndefined();
    const root = await gatewaySpanOf(response.headers.get('x-request-id')!);
    const isOnward = (span: ReceivedSpan, all: ReceivedSpan[]) =>
      span.service === service && span.kind === SERVER && ancestorsOf(span, all).some((a) => a.service === caller);
    const spans = await traceOf(root.traceId, (found) => found.some((span) => isOnward(span, found)));
    return spans.filter((span) => isOnward(span, spans));
  };

  it.each([
    ['payments', 'orders', 'paula', 'mutation { initiatePayment(orderId: "order-3", amountCents: 100) { id } }'],
    ['orders', 'inventory', 'alice', 'mutation { placeOrder(items: [{ sku: "KB-001", quantity: 1 }]) { id } }'],
  ] as const)('%s -> %s', async (caller, target, user, document) => {
    const onward = await serverSpansOf(await stack.token(DEMO[user]), document, target, caller);
    expect(onward.length).toBeGreaterThan(0);
  });
});

describe("a client's traceparent", () => {
  const clientTrace = () => {
    const traceId = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    return { traceId, header: `00-${traceId}-00f067aa0ba902b7-01` };
  };

  it('is ignored by default: the gateway starts a trace of its own', async () => {
    const sent = clientTrace();
    const response = await stack.query('{ products { sku } }', { headers: { traceparent: sent.header } });
    const root = await gatewaySpanOf(response.headers.get('x-request-id')!);
    expect(root.traceId).not.toBe(sent.traceId);
    expect(root.parentSpanId).toBeUndefined();
    expect(collector.spans.some((span) => span.traceId === sent.traceId)).toBe(false);
  });

  it('is continued when the operator trusts clients (OTEL_TRUST_INCOMING=true)', async () => {
    const trusting = await stack.startGateway({ OTEL_TRUST_INCOMING: 'true' });
    try {
      const sent = clientTrace();
      const response = await trusting.query('{ products { sku } }', { headers: { traceparent: sent.header } });
      const root = await gatewaySpanOf(response.headers.get('x-request-id')!);
      expect(root).toMatchObject({ traceId: sent.traceId, parentSpanId: '00f067aa0ba902b7' });
    } finally {
      await trusting.stop();
    }
  });
});
