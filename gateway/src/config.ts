import type { KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import {
  acrossVariables,
  booleanFlag,
  checkHttpTimeouts,
  fileVariable,
  METRICS_PORT_OFFSET,
  milliseconds,
  parseEnv,
  readSecretFiles,
  readTracingConfig,
  TRACING_ENV,
  TRUST_INCOMING_ENV,
  type TracingConfig,
  readWith,
  type HttpServerTimeouts,
  type MetricsEndpoint,
  unknownVariableWarnings,
} from '#platform';
import { PROJECT_VARIABLES } from '#variables';
import { DEFAULT_IDENTITY_ISSUER, IDENTITY_TOKEN_TTL_SECONDS, publishedKeyProblem, readIdentitySigningKey } from '#identity';
import type { OperationLimits } from './limits/operationLimits.ts';
import { rateLimitEnv, readRateLimits } from './rateLimits/config.ts';
import type { RateLimitsConfig } from './rateLimits/policy.ts';
import { readTrustedDocuments, trustedDocumentsEnv, type TrustedDocumentsConfig } from './trustedDocuments/config.ts';
import { DEV_CLIENT_AUTH } from './auth/devClientAuth.ts';
import { readTokens, TOKEN_SECRETS, tokenEnv, tokenProblems, type TokensConfig } from './auth/config.ts';
import { corsOrigins, type CorsConfig } from './cors.ts';
import { checkClientAuth, clientAuthVariables, clientAuthWarnings } from './clientAuthEnv.ts';
import { localUrlOf, SUBGRAPHS, type SubgraphEntry, type SubgraphName } from '#roster';

/** Re-exported: the development key and issuer are part of the gateway's configuration. */
export { DEV_CLIENT_AUTH };

export type ClientKeyConfig =
  | { kind: 'secret'; secret: string }
  | { kind: 'publicKey'; pem: string }
  | { kind: 'jwks'; url: string; cooldownSeconds: number; timeoutMs: number };

export interface ClientAuthConfig {
  key: ClientKeyConfig;
  issuer?: string;
  audience?: string;
  algorithms?: string[];
  rolesClaim: string;
  clockToleranceSeconds: number;
  /** The oldest `iat`, and the furthest `exp`, a client token may have (seconds from now). */
  maxAgeSeconds: number;
  required: boolean;
  /** True when the dev secret is in use, so the server can warn. */
  usingDevSecret: boolean;
  tokens: TokensConfig;
}

export interface GatewayConfig {
  port: number;
  host: string;
  /** Its own port for /metrics; absent, /metrics is served beside GraphQL (development only). */
  metrics?: MetricsEndpoint;
  production: boolean;
  /** OpenTelemetry (docs/observability.md). */
  tracing: TracingConfig;
  clientAuth: ClientAuthConfig;
  identity: {
    signingKey?: KeyObject;
    /** Development without IDENTITY_SIGNING_KEY: the generated key is kept here across restarts. */
    devKeyFile?: string;
    publishedKeys: JWK[];
    issuer: string;
  };
  /** Each subgraph's URL by name, from its roster `urlVariable`. */
  subgraphUrls: Record<SubgraphName, string>;
  supergraph: 'file' | 'compose';
  introspection: boolean;
  landingPage: boolean;
  debugErrors: boolean;
  limits: OperationLimits & { maxSubgraphFetches: number; defaultListSize: number; maxTokens: number; maxBodyBytes: number };
  rateLimits: RateLimitsConfig;
  trustedDocuments: TrustedDocumentsConfig;
  logLevel: string;
  timeouts: GatewayTimeouts;
  /** Requests served at once; the next ones are refused at once with 503 and `Retry-After`. */
  maxConcurrentRequests: number;
  cors: CorsConfig;
  /** Said at start-up: values accepted here that production refuses, variables no service reads. */
  warnings: string[];
}

/** Milliseconds. Each bounds one wait; docs/timeouts.md says which and why the default. */
export interface GatewayTimeouts {
  /** One subgraph fetch, from connecting to the last byte of its answer. */
  subgraphMs: number;
  /** A whole client request: every subgraph fetch gets what is left of it, at most `subgraphMs`. */
  requestMs: number;
  /** The keep-alive pool of connections to each subgraph. */
  upstream: { connectMs: number; keepAliveMs: number; connectionsPerOrigin: number };
  http: HttpServerTimeouts;
  shutdownMs: number;
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z.string().trim().min(1).optional();
const subgraphUrlVariables = () =>
  Object.fromEntries(
    SUBGRAPHS.map((entry) => [entry.urlVariable, z.url({ protocol: /^https?$/ }).default(localUrlOf(entry))]),
  ) as Record<SubgraphEntry['urlVariable'], z.ZodDefault<z.ZodURL>>;

const GatewayEnv = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().min(1).optional(),
    ...clientAuthVariables,
    JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    JWT_JWKS_COOLDOWN: z.coerce.number().min(0).max(3600).default(30),
    // A provider that hangs must not hold the request: past this, the token gets a 401 keys_unavailable.
    JWT_JWKS_TIMEOUT_MS: milliseconds(5_000),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
    JWT_CLOCK_TOLERANCE: z.coerce.number().int().min(0).max(300).default(0),
    JWT_MAX_TOKEN_AGE: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 60 * 60)
      .default(24 * 60 * 60),
    AUTH_REQUIRED: booleanFlag,
    ...tokenEnv,
    IDENTITY_SIGNING_KEY: readWith(readIdentitySigningKey),
    IDENTITY_ISSUER: z.string().min(1).default(DEFAULT_IDENTITY_ISSUER),
    DATA_DIR: z.string().min(1).default('./data'),
    IDENTITY_PUBLISHED_KEYS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (!text) return [];
        let keys: unknown;
        try {
          keys = JSON.parse(text);
        } catch {
          // reported below
        }
        if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key?.kty)) {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of public JWKs' });
          return z.NEVER;
        }
        const problems = (keys as JWK[]).flatMap((key, index) => publishedKeyProblem(key, index) ?? []);
        for (const message of problems) ctx.addIssue({ code: 'custom', message });
        return problems.length > 0 ? z.NEVER : (keys as JWK[]);
      }),
    ...subgraphUrlVariables(),
    SUPERGRAPH: z.enum(['file', 'compose']).default('file'),
    INTROSPECTION: z.enum(['true', 'false']).optional(),
    DEBUG_ERRORS: booleanFlag,
    MAX_DEPTH: positiveInt(15),
    MAX_ALIASES: positiveInt(100),
    MAX_DIRECTIVES: positiveInt(50),
    MAX_ROOT_FIELDS: positiveInt(20),
    MAX_SELECTIONS: positiveInt(500),
    MAX_COST: positiveInt(10_000),
    DEFAULT_LIST_SIZE: positiveInt(10),
    MAX_SUBGRAPH_FETCHES: positiveInt(25),
    MAX_TOKENS: positiveInt(5000),
    MAX_BODY_BYTES: positiveInt(100_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ...rateLimitEnv,
    ...trustedDocumentsEnv,
    SUBGRAPH_TIMEOUT_MS: milliseconds(10_000),
    REQUEST_TIMEOUT_MS: milliseconds(15_000),
    SUBGRAPH_CONNECT_TIMEOUT_MS: milliseconds(2_000),
    // Shorter than the subgraphs' own keep-alive (65 s), so they never close a socket the gateway is about to use.
    SUBGRAPH_KEEP_ALIVE_TIMEOUT_MS: milliseconds(30_000),
    SUBGRAPH_MAX_CONNECTIONS: positiveInt(64),
    HTTP_HEADERS_TIMEOUT_MS: milliseconds(10_000),
    HTTP_REQUEST_TIMEOUT_MS: milliseconds(30_000),
    // Longer than a typical load balancer's 60 s idle timeout: the balancer, not the gateway, closes first.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(75_000),
    SHUTDOWN_TIMEOUT_MS: milliseconds(20_000),
    MAX_CONCURRENT_REQUESTS: positiveInt(256),
    CORS_ORIGINS: corsOrigins,
    CORS_ALLOW_CREDENTIALS: booleanFlag,
    ...TRACING_ENV,
    ...TRUST_INCOMING_ENV,
  })
  .check(
    checkHttpTimeouts,
    checkClientAuth,
    acrossVariables(
      // Identity tokens are re-signed this long before expiry, and must still be valid when the request ends.
      (env, ctx) => {
        if (env.REQUEST_TIMEOUT_MS <= (IDENTITY_TOKEN_TTL_SECONDS - 10) * 1000) return;
        const most = (IDENTITY_TOKEN_TTL_SECONDS - 10) * 1000;
        problem(ctx, `REQUEST_TIMEOUT_MS must be at most ${most}, within the identity tokens' lifetime`);
      },
      (env, ctx) => {
        if (env.SHUTDOWN_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) return;
        problem(ctx, 'SHUTDOWN_TIMEOUT_MS must exceed REQUEST_TIMEOUT_MS, so a draining gateway answers its in-flight requests');
      },
      (env, ctx) => {
        if (clientKeysSet(env) > 1) problem(ctx, 'set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL');
      },
      (env, ctx) => {
        for (const message of tokenProblems(env)) problem(ctx, message);
      },
      (env, ctx) => {
        if (env.METRICS_PORT === undefined || env.METRICS_PORT === 0 || env.METRICS_PORT !== env.PORT) return;
        problem(ctx, 'METRICS_PORT must differ from PORT: /metrics is kept off the client-facing port');
      },
      (env, ctx) => {
        if (env.NODE_ENV !== 'production' || !env.DEBUG_ERRORS) return;
        problem(ctx, 'DEBUG_ERRORS=true is refused in production: it would send internal error details to clients');
      },
      (env, ctx) => {
        if (env.NODE_ENV === 'production' && clientKeysSet(env) === 0 && !env.JWT_ISSUERS) {
          problem(ctx, 'production needs one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_ISSUERS');
        }
      },
      (env, ctx) =>
        void (
          env.NODE_ENV === 'production' &&
          !env.JWT_ISSUER &&
          !env.JWT_ISSUERS &&
          problem(ctx, 'production needs JWT_ISSUER')
        ),
      (env, ctx) =>
        void (
          env.NODE_ENV === 'production' &&
          !env.JWT_AUDIENCE &&
          !env.JWT_ISSUERS &&
          problem(ctx, 'production needs JWT_AUDIENCE')
        ),
      (env, ctx) => {
        if (env.NODE_ENV !== 'production' || env.IDENTITY_SIGNING_KEY) return;
        problem(ctx, 'production needs IDENTITY_SIGNING_KEY, shared by every gateway replica');
      },
    ),
  );

function problem(ctx: z.RefinementCtx, message: string): void {
  ctx.addIssue({ code: 'custom', message });
}

const clientKeysSet = (env: { JWT_SECRET?: string; JWT_PUBLIC_KEY?: string; JWT_JWKS_URL?: string }) =>
  [env.JWT_SECRET, env.JWT_PUBLIC_KEY, env.JWT_JWKS_URL].filter(Boolean).length;

/** Variables that may come from a file instead (`JWT_SECRET_FILE`, ...): the keys. */
const GATEWAY_SECRETS = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'IDENTITY_SIGNING_KEY', ...TOKEN_SECRETS];

/** Every environment variable the gateway reads. */
export const GATEWAY_ENV_NAMES: readonly string[] = [...Object.keys(GatewayEnv.shape), ...GATEWAY_SECRETS.map(fileVariable)];

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const secrets = readSecretFiles(env, GATEWAY_SECRETS);
  const parsed = parseEnv('gateway', GatewayEnv, secrets.env, secrets.problems);
  const production = parsed.NODE_ENV === 'production';
  const key = clientKey(parsed);
  const usingDevSecret = key === undefined && !parsed.JWT_ISSUERS;
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    ...metricsEndpoint(parsed, production),
    production,
    tracing: { ...readTracingConfig(parsed), trustIncoming: parsed.OTEL_TRUST_INCOMING },
    clientAuth: {
      key: key ?? { kind: 'secret', secret: DEV_CLIENT_AUTH.secret },
      ...optional('issuer', parsed.JWT_ISSUER ?? (usingDevSecret ? DEV_CLIENT_AUTH.issuer : undefined)),
      ...optional('audience', parsed.JWT_AUDIENCE),
      ...optional('algorithms', parsed.JWT_ALGORITHMS),
      rolesClaim: parsed.JWT_ROLES_CLAIM,
      clockToleranceSeconds: parsed.JWT_CLOCK_TOLERANCE,
      maxAgeSeconds: parsed.JWT_MAX_TOKEN_AGE,
      required: parsed.AUTH_REQUIRED,
      usingDevSecret,
      tokens: readTokens(parsed),
    },
    identity: {
      ...optional('signingKey', parsed.IDENTITY_SIGNING_KEY),
      ...optional(
        'devKeyFile',
        parsed.IDENTITY_SIGNING_KEY ? undefined : resolve(parsed.DATA_DIR, 'gateway', 'identity-signing-key.pem'),
      ),
      publishedKeys: parsed.IDENTITY_PUBLISHED_KEYS,
      issuer: parsed.IDENTITY_ISSUER,
    },
    subgraphUrls: Object.fromEntries(
      SUBGRAPHS.map(({ name, urlVariable }) => [name, (parsed as unknown as Record<string, string>)[urlVariable]]),
    ) as Record<SubgraphName, string>,
    supergraph: parsed.SUPERGRAPH,
    introspection: parsed.INTROSPECTION ? parsed.INTROSPECTION === 'true' : !production,
    landingPage: !production,
    debugErrors: parsed.DEBUG_ERRORS,
    limits: {
      maxDepth: parsed.MAX_DEPTH,
      maxAliases: parsed.MAX_ALIASES,
      maxDirectives: parsed.MAX_DIRECTIVES,
      maxRootFields: parsed.MAX_ROOT_FIELDS,
      maxSelections: parsed.MAX_SELECTIONS,
      maxCost: parsed.MAX_COST,
      defaultListSize: parsed.DEFAULT_LIST_SIZE,
      maxSubgraphFetches: parsed.MAX_SUBGRAPH_FETCHES,
      maxTokens: parsed.MAX_TOKENS,
      maxBodyBytes: parsed.MAX_BODY_BYTES,
    },
    rateLimits: readRateLimits(parsed, production),
    trustedDocuments: readTrustedDocuments(parsed),
    logLevel: parsed.LOG_LEVEL,
    timeouts: {
      subgraphMs: parsed.SUBGRAPH_TIMEOUT_MS,
      requestMs: parsed.REQUEST_TIMEOUT_MS,
      upstream: {
        connectMs: parsed.SUBGRAPH_CONNECT_TIMEOUT_MS,
        keepAliveMs: parsed.SUBGRAPH_KEEP_ALIVE_TIMEOUT_MS,
        connectionsPerOrigin: parsed.SUBGRAPH_MAX_CONNECTIONS,
      },
      http: {
        headersMs: parsed.HTTP_HEADERS_TIMEOUT_MS,
        requestMs: parsed.HTTP_REQUEST_TIMEOUT_MS,
        keepAliveMs: parsed.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      },
      shutdownMs: parsed.SHUTDOWN_TIMEOUT_MS,
    },
    maxConcurrentRequests: parsed.MAX_CONCURRENT_REQUESTS,
    cors: { origins: parsed.CORS_ORIGINS, allowCredentials: parsed.CORS_ALLOW_CREDENTIALS },
    warnings: [...clientAuthWarnings(parsed), ...unknownVariableWarnings(env, PROJECT_VARIABLES)],
  };
}

function clientKey(env: {
  JWT_SECRET?: string;
  JWT_PUBLIC_KEY?: string;
  JWT_JWKS_URL?: string;
  JWT_JWKS_COOLDOWN: number;
  JWT_JWKS_TIMEOUT_MS: number;
}) {
  if (env.JWT_SECRET) return { kind: 'secret', secret: env.JWT_SECRET } as const;
  if (env.JWT_PUBLIC_KEY) return { kind: 'publicKey', pem: env.JWT_PUBLIC_KEY.replace(/\\n/g, '\n') } as const;
  if (env.JWT_JWKS_URL) {
    return {
      kind: 'jwks',
      url: env.JWT_JWKS_URL,
      cooldownSeconds: env.JWT_JWKS_COOLDOWN,
      timeoutMs: env.JWT_JWKS_TIMEOUT_MS,
    } as const;
  }
  return undefined;
}

/** Production keeps /metrics off the client-facing port; development serves it there unless told. */
function metricsEndpoint(env: { PORT: number; HOST: string; METRICS_PORT?: number; METRICS_HOST?: string }, production: boolean) {
  const host = env.METRICS_HOST ?? env.HOST;
  if (env.METRICS_PORT !== undefined) return { metrics: { port: env.METRICS_PORT, host } };
  return production ? { metrics: { port: 4000 + METRICS_PORT_OFFSET, host } } : {};
}

const optional = <Key extends string, Value>(key: Key, value: Value | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
