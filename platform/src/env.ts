import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for ${service}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

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

export interface HttpServerTimeouts {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
}

/** A duration in milliseconds, at least 1, with a default. */
export const milliseconds = (fallback: number) => z.coerce.number().int().min(1).max(3_600_000).default(fallback);

/** Node refuses a server whose headers timeout exceeds its request timeout; say so at start-up. */
export function checkHttpTimeouts(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if ((env.HTTP_HEADERS_TIMEOUT_MS as number) > (env.HTTP_REQUEST_TIMEOUT_MS as number)) {
    ctx.addIssue({ code: 'custom', message: 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS' });
  }
}
