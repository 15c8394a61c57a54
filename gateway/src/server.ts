import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Fetcher } from '@apollo/utils.fetcher';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type RequestHandler } from 'express';
import {
  assignRequestId,
  createErrorFormatter,
  createLogger,
  jsonErrorHandler,
  logOperations,
  type Logger,
  type Viewer,
} from '#kit';
import { authenticate } from './auth/authenticate.ts';
import { createClientTokenVerifier, type ClientTokenVerifier } from './auth/clientToken.ts';
import type { GatewayConfig } from './config.ts';
import { cors } from './cors.ts';
import { sandboxLandingPage } from './landingPage.ts';
import { operationLimitRules } from './limits/operationLimits.ts';
import { createGatewayMetrics } from './metrics.ts';
import { IdentityDataSource, SERVICE_UNAVAILABLE, type GatewayContext } from './propagation/IdentityDataSource.ts';
import { createIdentitySigner, type IdentitySigner } from './propagation/identitySigner.ts';
import { ONWARD_CALLS } from './propagation/onward.ts';
import { supergraphSource } from './supergraph.ts';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface GatewayDependencies {
  logger?: Logger;
  now?: () => Date;
  /** Harness-only: see `BenchmarkBaseline`. */
  benchmarkBaseline?: BenchmarkBaseline;
}

/**
 * The load benchmark's baseline (bench/baseline.ts): client tokens decoded without verification and
 * identities sent unsigned, so the harness can price what authentication and signing cost. Only
 * the harness passes it; `main.ts` never does, and no configuration or environment variable can.
 */
export interface BenchmarkBaseline {
  verifyClientToken: ClientTokenVerifier;
  signer: IdentitySigner;
}

export async function startGateway(config: GatewayConfig, deps: GatewayDependencies = {}): Promise<RunningGateway> {
  const logger = deps.logger ?? createLogger('gateway', config.logLevel);
  if (config.clientAuth.usingDevSecret) {
    logger.warn('No JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: verifying client tokens with the development secret');
  }
  const signer =
    deps.benchmarkBaseline?.signer ??
    (await createIdentitySigner({
      issuer: config.identity.issuer,
      publishedKeys: config.identity.publishedKeys,
      ...(config.identity.signingKey ? { signingKey: config.identity.signingKey } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    }));
  const verifyClientToken =
    deps.benchmarkBaseline?.verifyClientToken ??
    createClientTokenVerifier(config.clientAuth, deps.now ? { now: deps.now } : {});

  const metrics = createGatewayMetrics();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  let ready = false;

  // Served before the gateway loads, so subgraphs can verify tokens while it composes.
  app.get('/health', (_req, res) => void res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'starting' }));
  app.get('/.well-known/jwks.json', (_req, res) => void res.json(signer.jwks));
  app.get('/metrics', metrics.route);
  app.get('/', (_req, res) => res.redirect('/graphql'));
  await listen(httpServer, config);

  const gateway = new ApolloGateway({
    ...supergraphSource(config),
    buildService: ({ name, url }) =>
      new IdentityDataSource(
        name,
        config.subgraphUrls[name as keyof GatewayConfig['subgraphUrls']] ?? url!,
        signer,
        ONWARD_CALLS[name] ?? [],
        metrics.timedFetcher(name, fetch as unknown as Fetcher),
      ),
    logger: { debug: () => {}, info: (msg) => logger.info(msg), warn: (msg) => logger.warn(msg), error: (msg) => logger.error(msg) },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    // Our entry points own SIGTERM: Apollo's handler would re-raise it and exit non-zero.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.debugErrors,
    formatError: createErrorFormatter({
      debug: config.debugErrors,
      extraSafeCodes: [SERVICE_UNAVAILABLE],
      hideSuggestions: config.production,
      onUnexpected: (error) => logger.error({ err: error }, 'unexpected error'),
    }),
    validationRules: operationLimitRules(config.limits),
    parseOptions: { maxTokens: config.limits.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metrics.plugin,
      logOperations(),
      config.landingPage ? sandboxLandingPage() : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    cors(config.cors),
    assignRequestId(logger),
    express.json({ limit: config.limits.maxBodyBytes }),
    unlessLandingPage(
      authenticate({
        verify: verifyClientToken,
        required: config.clientAuth.required,
        onRejected: (reason, res) => {
          metrics.authenticationFailed(reason);
          (res.locals.log as Logger).info({ reason }, 'client token rejected');
        },
      }),
    ),
    expressMiddleware(apollo, {
      context: async ({ res }) => ({
        viewer: res.locals.viewer as Viewer,
        requestId: res.locals.requestId as string,
        log: res.locals.log as Logger,
      }),
    }),
  );
  app.use(jsonErrorHandler);
  ready = true;

  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url }, 'gateway ready');
  return { url, port, stop: () => apollo.stop() };
}

function listen(httpServer: ReturnType<typeof createServer>, config: GatewayConfig): Promise<void> {
  return new Promise((resolve) => httpServer.listen(config.port, config.host, resolve));
}

/** The Sandbox page itself needs no token; every operation does go through authentication. */
function unlessLandingPage(handler: RequestHandler): RequestHandler {
  return (req, res, next) =>
    req.method === 'GET' && req.query.query === undefined && req.accepts('html') ? next() : handler(req, res, next);
}
