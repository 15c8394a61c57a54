import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import type { Span } from '@opentelemetry/api';
import { auditDenials, type RequestScope } from './audit.ts';
import { DEFAULT_SUBGRAPH_TIMEOUTS, type SubgraphTimeouts } from './config.ts';
import {
  answerGraphQL,
  pathOf,
  BodyRejected,
  createErrorFormatter,
  ErrorCode,
  identifyRequest,
  readJsonBody,
  sendGraphQLError,
  sendJson,
  closeConnectionsWhenDraining,
  createBoundedServer,
  listen,
  within,
  type Draining,
  logOperations,
  type Logger,
  createServiceMetrics,
  startMetricsServer,
  type MetricsEndpoint,
  nameOperationSpans,
  tracingActive,
  withOperationSpan,
  withRequestSpan,
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

/** The largest request body a subgraph reads; the gateway's own documents are far smaller. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function startSubgraphServer<Context extends object>(
  options: SubgraphServerOptions<Context>,
): Promise<RunningServer> {
  const { service, logger } = options;
  const timeouts = options.timeouts ?? DEFAULT_SUBGRAPH_TIMEOUTS;
  const metrics = createServiceMetrics(service.name);
  // Subgraphs always continue their caller's trace: only the gateway and other subgraphs reach them.
  const traced = tracingActive();
  // The drain plugin needs the server before the routes exist; it listens only once they do.
  const serving: { routes?: Routes } = {};
  const httpServer = createBoundedServer((req, res) => serve(serving.routes!, req, res), timeouts.http);
  const draining = closeConnectionsWhenDraining(httpServer);

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
      ...(traced ? [nameOperationSpans()] : []),
    ],
  });
  await apollo.start();

  const metricsServer = options.metrics ? await startMetricsServer(metrics.route, options.metrics) : undefined;
  const ready = readinessRoute(service, draining, timeouts.healthMs);
  serving.routes = {
    get: new Map<string, Handler>([
      ['/health/live', async (_req, res) => sendJson(res, 200, { status: 'ok' })],
      ['/health/ready', ready],
      ['/health', ready],
      ...(metricsServer ? [] : [['/metrics', metrics.route] as const]),
    ]),
    graphql: graphqlRoute({ apollo, service, logger, verifyIdentity: options.verifyIdentity, traced }),
  };

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

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface Routes {
  /** Exact paths answered for GET (and HEAD); a Map, so `/__proto__` is no route. */
  readonly get: ReadonlyMap<string, Handler>;
  /** `/graphql`, any method: Apollo Server says which it serves. */
  readonly graphql: Handler;
}

/** Routes one request; what no route takes is a JSON 404, and a failure a JSON 500 without its stack. */
function serve(routes: Routes, req: IncomingMessage, res: ServerResponse): void {
  const path = withoutTrailingSlash(pathOf(req.url));
  const get = req.method === 'GET' || req.method === 'HEAD';
  const handler = path === '/graphql' ? routes.graphql : get ? routes.get.get(path) : undefined;
  if (!handler) return sendJson(res, 404, { error: 'not found' });
  handler(req, res).catch(() => {
    if (res.headersSent) return void res.destroy();
    sendGraphQLError(res, 500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
  });
}

/** `/health/` is `/health`, as it was under Express. */
const withoutTrailingSlash = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

interface GraphQLRouteOptions<Context extends object> {
  apollo: ApolloServer<Context & RequestScope>;
  service: SubgraphService<Context>;
  logger: Logger;
  verifyIdentity: IdentityVerifier;
  traced: boolean;
}

/**
 * `/graphql`: a request id and its logger, the identity token checked before the body is read (a
 * caller without one costs us nothing), the JSON body, then Apollo Server; spans around it all
 * when tracing is on.
 */
function graphqlRoute<Context extends object>(options: GraphQLRouteOptions<Context>): Handler {
  const { apollo, service, logger, verifyIdentity, traced } = options;
  const answer = async (req: IncomingMessage, res: ServerResponse, { requestId, log }: { requestId: string; log: Logger }) => {
    let viewer: Viewer;
    try {
      // Onward tokens are checked here too: nothing unbound to this request's own token is forwarded.
      viewer = await verifyIdentity(headerOf(req, IDENTITY_HEADER), onwardTokensIn(req.headers));
    } catch (error) {
      if (!(error instanceof IdentityRejected)) throw error;
      log.warn({ reason: error.reason }, 'identity token rejected');
      return sendGraphQLError(res, 401, 'A valid identity token from the gateway is required', ErrorCode.UNAUTHENTICATED);
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyRejected)) throw error;
      return sendGraphQLError(res, error.status, error.message, 'BAD_REQUEST');
    }
    const run = (operationSpan?: Span) =>
      answerGraphQL(apollo, req, res, body, async () => {
        const scope: RequestScope = { viewer, requestId, log, ...(operationSpan ? { operationSpan } : {}) };
        return { ...service.createContext({ viewer, headers: req.headers, requestId }), ...scope };
      });
    return traced ? withOperationSpan(res, run) : run();
  };
  return async (req, res) => {
    const identified = identifyRequest(req, res, logger);
    if (!traced) return answer(req, res, identified);
    const route = { trustIncoming: true };
    return withRequestSpan(
      req,
      res,
      '/graphql',
      route,
      () => answer(req, res, identified),
      () => identified.requestId,
    );
  };
}

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Ready while not draining and the database answers within `timeoutMs`: a load balancer learns
 * of a locked or lost database in about a second, not when the lock is released.
 */
function readinessRoute(service: SubgraphService<object>, draining: Draining, timeoutMs: number): Handler {
  return async (_req, res) => {
    if (draining.active) return sendJson(res, 503, { status: 'draining' });
    try {
      await within(service.checkHealth(), timeoutMs, () => new Error('health check timed out'));
      sendJson(res, 200, { status: 'ok' });
    } catch {
      sendJson(res, 503, { status: 'unavailable' });
    }
  };
}
