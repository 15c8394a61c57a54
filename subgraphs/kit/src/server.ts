import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express, { type RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import { auditDenials, type RequestScope } from './audit.ts';
import { DEFAULT_SUBGRAPH_TIMEOUTS, type SubgraphTimeouts } from './config.ts';
import {
  createErrorFormatter,
  ErrorCode,
  assignRequestId,
  jsonErrorHandler,
  sendGraphQLError,
  closeConnectionsWhenDraining,
  createBoundedServer,
  graphqlMiddleware,
  listen,
  within,
  type Draining,
  logOperations,
  type Logger,
  createServiceMetrics,
  startMetricsServer,
  type MetricsEndpoint,
  nameOperationSpans,
  operationSpans,
  requestSpans,
  tracingActive,
} from '#platform';
import { IdentityRejected, onwardTokensIn, type IdentityVerifier, IDENTITY_HEADER, type Viewer } from '#identity';
import { refuseNulInput } from './inputGuard.ts';

export interface IncomingRequest {
  readonly viewer: Viewer;
  readonly headers: IncomingHttpHeaders;
  /** Also sent on any call this subgraph makes onward, so one id follows the whole request. */
  readonly requestId: string;
}

/** What a subgraph brings; the kit brings the HTTP, the identity check and the error policy. */
export interface SubgraphService<Context extends object> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  createContext(request: IncomingRequest): Context;
  /** Throws when the service cannot serve (its database is gone). */
  checkHealth(): Promise<void>;
}

export interface SubgraphServerOptions<Context extends object> {
  service: SubgraphService<Context>;
  verifyIdentity: IdentityVerifier;
  logger: Logger;
  port: number;
  host?: string;
  debugErrors?: boolean;
  /** /metrics on its own port (production); absent, it is served beside GraphQL. */
  metrics?: MetricsEndpoint;
  timeouts?: Pick<SubgraphTimeouts, 'http' | 'healthMs' | 'shutdownMs'>;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  readonly metricsUrl: string;
  /** Stops taking requests and resolves once the in-flight ones have answered. */
  stop(): Promise<void>;
}

export async function startSubgraphServer<Context extends object>(
  options: SubgraphServerOptions<Context>,
): Promise<RunningServer> {
  const { service, logger } = options;
  const timeouts = options.timeouts ?? DEFAULT_SUBGRAPH_TIMEOUTS;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createBoundedServer(app, timeouts.http);
  const draining = closeConnectionsWhenDraining(httpServer);

  const metrics = createServiceMetrics(service.name);
  // Subgraphs always continue their caller's trace: only the gateway and other subgraphs reach them.
  const tracing = tracingActive()
    ? { requests: [requestSpans({ trustIncoming: true })], operations: [operationSpans()], plugins: [nameOperationSpans()] }
    : { requests: [], operations: [], plugins: [] };
  const apollo = new ApolloServer<Context & RequestScope>({
    schema: service.schema,
    // Our entry points own SIGTERM: Apollo's handler would re-raise it and exit non-zero.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.debugErrors ?? false,
    formatError: createErrorFormatter({
      debug: options.debugErrors ?? false,
      onUnexpected: (error) => logger.error({ err: error }, 'unexpected error'),
      onUnavailable: (error) => logger.warn({ err: error }, 'dependency unavailable'),
    }),
    plugins: [
      // In-flight requests get the whole shutdown budget to answer before their sockets are cut.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: timeouts.shutdownMs }),
      // Traces are for Apollo's cloud reporting, which this stack does not use.
      ApolloServerPluginInlineTraceDisabled(),
      metrics.plugin,
      auditDenials(service.name, metrics.registry),
      refuseNulInput(),
      logOperations(),
      ...tracing.plugins,
    ],
  });
  await apollo.start();

  const ready = readinessRoute(service, draining, timeouts.healthMs);
  app.get('/health/live', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/health/ready', ready);
  app.get('/health', ready);
  const metricsServer = options.metrics ? await startMetricsServer(metrics.route, options.metrics) : undefined;
  if (!metricsServer) app.get('/metrics', metrics.route);
  app.use(
    '/graphql',
    tracing.requests,
    assignRequestId(logger),
    // Before the body is parsed: a caller without a token costs us nothing.
    requireIdentity(options.verifyIdentity),
    express.json({ limit: '1mb' }),
    tracing.operations,
    graphqlMiddleware(apollo, {
      context: async ({ req, res }) => {
        const viewer = res.locals.viewer as Viewer;
        const scope: RequestScope = {
          viewer,
          requestId: res.locals.requestId,
          log: res.locals.log,
          ...(res.locals.operationSpan ? { operationSpan: res.locals.operationSpan } : {}),
        };
        return { ...service.createContext({ viewer, headers: req.headers, requestId: scope.requestId }), ...scope };
      },
    }),
  );
  app.use(jsonErrorHandler);

  await listen(httpServer, options.port, options.host);
  const { port } = httpServer.address() as AddressInfo;
  const host = !options.host || options.host === '0.0.0.0' ? 'localhost' : options.host;
  const url = `http://${host}:${port}/graphql`;
  logger.info({ url }, `${service.name} subgraph ready`);
  const metricsUrl = metricsServer?.url ?? url.replace(/\/graphql$/, '/metrics');
  const stop = async () => {
    draining.start();
    await apollo.stop();
    await metricsServer?.close();
  };
  return { url, port, httpServer, metricsUrl, stop };
}

function requireIdentity(verify: IdentityVerifier): RequestHandler {
  return async (req, res, next) => {
    try {
      // Onward tokens are checked here too: nothing unbound to this request's own token is forwarded.
      res.locals.viewer = await verify(req.get(IDENTITY_HEADER), onwardTokensIn(req.headers));
      next();
    } catch (error) {
      if (!(error instanceof IdentityRejected)) return next(error);
      (res.locals.log as Logger).warn({ reason: error.reason }, 'identity token rejected');
      sendGraphQLError(res, 401, 'A valid identity token from the gateway is required', ErrorCode.UNAUTHENTICATED);
    }
  };
}

/**
 * Ready while not draining and the database answers within `timeoutMs`: a load balancer learns
 * of a locked or lost database in about a second, not when the lock is released.
 */
function readinessRoute(service: SubgraphService<object>, draining: Draining, timeoutMs: number): RequestHandler {
  return async (_req, res) => {
    if (draining.active) return void res.status(503).json({ status: 'draining' });
    try {
      await within(service.checkHealth(), timeoutMs, () => new Error('health check timed out'));
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  };
}
