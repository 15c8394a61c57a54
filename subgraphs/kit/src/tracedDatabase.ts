import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { tracer } from '#platform';
import type { Database, Queryable } from './db.ts';

/** `SELECT`, `INSERT`, ...: the span's name; the statement itself is an attribute. */
const verbOf = (sql: string) => /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';

async function inSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Wraps a database so that every statement of a request is a CLIENT span, a child of the span
 * active when it was called (or of its transaction's). Each span starts at the call, so time queued for PGlite's
 * one connection or the pool counts. The SQL text is recorded, its parameters never.
 */
export function traceStatements(db: Database, namespace: string): Database {
  const attributes = { 'db.system.name': 'postgresql', 'db.namespace': namespace, 'db.client.driver': db.driver };
  const statement = (parent: Context, sql: string) =>
    tracer().startSpan(verbOf(sql), { kind: SpanKind.CLIENT, attributes: { ...attributes, 'db.query.text': sql } }, parent);
  // Outside a request (migrations, readiness probes) a statement would be a trace of its own: noise.
  const run = <T>(parent: Context, sql: string, work: () => Promise<T>) =>
    trace.getSpan(parent) ? inSpan(statement(parent, sql), work) : work();
  const traced = (target: Queryable, parentOf: () => Context): Queryable => ({
    query: (sql, params) => run(parentOf(), sql, () => target.query(sql, params)),
    exec: (sql) => run(parentOf(), sql, () => target.exec(sql)),
  });
  const outside = traced(db, () => context.active());
  return {
    driver: db.driver,
    ...outside,
    transaction: (work) => {
      if (!trace.getSpan(context.active())) return db.transaction(work);
      const span = tracer().startSpan('transaction', { kind: SpanKind.CLIENT, attributes }, context.active());
      const inside = trace.setSpan(context.active(), span);
      // The driver may run `work` from another request's continuation: its statements name their parent.
      return inSpan(span, () => db.transaction((tx) => work(traced(tx, () => inside))));
    },
    close: () => db.close(),
  };
}
