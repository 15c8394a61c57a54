/** Service plumbing shared by the gateway and the subgraphs: nothing here knows GraphQL's domain or the identity protocol. */
export { booleanFlag, checkHttpTimeouts, ConfigError, milliseconds, parseEnv, type HttpServerTimeouts } from './env.ts';
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
export { assignRequestId, jsonErrorHandler, sendGraphQLError } from './http.ts';
export { graphqlMiddleware, searchOf, type GraphQLMiddlewareOptions } from './graphqlMiddleware.ts';
export { REQUEST_ID_HEADER, requestIdFrom } from './requestId.ts';
export { createLogger, logOperations, type Logger } from './logger.ts';
export { boundedLabel, createServiceMetrics, type ServiceMetrics } from './metrics.ts';
export { METRICS_PORT_OFFSET, startMetricsServer, type MetricsEndpoint, type RunningMetricsServer } from './metricsServer.ts';
export { closeConnectionsWhenDraining, createBoundedServer, settlesWithin, within, type Draining } from './lifecycle.ts';
export { onShutdownSignal } from './shutdown.ts';
