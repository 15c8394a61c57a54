/** Service plumbing shared by the gateway and the subgraphs: nothing here knows GraphQL's domain or the identity protocol. */
export {
  acrossVariables,
  booleanFlag,
  checkHttpTimeouts,
  ConfigError,
  milliseconds,
  parseEnv,
  readWith,
  type HttpServerTimeouts,
} from './env.ts';
export { fileVariable, readSecretFiles, type SecretsRead } from './secretFiles.ts';
export {
  badUserInput,
  CLIENT_SAFE_CODES,
  createErrorFormatter,
  ErrorCode,
  forbidden,
  GENERIC_MESSAGE,
  notFound,
  serviceUnavailable,
  unauthenticated,
  type ErrorFormatterOptions,
} from './errors.ts';
export { assignRequestId, identifyRequest, jsonErrorHandler, pathOf, sendGraphQLError, sendJson } from './http.ts';
export { BodyRejected, readJsonBody } from './jsonBody.ts';
export { answerGraphQL, graphqlMiddleware, searchOf, type GraphQLMiddlewareOptions } from './graphqlMiddleware.ts';
export { REQUEST_ID_HEADER, requestIdFrom } from './requestId.ts';
export { createLogger, loggerOptions, logOperations, type Logger } from './logger.ts';
export {
  boundedLabel,
  clientOperationName,
  createServiceMetrics,
  operationOutcome,
  UNNAMED_OPERATION,
  type ServiceMetrics,
} from './metrics.ts';
export {
  readTracingConfig,
  startTracing,
  traceIds,
  tracer,
  tracingActive,
  TRACING_ENV,
  TRUST_INCOMING_ENV,
  type TracingConfig,
} from './tracing.ts';
// Type only: the SDK module itself loads only when tracing is on.
export type { RunningTracing } from './tracingSdk.ts';
export {
  clientSpan,
  nameOperationSpans,
  operationSpans,
  requestSpans,
  withOperationSpan,
  withRequestSpan,
  type ClientSpan,
  type RequestSpanOptions,
} from './tracingHttp.ts';
export { METRICS_PORT_OFFSET, startMetricsServer, type MetricsEndpoint, type RunningMetricsServer } from './metricsServer.ts';
export { closeConnectionsWhenDraining, createBoundedServer, listen, settlesWithin, within, type Draining } from './lifecycle.ts';
export {
  exitOnConfigError,
  exitOnStartupFailure,
  StartupProblem,
  startupFailureLine,
  type StartupSettings,
} from './startupFailure.ts';
export { onShutdownSignal } from './shutdown.ts';
export { unknownVariableWarnings, type KnownVariables } from './unknownVariables.ts';
