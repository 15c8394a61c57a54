/**
 * What tracing costs when it is off, per request: with no exporter configured no SDK is loaded, no
 * span is made and no statement is wrapped (the services ask `tracingActive()` once, at start), so
 * the one thing left on the hot path is the log mixin looking for an active span. Priced here
 * against the same log line without the mixin. `npx vitest bench --run bench/tracing.bench.ts`.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { bench, describe } from 'vitest';
import { createLogger, loggerOptions, tracingActive } from '#platform';

const OPTIONS = { time: 400, warmupTime: 100 };
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('a request log line, tracing off', () => {
  if (tracingActive()) throw new Error('a tracer provider is registered: this bench prices tracing off');
  const withMixin = createLogger('bench', 'info', discard());
  const withoutMixin = pino({ ...loggerOptions('bench', 'info'), mixin: undefined }, discard());
  const line = { requestId: 'b1946ac9-2d7a-4c57-9b3d-61e5a2b1f0c4', operationName: 'MyOrders', status: 200 };

  bench('the services’ logger (trace-id mixin)', () => withMixin.info(line, 'operation'), OPTIONS);
  bench('the same line, no mixin', () => withoutMixin.info(line, 'operation'), OPTIONS);
});
