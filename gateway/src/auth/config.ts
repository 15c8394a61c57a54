/**
 * The token variables beyond the single-issuer JWT_* ones: several issuers, the JWKS refresh
 * bound, the cookie source, DPoP and revocation. Parsed with the rest of the gateway's
 * configuration (config.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { booleanFlag } from '#platform';
import { PUBLIC_KEY_ALGORITHMS } from './algorithms.ts';

export interface IssuerConfig {
  issuer: string;
  key: { kind: 'jwks'; url: string; cooldownSeconds: number; timeoutMs: number } | { kind: 'publicKey'; pem: string };
  audiences?: string[];
  algorithms?: string[];
  rolesClaim: string;
}

export interface TokensConfig {
  /** JWT_ISSUERS: the token's `iss` picks one of these before any key is tried. */
  issuers?: IssuerConfig[];
  /** A JWKS is refetched at least this often, so a key the issuer withdrew stops verifying by then. */
  jwksRefreshSeconds: number;
  /** JWT_COOKIE: also read the token from this cookie when no Authorization header is sent. */
  cookie?: string;
  dpop: {
    required: boolean;
    proofMaxAgeSeconds: number;
    /** The origin clients address (`https://api.example.com`), for `htu`; else the request's own. */
    origin?: string;
  };
  /** Redis keys of revocations and used DPoP proofs start with this. */
  redisPrefix: string;
  revocation: {
    /** Full reload from Redis this often, on top of pub/sub: the bound when a message is lost. */
    resyncSeconds: number;
    /** Bearer secret of the admin endpoint on the metrics port; absent, that endpoint is off. */
    adminToken?: string;
  };
}

const IssuerEntry = z
  .object({
    issuer: z.string().min(1),
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    publicKey: z.string().min(1).optional(),
    audiences: z.array(z.string().min(1)).min(1).optional(),
    algorithms: z
      .array(z.string().refine((alg) => PUBLIC_KEY_ALGORITHMS.includes(alg), 'an asymmetric JWS algorithm'))
      .min(1)
      .optional(),
    rolesClaim: z.string().min(1).optional(),
  })
  .strict()
  .refine((entry) => Boolean(entry.jwksUrl) !== Boolean(entry.publicKey), 'each issuer needs exactly one of jwksUrl, publicKey');

/** JSON text, or the path of a file holding it. */
const issuersVariable = z
  .string()
  .trim()
  .min(1)
  .optional()
  .transform((text, ctx) => {
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text.startsWith('[') ? text : readFileSync(text, 'utf8'));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of issuers, or the path of a file holding one' });
      return z.NEVER;
    }
    const parsed = z.array(IssuerEntry).min(1).safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: `[${issue.path.join('.')}] ${issue.message}` });
      return z.NEVER;
    }
    const names = parsed.data.map((entry) => entry.issuer);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', message: 'lists an issuer twice' });
      return z.NEVER;
    }
    return parsed.data;
  });

export const tokenEnv = {
  JWT_ISSUERS: issuersVariable,
  JWT_JWKS_REFRESH: z.coerce.number().int().min(1).max(3600).default(300),
  JWT_COOKIE: z
    .string()
    .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a cookie name')
    .optional(),
  DPOP_REQUIRED: booleanFlag,
  DPOP_PROOF_MAX_AGE: z.coerce.number().int().min(5).max(600).default(60),
  DPOP_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  TOKEN_REDIS_PREFIX: z.string().min(1).max(100).default('gateway:tokens:'),
  REVOCATION_RESYNC_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  REVOCATION_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
};

/** The token variables that may come from a file (`REVOCATION_ADMIN_TOKEN_FILE`). */
export const TOKEN_SECRETS = ['REVOCATION_ADMIN_TOKEN'];

type TokenEnv = z.output<z.ZodObject<typeof tokenEnv>> & {
  JWT_ROLES_CLAIM: string;
  JWT_JWKS_COOLDOWN: number;
  JWT_JWKS_TIMEOUT_MS: number;
};

export function readTokens(env: TokenEnv): TokensConfig {
  return {
    ...(env.JWT_ISSUERS ? { issuers: env.JWT_ISSUERS.map((entry) => issuerOf(entry, env)) } : {}),
    jwksRefreshSeconds: env.JWT_JWKS_REFRESH,
    ...(env.JWT_COOKIE ? { cookie: env.JWT_COOKIE } : {}),
    dpop: {
      required: env.DPOP_REQUIRED,
      proofMaxAgeSeconds: env.DPOP_PROOF_MAX_AGE,
      ...(env.DPOP_ORIGIN ? { origin: new URL(env.DPOP_ORIGIN).origin } : {}),
    },
    redisPrefix: env.TOKEN_REDIS_PREFIX,
    revocation: {
      resyncSeconds: env.REVOCATION_RESYNC_SECONDS,
      ...(env.REVOCATION_ADMIN_TOKEN ? { adminToken: env.REVOCATION_ADMIN_TOKEN } : {}),
    },
  };
}

function issuerOf(entry: z.output<typeof IssuerEntry>, env: TokenEnv): IssuerConfig {
  const jwks = (url: string) =>
    ({ kind: 'jwks', url, cooldownSeconds: env.JWT_JWKS_COOLDOWN, timeoutMs: env.JWT_JWKS_TIMEOUT_MS }) as const;
  return {
    issuer: entry.issuer,
    key: entry.jwksUrl ? jwks(entry.jwksUrl) : { kind: 'publicKey', pem: entry.publicKey!.replace(/\\n/g, '\n') },
    ...(entry.audiences ? { audiences: entry.audiences } : {}),
    ...(entry.algorithms ? { algorithms: entry.algorithms } : {}),
    rolesClaim: entry.rolesClaim ?? env.JWT_ROLES_CLAIM,
  };
}

/** Problems with these variables that depend on others: reported with the rest at start. */
export function tokenProblems(env: {
  JWT_ISSUERS?: unknown[] | undefined;
  JWT_SECRET?: string | undefined;
  JWT_PUBLIC_KEY?: string | undefined;
  JWT_JWKS_URL?: string | undefined;
  JWT_ISSUER?: string | undefined;
  JWT_AUDIENCE?: string | undefined;
  NODE_ENV: string;
}): string[] {
  if (!env.JWT_ISSUERS) return [];
  const problems: string[] = [];
  if (env.JWT_SECRET || env.JWT_PUBLIC_KEY || env.JWT_JWKS_URL || env.JWT_ISSUER || env.JWT_AUDIENCE) {
    problems.push(
      'JWT_ISSUERS replaces JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE: set one or the other',
    );
  }
  const withoutAudience = (env.JWT_ISSUERS as { audiences?: unknown }[]).some((entry) => !entry.audiences);
  if (env.NODE_ENV === 'production' && withoutAudience) problems.push('production needs audiences for every JWT_ISSUERS entry');
  return problems;
}
