import type { JWK } from 'jose';
import { z } from 'zod';
import { booleanFlag, DEFAULT_IDENTITY_ISSUER, fileVariable, parseEnv, readSecretFiles } from '#kit';
import { DEV_CLIENT_AUTH } from './auth/devClientAuth.ts';
import { corsOrigins, type CorsConfig } from './cors.ts';

/** Re-exported: the development key and issuer are part of the gateway's configuration. */
export { DEV_CLIENT_AUTH };

export type ClientKeyConfig =
  | { kind: 'secret'; secret: string }
  | { kind: 'publicKey'; pem: string }
  | { kind: 'jwks'; url: string; cooldownSeconds: number };

export interface ClientAuthConfig {
  key: ClientKeyConfig;
  issuer?: string;
  audience?: string;
  algorithms?: string[];
  rolesClaim: string;
  clockToleranceSeconds: number;
  required: boolean;
  /** True when the dev secret is in use, so the server can warn. */
  usingDevSecret: boolean;
}

export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  clientAuth: ClientAuthConfig;
  identity: { signingKey?: string; publishedKeys: JWK[]; issuer: string };
  subgraphUrls: Record<'orders' | 'payments' | 'inventory', string>;
  supergraph: 'file' | 'compose';
  introspection: boolean;
  landingPage: boolean;
  debugErrors: boolean;
  limits: { maxDepth: number; maxAliases: number; maxDirectives: number; maxTokens: number; maxBodyBytes: number };
  logLevel: string;
  cors: CorsConfig;
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z.string().trim().min(1).optional();
const subgraphUrl = (port: number) => z.url({ protocol: /^https?$/ }).default(`http://localhost:${port}/graphql`);

const GatewayEnv = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    JWT_SECRET: optionalText,
    JWT_PUBLIC_KEY: optionalText,
    JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    JWT_JWKS_COOLDOWN: z.coerce.number().min(0).max(3600).default(30),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_ALGORITHMS: optionalText,
    JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
    JWT_CLOCK_TOLERANCE: z.coerce.number().int().min(0).max(300).default(0),
    AUTH_REQUIRED: booleanFlag,
    IDENTITY_SIGNING_KEY: optionalText,
    IDENTITY_ISSUER: z.string().min(1).default(DEFAULT_IDENTITY_ISSUER),
    IDENTITY_PUBLISHED_KEYS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (!text) return [];
        try {
          const keys = JSON.parse(text);
          if (Array.isArray(keys) && keys.every((key) => typeof key === 'object' && key?.kty)) return keys as JWK[];
        } catch {
          // reported below
        }
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of public JWKs' });
        return z.NEVER;
      }),
    ORDERS_URL: subgraphUrl(4001),
    PAYMENTS_URL: subgraphUrl(4002),
    INVENTORY_URL: subgraphUrl(4003),
    SUPERGRAPH: z.enum(['file', 'compose']).default('file'),
    INTROSPECTION: z.enum(['true', 'false']).optional(),
    DEBUG_ERRORS: booleanFlag,
    MAX_DEPTH: positiveInt(15),
    MAX_ALIASES: positiveInt(100),
    MAX_DIRECTIVES: positiveInt(50),
    MAX_TOKENS: positiveInt(5000),
    MAX_BODY_BYTES: positiveInt(100_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CORS_ORIGINS: corsOrigins,
    CORS_ALLOW_CREDENTIALS: booleanFlag,
  })
  .superRefine((env, ctx) => {
    const keys = [env.JWT_SECRET, env.JWT_PUBLIC_KEY, env.JWT_JWKS_URL].filter(Boolean).length;
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (keys > 1) problem('set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL');
    if (env.NODE_ENV !== 'production') return;
    if (keys === 0) problem('production needs one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL');
    if (!env.JWT_ISSUER) problem('production needs JWT_ISSUER');
    if (!env.JWT_AUDIENCE) problem('production needs JWT_AUDIENCE');
    if (!env.IDENTITY_SIGNING_KEY) problem('production needs IDENTITY_SIGNING_KEY, shared by every gateway replica');
  });

/** Variables that may come from a file instead (`JWT_SECRET_FILE`, ...): the keys. */
const GATEWAY_SECRETS = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'IDENTITY_SIGNING_KEY'];

/** Every environment variable the gateway reads. */
export const GATEWAY_ENV_NAMES: readonly string[] = [...Object.keys(GatewayEnv.shape), ...GATEWAY_SECRETS.map(fileVariable)];

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const secrets = readSecretFiles(env, GATEWAY_SECRETS);
  const parsed = parseEnv('gateway', GatewayEnv, secrets.env, secrets.problems);
  const production = parsed.NODE_ENV === 'production';
  const key = clientKey(parsed);
  const usingDevSecret = key === undefined;
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    production,
    clientAuth: {
      key: key ?? { kind: 'secret', secret: DEV_CLIENT_AUTH.secret },
      ...optional('issuer', parsed.JWT_ISSUER ?? (usingDevSecret ? DEV_CLIENT_AUTH.issuer : undefined)),
      ...optional('audience', parsed.JWT_AUDIENCE),
      ...optional('algorithms', parsed.JWT_ALGORITHMS?.split(',').map((alg) => alg.trim()).filter(Boolean)),
      rolesClaim: parsed.JWT_ROLES_CLAIM,
      clockToleranceSeconds: parsed.JWT_CLOCK_TOLERANCE,
      required: parsed.AUTH_REQUIRED,
      usingDevSecret,
    },
    identity: {
      ...optional('signingKey', parsed.IDENTITY_SIGNING_KEY),
      publishedKeys: parsed.IDENTITY_PUBLISHED_KEYS,
      issuer: parsed.IDENTITY_ISSUER,
    },
    subgraphUrls: { orders: parsed.ORDERS_URL, payments: parsed.PAYMENTS_URL, inventory: parsed.INVENTORY_URL },
    supergraph: parsed.SUPERGRAPH,
    introspection: parsed.INTROSPECTION ? parsed.INTROSPECTION === 'true' : !production,
    landingPage: !production,
    debugErrors: parsed.DEBUG_ERRORS,
    limits: {
      maxDepth: parsed.MAX_DEPTH,
      maxAliases: parsed.MAX_ALIASES,
      maxDirectives: parsed.MAX_DIRECTIVES,
      maxTokens: parsed.MAX_TOKENS,
      maxBodyBytes: parsed.MAX_BODY_BYTES,
    },
    logLevel: parsed.LOG_LEVEL,
    cors: { origins: parsed.CORS_ORIGINS, allowCredentials: parsed.CORS_ALLOW_CREDENTIALS },
  };
}

function clientKey(env: { JWT_SECRET?: string; JWT_PUBLIC_KEY?: string; JWT_JWKS_URL?: string; JWT_JWKS_COOLDOWN: number }) {
  if (env.JWT_SECRET) return { kind: 'secret', secret: env.JWT_SECRET } as const;
  if (env.JWT_PUBLIC_KEY) return { kind: 'publicKey', pem: env.JWT_PUBLIC_KEY.replace(/\\n/g, '\n') } as const;
  if (env.JWT_JWKS_URL) return { kind: 'jwks', url: env.JWT_JWKS_URL, cooldownSeconds: env.JWT_JWKS_COOLDOWN } as const;
  return undefined;
}

const optional = <Key extends string, Value>(key: Key, value: Value | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
