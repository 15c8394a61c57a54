import { resolve } from 'node:path';
import { z } from 'zod';
import type { DatabaseLocation } from './db.ts';
import type { IdentityKeySource } from './identity.ts';
import { DEFAULT_IDENTITY_ISSUER } from './protocol.ts';
import { fileVariable, readSecretFiles } from './secretFiles.ts';

export class ConfigError extends Error {
  constructor(readonly service: string, readonly problems: string[]) {
    super(`Invalid configuration for ${service}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

const port = z.coerce.number().int().min(0).max(65535);
const url = z.url({ protocol: /^https?$/ });

/**
 * Parses `env` with `schema`, throwing one error that lists every bad or missing variable,
 * together with `problems` found before (secret files, see readSecretFiles).
 */
export function parseEnv<Schema extends z.ZodType>(
  service: string,
  schema: Schema,
  env: NodeJS.ProcessEnv,
  problems: readonly string[] = [],
) {
  const parsed = schema.safeParse(env);
  if (parsed.success && problems.length === 0) return parsed.data as z.output<Schema>;
  const issues = parsed.success ? [] : parsed.error.issues;
  throw new ConfigError(service, [
    ...problems,
    ...issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  ]);
}

export interface SubgraphConfig {
  name: string;
  port: number;
  host: string;
  identityKeys: IdentityKeySource;
  identityIssuer: string;
  database: DatabaseLocation;
  seedDemoData: boolean;
  debugErrors: boolean;
  logLevel: string;
}

/** The environment variables every subgraph reads; `ORDERS_PORT` style names are per subgraph. */
export function subgraphEnvNames(name: string) {
  const prefix = name.toUpperCase();
  return {
    port: `${prefix}_PORT`,
    databaseUrl: `${prefix}_DATABASE_URL`,
    databaseSchema: `${prefix}_DATABASE_SCHEMA`,
  } as const;
}

function subgraphEnvSchema(name: string, defaultPort: number) {
  const names = subgraphEnvNames(name);
  return z.object({
    [names.port]: port.default(defaultPort),
    HOST: z.string().min(1).default('0.0.0.0'),
    GATEWAY_JWKS_URL: url.default('http://localhost:4000/.well-known/jwks.json'),
    IDENTITY_PUBLIC_KEY: z.string().min(1).optional(),
    IDENTITY_ISSUER: z.string().min(1).default(DEFAULT_IDENTITY_ISSUER),
    DATABASE_URL: z.string().startsWith('postgres').optional(),
    [names.databaseUrl]: z.string().startsWith('postgres').optional(),
    [names.databaseSchema]: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier').optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    SEED_DEMO_DATA: z.enum(['true', 'false']).default('true'),
    DEBUG_ERRORS: booleanFlag,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });
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
  const parsed = parseEnv(name, subgraphEnvSchema(name, defaultPort), secrets.env, secrets.problems) as Record<string, unknown>;
  const databaseUrl = (parsed[names.databaseUrl] ?? parsed.DATABASE_URL) as string | undefined;
  return {
    name,
    port: parsed[names.port] as number,
    host: parsed.HOST as string,
    identityKeys: parsed.IDENTITY_PUBLIC_KEY
      ? { publicKey: parsed.IDENTITY_PUBLIC_KEY as string }
      : { jwksUrl: parsed.GATEWAY_JWKS_URL as string },
    identityIssuer: parsed.IDENTITY_ISSUER as string,
    database: databaseUrl
      ? { driver: 'postgres', url: databaseUrl, schema: (parsed[names.databaseSchema] as string | undefined) ?? name }
      : { driver: 'pglite', dataDir: resolve(parsed.DATA_DIR as string, name) },
    seedDemoData: parsed.SEED_DEMO_DATA === 'true',
    debugErrors: parsed.DEBUG_ERRORS as boolean,
    logLevel: parsed.LOG_LEVEL as string,
  };
}
