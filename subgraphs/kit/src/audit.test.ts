import { GraphQLError } from 'graphql';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { auditDenials, type RequestScope } from './audit.ts';
import { hasPermission, NO_RULE_MESSAGE } from './authorization.ts';
import { forbidden, unauthenticated, createLogger, tracer } from '#platform';
import { recordSpans } from '#platform/testing';

// Registers the words of a rule that checks a permission, as a subgraph's permissions module does.
hasPermission('stock:read', 'Only staff can see stock');

/** Runs the audit plugin over one request's errors and returns the raw log lines and the metric text. */
async function audit(errors: GraphQLError[], scope: Partial<RequestScope> = {}) {
  const lines: string[] = [];
  const registry = new Registry();
  const log = createLogger('orders', 'info', { write: (line: string) => void lines.push(line) }).child({ requestId: 'req-1' });
  const contextValue: RequestScope = { requestId: 'req-1', viewer: { sub: 'bob', roles: [] } as never, log, ...scope };
  const listener = await auditDenials('orders', registry).requestDidStart!({} as never);
  await listener!.didEncounterErrors!({ errors, contextValue, operationName: 'Peek__orders__0' } as never);
  return { lines, metrics: await registry.metrics() };
}

const denied = (words: string, path: (string | number)[]) => {
  const error = forbidden(words);
  return new GraphQLError(error.message, { path, extensions: error.extensions });
};

describe('auditDenials', () => {
  it('writes one line per rule and reason, with the count and the first five paths', async () => {
    const errors = [
      ...Array.from({ length: 1000 }, (_, i) => denied('Only staff can see stock', ['products', i, 'quantityOnHand'])),
      denied('Only admins can list all orders', ['orders']),
      new GraphQLError(unauthenticated('You must be signed in').message, {
        path: ['me'],
        extensions: { code: 'UNAUTHENTICATED' },
      }),
      new GraphQLError('boom', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ];
    const { lines, metrics } = await audit(errors);
    const events = lines.map((line) => JSON.parse(line));
    expect(events.map(({ rule, reason, count }) => [rule, reason, count])).toEqual([
      ['Only staff can see stock', 'FORBIDDEN', 1000],
      ['Only admins can list all orders', 'FORBIDDEN', 1],
      ['You must be signed in', 'UNAUTHENTICATED', 1],
    ]);
    expect(events[0]).toMatchObject({
      event: 'authorization.denied',
      requestId: 'req-1',
      sub: 'bob',
      subgraph: 'orders',
      operationName: 'Peek',
      engine: 'shield',
      paths: [0, 1, 2, 3, 4].map((i) => `products.${i}.quantityOnHand`),
    });
    expect(metrics).toMatch(/authorization_denials_total\{rule="stock:read",reason="FORBIDDEN",engine="shield"\} 1000/);
  });

  it('labels denials with stable rule ids, and gives the words once, in authorization_rule_info', async () => {
    const { lines, metrics } = await audit([
      denied('Only staff can see stock', ['products', 0, 'quantityOnHand']),
      denied("Only the order's owner can cancel it", ['cancelOrder']),
      denied(NO_RULE_MESSAGE, ['secret']),
    ]);
    const denials = metrics.split('\n').filter((line) => line.startsWith('authorization_denials_total{'));
    expect(denials.map((line) => /rule="([^"]*)"/.exec(line)![1])).toEqual([
      'stock:read',
      'only_the_order_s_owner_can_cancel_it',
      'no_rule',
    ]);
    expect(metrics).toContain('authorization_rule_info{rule="stock:read",words="Only staff can see stock"} 1');
    expect(metrics).toMatch(/# HELP authorization_denials_total .*FORBIDDEN.*UNAUTHENTICATED/);
    expect(JSON.parse(lines[1]!)).toMatchObject({
      rule: "Only the order's owner can cancel it",
      ruleId: 'only_the_order_s_owner_can_cancel_it',
    });
  });

  it("adds one event per denied field to the operation's span: the rule in words, its id, the reason, the path", async () => {
    const recording = await recordSpans();
    try {
      const span = tracer().startSpan('query Peek');
      await audit(
        [
          denied('Only staff can see stock', ['products', 0, 'quantityOnHand']),
          denied('Only staff can see stock', ['products', 1, 'quantityOnHand']),
        ],
        {
          operationSpan: span,
        },
      );
      span.end();
      const [recorded] = recording.spans();
      expect(recorded!.events.map((event) => [event.name, event.attributes])).toEqual(
        [0, 1].map((i) => [
          'authorization.denied',
          {
            'authorization.rule': 'Only staff can see stock',
            'authorization.rule_id': 'stock:read',
            'authorization.reason': 'FORBIDDEN',
            'authorization.engine': 'shield',
            'graphql.field.path': `products.${i}.quantityOnHand`,
          },
        ]),
      );
    } finally {
      await recording.stop();
    }
  });

  it('carries the request id once: the request logger stamps it', async () => {
    const { lines } = await audit([denied('Only admins can list all orders', ['orders'])]);
    expect(lines[0]!.match(/"requestId"/g)).toHaveLength(1);
  });

  it('writes nothing when nothing was denied', async () => {
    expect((await audit([new GraphQLError('bad', { extensions: { code: 'BAD_USER_INPUT' } })])).lines).toEqual([]);
  });
});
