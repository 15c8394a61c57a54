import { resolve } from 'node:path';
import { z } from 'zod';
import type { KeyObject } from 'node:crypto';
import {
  acrossVariables,
  booleanFlag,
  checkHttpTimeouts,
  milliseconds,
  parseEnv,
  type HttpServerTimeouts,
  METRICS_PORT_OFFSET,
  type MetricsEndpoint,
  fileVariable,
  readSecretFiles,
  readTracingConfig,
  TRACING_ENV,
  type TracingConfig,
  readWith,
  unknownVariableWarnings,
} from '#platform';
import { PROJECT_VARIABLES } from '#variables';
import type { DatabaseLocation } from './db.ts';
import { type IdentityKeySource, DEFAULT_IDENTITY_ISSUER, IDENTITY_MAX_LIFETIME_SECONDS, readIdentityPublicKey } from '#identity';

const port = z.coerce.number().int().min(0).max(65535);
const url = z.url({ protocol: /^https?$/ });

export interface SubgraphConfig {
  name: string;
  port: number;
  host: string;
  identityKeys: IdentityKeySource;
  identityIssuer: string;
  /** `IDENTITY_MAX_LIFETIME`: the longest `exp - iat` of an accepted identity token, in seconds. */
  identityMaxLifetimeSeconds?: number;
  database: DatabaseLocation;
  seedDemoData: boolean;
  debugErrors: boolean;
  /** Its own port for /metrics; absent, /metrics is served beside GraphQL (development only). */
  metrics?: MetricsEndpoint;
  logLevel: string;
  /** OpenTelemetry (docs/observability.md); absent, off. */
  tracing?: TracingConfig;
  /** Every wait's deadline (docs/timeouts.md); `DEFAULT_SUBGRAPH_TIMEOUTS` fills what is left out. */
  timeouts?: Partial<SubgraphTimeouts>;
  /** Said at start-up: variables no service of the project reads, with the one likely meant. */
  warnings?: string[];
}

/** Milliseconds. Each bounds one wait; docs/timeouts.md says which and why the default. */
export interface SubgraphTimeouts {
  statementMs: number;
  lockMs: number;
  acquireMs: number;
  healthMs: number;
  http: HttpServerTimeouts;
  shutdownMs: number;
}

export const DEFAULT_SUBGRAPH_TIMEOUTS: SubgraphTimeouts = {
  statementMs: 5_000,
  lockMs: 2_000,
  acquireMs: 2_000,
  healthMs: 1_000,
  // Keep-alive outlives the gateway's idle upstream connections (30 s), so it never writes to a closing socket.
  http: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 65_000 },
  shutdownMs: 10_000,
};

/** The environment variables every subgraph reads; `ORDERS_PORT` style names are per subgraph. */
export function subgraphEnvNames(name: string) {
  const prefix = name.toUpperCase();
  return {
    port: `${prefix}_PORT`,
    metricsPort: `${prefix}_METRICS_PORT`,
    databaseUrl: `${prefix}_DATABASE_URL`,
    databaseSchema: `${prefix}_DATABASE_SCHEMA`,
  } as const;
}

function subgraphEnvSchema(name: string, defaultPort: number) {
  const names = subgraphEnvNames(name);
  const defaults = DEFAULT_SUBGRAPH_TIMEOUTS;
  return z
    .object({
      NODE_ENV: z.string().default('development'),
      [names.port]: port.default(defaultPort),
      [names.metricsPort]: port.optional(),
      HOST: z.string().min(1).default('0.0.0.0'),
      METRICS_HOST: z.string().min(1).optional(),
      GATEWAY_JWKS_URL: url.default('http://localhost:4000/.well-known/jwks.json'),
      GATEWAY_JWKS_COOLDOWN_MS: milliseconds(1_000),
      GATEWAY_JWKS_TIMEOUT_MS: milliseconds(2_000),
      IDENTITY_PUBLIC_KEY: readWith(readIdentityPublicKey),
      IDENTITY_ISSUER: z.string().min(1).default(DEFAULT_IDENTITY_ISSUER),
      IDENTITY_MAX_LIFETIME: z.coerce.number().int().min(1).max(86_400).default(IDENTITY_MAX_LIFETIME_SECONDS),
      DATABASE_URL: z.string().startsWith('postgres').optional(),
      [names.databaseUrl]: z.string().startsWith('postgres').optional(),
      [names.databaseSchema]: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
        .optional(),
      DATA_DIR: z.string().min(1).default('./data'),
      SEED_DEMO_DATA: z.enum(['true', 'false']).default('true'),
      DEBUG_ERRORS: booleanFlag,
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      DB_STATEMENT_TIMEOUT_MS: milliseconds(defaults.statementMs),
      DB_LOCK_TIMEOUT_MS: milliseconds(defaults.lockMs),
      DB_ACQUIRE_TIMEOUT_MS: milliseconds(defaults.acquireMs),
      HEALTH_TIMEOUT_MS: milliseconds(defaults.healthMs),
      HTTP_HEADERS_TIMEOUT_MS: milliseconds(defaults.http.headersMs),
      HTTP_REQUEST_TIMEOUT_MS: milliseconds(defaults.http.requestMs),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(defaults.http.keepAliveMs),
      SHUTDOWN_TIMEOUT_MS: milliseconds(defaults.shutdownMs),
    })
    .extend(TRACING_ENV)
    .check(
      checkHttpTimeouts,
      acrossVariables(
        (env, ctx) => {
          if (env.NODE_ENV !== 'production' || !env.DEBUG_ERRORS) return;
          const message = 'must not be true in production: it would send internal error details to clients';
          ctx.addIssue({ code: 'custom', path: ['DEBUG_ERRORS'], message });
        },
        (env, ctx) => {
          const metricsPort = env[names.metricsPort];
          if (metricsPort === undefined || metricsPort === 0 || metricsPort !== env[names.port]) return;
          const message = `must differ from ${names.port}: /metrics is kept off the client-facing port`;
          ctx.addIssue({ code: 'custom', path: [names.metricsPort], message });
        },
      ),
    );
}

/** Variables that may come from a file instead (`DATABASE_URL_FILE`, ...): they carry passwords. */
const subgraphSecrets = (name: string) => ['DATABASE_URL', subgraphEnvNames(name).databaseUrl];

/** Every environment variable the kit reads for subgraph `name`. */
export function subgraphEnvVariables(name: string): string[] {
  return [...Object.keys(subgraphEnvSchema(name, 0).shape), ...subgraphSecrets(name).map(fileVariable)];
}

export function readSubgraphConfig(name: string, defaultPort: number, env = process.env): SubgraphConfig {
  const names = subgraphEnvNames(name);
  const secrets = readSecretFiles(env, subgraphSecrets(name));
  const schema = subgraphEnvSchema(name, defaultPort);
  const parsed = parseEnv(name, schema, secrets.env, secrets.problems) as Record<string, unknown>;
  const databaseUrl = (parsed[names.databaseUrl] ?? parsed.DATABASE_URL) as string | undefined;
  return {
    name,
    port: parsed[names.port] as number,
    host: parsed.HOST as string,
    identityKeys: parsed.IDENTITY_PUBLIC_KEY
      ? { publicKey: parsed.IDENTITY_PUBLIC_KEY as KeyObject }
      : {
          jwksUrl: parsed.GATEWAY_JWKS_URL as string,
          refetchCooldownMs: parsed.GATEWAY_JWKS_COOLDOWN_MS as number,
          fetchTimeoutMs: parsed.GATEWAY_JWKS_TIMEOUT_MS as number,
        },
    identityIssuer: parsed.IDENTITY_ISSUER as string,
    identityMaxLifetimeSeconds: parsed.IDENTITY_MAX_LIFETIME as number,
    database: databaseUrl
      ? { driver: 'postgres', url: databaseUrl, schema: (parsed[names.databaseSchema] as string | undefined) ?? name }
      : { driver: 'pglite', dataDir: resolve(parsed.DATA_DIR as string, name) },
    seedDemoData: parsed.SEED_DEMO_DATA === 'true',
    debugErrors: parsed.DEBUG_ERRORS as boolean,
    ...metricsEndpoint(parsed, names.metricsPort, defaultPort),
    logLevel: parsed.LOG_LEVEL as string,
    tracing: readTracingConfig(parsed as unknown as Parameters<typeof readTracingConfig>[0]),
    timeouts: subgraphTimeouts(parsed as Record<string, number>),
    warnings: unknownVariableWarnings(env, PROJECT_VARIABLES),
  };
}

function subgraphTimeouts(parsed: Record<string, number>): SubgraphTimeouts {
  return {
    statementMs: parsed.DB_STATEMENT_TIMEOUT_MS!,
    lockMs: parsed.DB_LOCK_TIMEOUT_MS!,
    acquireMs: parsed.DB_ACQUIRE_TIMEOUT_MS!,
    healthMs: parsed.HEALTH_TIMEOUT_MS!,
    http: {
      headersMs: parsed.HTTP_HEADERS_TIMEOUT_MS!,
      requestMs: parsed.HTTP_REQUEST_TIMEOUT_MS!,
      keepAliveMs: parsed.HTTP_KEEP_ALIVE_TIMEOUT_MS!,
    },
    shutdownMs: parsed.SHUTDOWN_TIMEOUT_MS!,
  };
}

/** Production keeps /metrics off the client-facing port; development serves it there unless told. */
function metricsEndpoint(parsed: Record<string, unknown>, portName: string, defaultPort: number) {
  const host = (parsed.METRICS_HOST ?? parsed.HOST) as string;
  const chosen = parsed[portName] as number | undefined;
  if (chosen !== undefined) return { metrics: { port: chosen, host } };
  return parsed.NODE_ENV === 'production' ? { metrics: { port: defaultPort + METRICS_PORT_OFFSET, host } } : {};
}
