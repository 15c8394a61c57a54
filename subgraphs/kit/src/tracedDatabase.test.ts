import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracer } from '#platform';
import { recordSpans } from '#platform/testing';
import { openDatabase, type Database } from './db.ts';
import { traceStatements } from './tracedDatabase.ts';

let recording: Awaited<ReturnType<typeof recordSpans>>;
let db: Database;

beforeAll(async () => {
  recording = await recordSpans();
  db = traceStatements(await openDatabase({ driver: 'pglite' }), 'inventory');
  await db.exec('CREATE TABLE stock (sku text primary key, quantity int)');
});
afterAll(async () => {
  await db.close();
  await recording.stop();
});

/** Runs `work` inside a span of its own and returns the spans that ended under it. */
async function under(work: () => Promise<unknown>) {
  const parent = tracer().startSpan('request');
  await context.with(trace.setSpan(context.active(), parent), work);
  parent.end();
  const { spanId } = parent.spanContext();
  return recording.spans().filter((span) => span.parentSpanContext?.spanId === spanId);
}

describe('traceStatements', () => {
  it('makes each statement a child span of the caller, with its SQL and never its parameters', async () => {
    const [span] = await under(() => db.query('SELECT quantity FROM stock WHERE sku = $1', ['secret-sku']));
    expect(span).toMatchObject({
      name: 'SELECT',
      kind: 2,
      attributes: {
        'db.system.name': 'postgresql',
        'db.namespace': 'inventory',
        'db.client.driver': 'pglite',
        'db.query.text': 'SELECT quantity FROM stock WHERE sku = $1',
      },
    });
    expect(JSON.stringify(span!.attributes)).not.toContain('secret-sku');
  });

  it("nests a transaction's statements under the transaction's span, which the caller's holds", async () => {
    const [transaction] = await under(() =>
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO stock VALUES ($1, $2)', ['KB-001', 3]);
        await tx.query('UPDATE stock SET quantity = quantity - 1 WHERE sku = $1', ['KB-001']);
      }),
    );
    expect(transaction!.name).toBe('transaction');
    const inside = recording.spans().filter((span) => span.parentSpanContext?.spanId === transaction!.spanContext().spanId);
    expect(inside.map((span) => span.name)).toEqual(['INSERT', 'UPDATE']);
  });

  it('traces nothing outside a request: migrations and readiness probes make no trace of their own', async () => {
    const before = recording.spans().length;
    await db.query('SELECT 1');
    await db.transaction((tx) => tx.query('SELECT 1'));
    expect(recording.spans()).toHaveLength(before);
  });

  it('marks a failed statement as an error and still rethrows it', async () => {
    let failure: unknown;
    const [span] = await under(() => db.query('SELECT nope FROM stock').catch((error: unknown) => (failure = error)));
    expect(failure).toBeInstanceOf(Error);
    expect(span!.status.code).toBe(2);
  });
});
