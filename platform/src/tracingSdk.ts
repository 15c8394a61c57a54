/**
 * The OpenTelemetry SDK, configured by the standard `OTEL_*` variables (exporter, endpoint,
 * protocol, headers, sampler, propagators, resource attributes). Imported only when tracing is on.
 */
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface RunningTracing {
  /** Exports what is buffered, then stops; resolves at once when tracing is off. */
  shutdown(): Promise<void>;
}

export function startTracingSdk(service: string): RunningTracing {
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, names the service; otherwise its own name does.
    ...(process.env.OTEL_SERVICE_NAME ? {} : { serviceName: service }),
    // Outgoing fetches (subgraph calls, onward calls, JWKS) get client spans and carry `traceparent`.
    instrumentations: [new UndiciInstrumentation()],
    // Metrics are Prometheus's (/metrics) and logs pino's: the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
