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

/**
 * An optional variable turned into what it stands for (a key, a list) by `read`, at start-up: the
 * message of an error `read` throws is the problem reported for the variable, so `read` must say
 * why in words and never echo the value (it may be a secret).
 */
export function readWith<T>(read: (text: string) => T) {
  return z
    .string()
    .trim()
    .min(1)
    .optional()
    .transform((text, ctx): T | undefined => {
      if (text === undefined) return undefined;
      try {
        return read(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'cannot be read' });
        return z.NEVER;
      }
    });
}

export interface HttpServerTimeouts {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
}

/** A duration in milliseconds, at least 1, with a default. */
export const milliseconds = (fallback: number) => z.coerce.number().int().min(1).max(3_600_000).default(fallback);

/** Thrown, and caught by `acrossVariables`, when a check reads a variable that is bad itself. */
class ReadsBadVariable extends Error {}

type VariablesCheck<Env> = (env: Env, ctx: z.RefinementCtx<Env>) => void;

/**
 * Checks across variables that run even when other variables are bad, so that one start-up
 * reports every problem (zod skips refinements once any variable is not even of its type, such as
 * `PORT=eighty`). A check that reads a variable which is bad itself is skipped: that variable is
 * reported already, and its value means nothing to compare. Each check is skipped alone, so keep
 * one requirement per check. Use it with `.check(acrossVariables(...))` on the object of variables.
 */
export function acrossVariables<Env extends object>(...checks: VariablesCheck<Env>[]) {
  return z.superRefine<Env>(
    (env, ctx) => {
      const bad = new Set(ctx.issues.map((issue) => issue.path?.[0]));
      const guarded = new Proxy(env, {
        get(target, name, receiver) {
          if (bad.has(name)) throw new ReadsBadVariable();
          return Reflect.get(target, name, receiver);
        },
      });
      for (const check of checks) {
        try {
          check(guarded, ctx);
        } catch (error) {
          if (!(error instanceof ReadsBadVariable)) throw error;
        }
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
}

/** Node refuses a server whose headers timeout exceeds its request timeout; say so at start-up. */
export const checkHttpTimeouts = acrossVariables<Record<string, unknown>>((env, ctx) => {
  if ((env.HTTP_HEADERS_TIMEOUT_MS as number) > (env.HTTP_REQUEST_TIMEOUT_MS as number)) {
    ctx.addIssue({ code: 'custom', message: 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS' });
  }
});
