/**
 * Tracing switch and helpers. Only `@opentelemetry/api` is loaded here: its calls are no-ops until
 * an SDK registers a tracer provider, and the SDK itself is imported only when tracing is on, so a
 * deployment without a collector loads none of it.
 */
import { isSpanContextValid, ROOT_CONTEXT, trace, type Span, type Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import { booleanFlag } from './env.ts';
import type { RunningTracing } from './tracingSdk.ts';

/** An empty variable is an unset one, as the SDK reads it (compose passes `VAR=` through). */
const unlessEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const endpoint = unlessEmpty(z.url({ protocol: /^https?$/ }).optional());

/** The standard OpenTelemetry variables this project reads itself; the SDK reads the rest. */
export const TRACING_ENV = {
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
  OTEL_TRACES_EXPORTER: unlessEmpty(
    z
      .string()
      .regex(/^\s*(otlp|console|none)(\s*,\s*(otlp|console|none))*\s*$/, 'must list otlp, console or none')
      .optional(),
  ),
  OTEL_SERVICE_NAME: unlessEmpty(z.string().min(1).optional()),
  OTEL_SDK_DISABLED: booleanFlag,
};

/** The gateway's own: whether a client's `traceparent` is continued (subgraphs always continue their caller's). */
export const TRUST_INCOMING_ENV = { OTEL_TRUST_INCOMING: booleanFlag };

export interface TracingConfig {
  /** An exporter is configured: the SDK is started and spans are made. */
  readonly enabled: boolean;
  /** Continue the trace a client's `traceparent` names (gateway only; see docs/observability.md). */
  readonly trustIncoming?: boolean;
}

interface TracingEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_TRACES_EXPORTER?: string | undefined;
  OTEL_SDK_DISABLED: boolean;
}

/** Off unless an OTLP endpoint or a traces exporter other than `none` is set, as the SDK itself decides. */
export function readTracingConfig(env: TracingEnv): TracingConfig {
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((name) => name.trim());
  const exporting = exporters
    ? exporters.some((name) => name !== 'none')
    : Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  return { enabled: exporting && !env.OTEL_SDK_DISABLED };
}

/** Starts the SDK for `service` when `config` says tracing is on; loads nothing otherwise. */
export async function startTracing(service: string, config: TracingConfig): Promise<RunningTracing> {
  if (!config.enabled) return { shutdown: async () => {} };
  const { startTracingSdk } = await import('./tracingSdk.ts');
  return startTracingSdk(service);
}

/** The tracer of this project's own spans. */
export const tracer = (): Tracer => trace.getTracer('federated-authz-gateway');

/**
 * Whether a tracer provider is registered. Services ask once, when they build their middleware,
 * so with tracing off not even a no-op span is made per request.
 */
export function tracingActive(): boolean {
  // Never ended, so never exported: only a registered SDK hands out valid span ids.
  const probe = tracer().startSpan('tracing probe', {}, ROOT_CONTEXT);
  return isSpanContextValid(probe.spanContext());
}

/** Ids for a log line, so logs and traces join: the active span's, if any. */
export function traceIds(): { traceId?: string; spanId?: string } {
  const span: Span | undefined = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
