import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, logOperations } from './logger.ts';
import { recordSpans } from './testing.ts';
import { tracer } from './tracing.ts';

const lines: Record<string, unknown>[] = [];
const log = createLogger('orders', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
const server = new ApolloServer<{ log: typeof log; viewer: { sub: string | null } }>({
  typeDefs: 'type Query { ok: Int  denied: Int }  type Mutation { cancel: Int }',
  resolvers: {
    Query: { ok: () => 1, denied: () => new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } }) },
    Mutation: { cancel: () => 1 },
  },
  plugins: [logOperations()],
});
beforeAll(() => server.start());
afterAll(() => server.stop());

const run = async (query: string, sub: string | null) => {
  lines.length = 0;
  await server.executeOperation({ query }, { contextValue: { log, viewer: { sub } } });
  return lines.find((line) => line.msg === 'operation answered')!;
};

describe('the operation log line', () => {
  it('says who ran which operation, of what type, and how it ended', async () => {
    expect(await run('mutation CancelIt__orders__0 { cancel }', 'alice')).toMatchObject({
      sub: 'alice',
      operationName: 'CancelIt',
      operationType: 'mutation',
      outcome: 'ok',
      status: 200,
      errors: 0,
    });
  });

  it('tells partial results and refusals apart, with the HTTP status answered', async () => {
    expect(await run('query Peek { ok denied }', null)).toMatchObject({ sub: null, outcome: 'partial', status: 200, errors: 1 });
    expect(await run('query Bad { missing }', 'bob')).toMatchObject({ sub: 'bob', outcome: 'error', status: 400 });
  });
});

describe('trace ids on log lines', () => {
  it('are stamped from the active span, and absent outside one', async () => {
    const recording = await recordSpans();
    try {
      lines.length = 0;
      log.info('outside');
      const span = tracer().startSpan('request');
      const { context, trace } = await import('@opentelemetry/api');
      context.with(trace.setSpan(context.active(), span), () => log.info('inside'));
      span.end();
      const { traceId, spanId } = span.spanContext();
      expect(lines[0]).not.toHaveProperty('traceId');
      expect(lines[1]).toMatchObject({ msg: 'inside', traceId, spanId });
    } finally {
      await recording.stop();
    }
  });
});
