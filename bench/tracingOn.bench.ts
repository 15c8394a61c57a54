/**
 * What tracing costs when it is on, beside bench/tracing.bench.ts (off): a tracer provider is
 * registered (spans handed to an exporter that drops them, so the price is making and ending
 * spans, not a collector's network), and each hot-path unit is timed inside a request span, traced
 * and untraced. `npx vitest bench --run bench/tracingOn.bench.ts`.
 */
import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { pino } from 'pino';
import { afterAll, bench, describe } from 'vitest';
import { openDatabase } from '#kit';
import { createLogger, loggerOptions, tracer, tracingActive } from '#platform';
import { traceStatements } from '../subgraphs/kit/src/tracedDatabase.ts';

const OPTIONS = { time: 400, warmupTime: 100 };
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

const dropAll: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: dropAll })] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);
if (!tracingActive()) throw new Error('no tracer provider registered: this bench prices tracing on');
afterAll(() => provider.shutdown());

/** `work` as it runs during a traced request: under the request's span. */
const inRequest = <T>(work: () => T): T => {
  const span = tracer().startSpan('request');
  try {
    return context.with(trace.setSpan(context.active(), span), work);
  } finally {
    span.end();
  }
};

describe('a SQL statement (PGlite, in memory), tracing on', async () => {
  const raw = await openDatabase({ driver: 'pglite' });
  const traced = traceStatements(raw, 'bench');
  afterAll(() => raw.close());

  bench('traced: a client span per statement', async () => void (await inRequest(() => traced.query('SELECT 1'))), OPTIONS);
  bench('the same statement, untraced', async () => void (await inRequest(() => raw.query('SELECT 1'))), OPTIONS);
});

describe('a request log line, tracing on', () => {
  const withMixin = createLogger('bench', 'info', discard());
  const withoutMixin = pino({ ...loggerOptions('bench', 'info'), mixin: undefined }, discard());
  const line = { requestId: 'b1946ac9-2d7a-4c57-9b3d-61e5a2b1f0c4', operationName: 'MyOrders', status: 200 };

  bench('with the trace and span ids', () => inRequest(() => withMixin.info(line, 'operation')), OPTIONS);
  bench('the same line, no ids', () => inRequest(() => withoutMixin.info(line, 'operation')), OPTIONS);
});
