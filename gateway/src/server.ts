import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import {
  assignRequestId,
  closeConnectionsWhenDraining,
  createBoundedServer,
  createErrorFormatter,
  createLogger,
  graphqlMiddleware,
  jsonErrorHandler,
  listen,
  logOperations,
  startMetricsServer,
  type Logger,
} from '#platform';
import { createAdmission, mountHealthRoutes } from './admission.ts';
import { authenticate, viewerOf } from './auth/authenticate.ts';
import { createClientTokenVerifier } from './auth/clientToken.ts';
import { authenticateUnlessLandingPage } from './auth/landingPage.ts';
import { createTokenChecks } from './auth/tokenChecks.ts';
import { codeApolloClientErrors, OPERATION_NOT_SUPPORTED, refuseUnrunnableOperations } from './clientMistakes.ts';
import type { GatewayConfig } from './config.ts';
import { followedDemandHints } from './limits/demandHints.ts';
import { hideServiceNames } from './hideServiceNames.ts';
import { cors } from './cors.ts';
import { sandboxLandingPage } from './landingPage.ts';
import { operationLimitRules } from './limits/operationLimits.ts';
import { subgraphFetchGuard } from './limits/planGuard.ts';
import { createGatewayMetrics } from './metrics.ts';
import { apolloLogger } from './apolloLogger.ts';
import { gatewayTracing } from './requestTracing.ts';
import { IdentityDataSource, SERVICE_UNAVAILABLE, type GatewayContext } from './propagation/IdentityDataSource.ts';
import { createIdentitySigner } from '#identity';
import { subgraphNamed, type SubgraphName } from '#roster';
import { createRateLimits, RATE_LIMITED } from './rateLimits/rateLimits.ts';
import { createTrustedDocuments, PERSISTED_QUERY_NOT_ALLOWED } from './trustedDocuments/trustedDocuments.ts';
import { loadOrCreateDevSigningKey } from './propagation/devSigningKey.ts';
import { createSubgraphHttpClient } from './propagation/subgraphFetch.ts';
import { supergraphSource } from './supergraph.ts';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  /** Where /metrics is served: its own port in production, beside GraphQL in development. */
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

export interface GatewayDependencies {
  logger?: Logger;
  now?: () => Date;
}

export async function startGateway(config: GatewayConfig, deps: GatewayDependencies = {}): Promise<RunningGateway> {
  const logger = deps.logger ?? createLogger('gateway', config.logLevel);
  if (config.clientAuth.usingDevSecret) {
    logger.warn('No JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: verifying client tokens with the development secret');
  }
  const signer = await createIdentitySigner({
    issuer: config.identity.issuer,
    publishedKeys: config.identity.publishedKeys,
    // Config sets devKeyFile whenever no key is configured (never in production, which requires one).
    signingKey: config.identity.signingKey ?? loadOrCreateDevSigningKey(config.identity.devKeyFile!),
    // A cached token must outlive any request it is sent with.
    refreshMarginSeconds: Math.ceil(config.timeouts.requestMs / 1000),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const verifyClientToken = createClientTokenVerifier(config.clientAuth, deps.now ? { now: deps.now } : {});

  const tokenChecks = createTokenChecks(config.clientAuth, config.rateLimits.redis, signer, logger, deps.now);
  await tokenChecks.ready();
  const metrics = createGatewayMetrics();
  const rateLimits = await createRateLimits(config.rateLimits, logger, metrics.registry);
  const trustedDocuments = createTrustedDocuments(config.trustedDocuments, logger, metrics.registry);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createBoundedServer(app, config.timeouts.http);
  const draining = closeConnectionsWhenDraining(httpServer);
  const admission = createAdmission({
    maxConcurrentRequests: config.maxConcurrentRequests,
    requestTimeoutMs: config.timeouts.requestMs,
  });
  const upstream = createSubgraphHttpClient(config.timeouts);

  // Served before the gateway loads, so subgraphs can verify tokens while it composes.
  mountHealthRoutes(app, admission);
  app.use('/graphql', admission.gate);
  app.get('/.well-known/jwks.json', (_req, res) => void res.json(signer.jwks));
  const metricsServer = config.metrics
    ? await startMetricsServer(metrics.route, config.metrics, tokenChecks.adminRoute)
    : undefined;
  if (!metricsServer && tokenChecks.adminRoute) {
    logger.warn('REVOCATION_ADMIN_TOKEN is set, but the revocation endpoint is only served on METRICS_PORT: it is off');
  }
  if (!metricsServer) app.get('/metrics', metrics.route);
  app.get('/', (_req, res) => res.redirect('/graphql'));
  await listen(httpServer, config.port, config.host);

  const gateway = new ApolloGateway({
    ...supergraphSource(config),
    buildService: ({ name, url }) =>
      new IdentityDataSource(
        name,
        config.subgraphUrls[name as SubgraphName] ?? url!,
        signer,
        subgraphNamed(name).onwardTargets,
        metrics.timedFetcher(name, upstream.fetcher),
        config.timeouts.subgraphMs,
      ),
    logger: apolloLogger(logger),
    experimental_didResolveQueryPlan: subgraphFetchGuard(config.limits.maxSubgraphFetches),
  });
  const demand = followedDemandHints(config.limits.defaultListSize);
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => demand.update(coreSupergraphSdl));
  const formatError = createErrorFormatter({
    debug: config.debugErrors,
    extraSafeCodes: [SERVICE_UNAVAILABLE, OPERATION_NOT_SUPPORTED, RATE_LIMITED, PERSISTED_QUERY_NOT_ALLOWED],
    hideSuggestions: config.production,
    onUnexpected: (error) => logger.error({ err: error }, 'unexpected error'),
  });
  const hideNames = config.production ? hideServiceNames(Object.keys(config.subgraphUrls)) : undefined;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    // Our entry points own SIGTERM: Apollo's handler would re-raise it and exit non-zero.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.debugErrors,
    formatError: (formatted, error) => {
      const forClient = formatError(codeApolloClientErrors(formatted, error), error);
      return hideNames ? hideNames(forClient) : forClient;
    },
    validationRules: operationLimitRules(config.limits, demand.hints),
    parseOptions: { maxTokens: config.limits.maxTokens },
    plugins: [
      // In-flight requests get the whole shutdown budget (more than their own deadline) to answer.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.timeouts.shutdownMs }),
      metrics.plugin,
      logOperations(),
      refuseUnrunnableOperations(),
      trustedDocuments.plugin,
      rateLimits.plugin,
      config.landingPage ? sandboxLandingPage() : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const tracing = gatewayTracing(config.tracing);
  app.use(
    '/graphql',
    tracing.requests,
    cors(config.cors),
    assignRequestId(logger),
    express.json({ limit: config.limits.maxBodyBytes }),
    authenticateUnlessLandingPage(
      config.landingPage,
      authenticate({
        verify: verifyClientToken,
        required: config.clientAuth.required,
        ...tokenChecks.authenticate,
        onRejected: (reason, res) => {
          metrics.authenticationFailed(reason);
          tracing.rejected(reason, res);
          (res.locals.log as Logger).info({ reason }, 'client token rejected');
        },
      }),
    ),
    tracing.authenticated,
    rateLimits.middleware,
    trustedDocuments.middleware,
    graphqlMiddleware(apollo, {
      context: async ({ res }) => ({
        viewer: viewerOf(res),
        requestId: res.locals.requestId as string,
        log: res.locals.log as Logger,
        ...rateLimits.context(res),
        deadline: res.locals.deadline as number,
      }),
    }),
  );
  app.use(jsonErrorHandler);
  admission.markReady();

  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url }, 'gateway ready');
  const metricsUrl = metricsServer?.url ?? url.replace(/\/graphql$/, '/metrics');
  return {
    url,
    port,
    metricsUrl,
    async stop() {
      admission.markDraining();
      draining.start();
      await apollo.stop();
      await upstream.close();
      await metricsServer?.close();
      await tokenChecks.close();
    },
  };
}
