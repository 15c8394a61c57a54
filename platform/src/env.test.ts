import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acrossVariables, ConfigError, parseEnv } from './env.ts';

const schema = z
  .object({
    PORT: z.coerce.number().int(),
    METRICS_PORT: z.coerce.number().int().optional(),
    LOG_LEVEL: z.enum(['info', 'debug']).default('info'),
  })
  .check(
    acrossVariables((env, ctx) => {
      if (env.METRICS_PORT === env.PORT)
        ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
    }),
  );

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv('service', schema, env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
}

describe('acrossVariables', () => {
  it('reports a check across variables together with a bad variable it does not read', () => {
    const problems = problemsOf({ PORT: '80', METRICS_PORT: '80', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL[\s\S]*METRICS_PORT: must differ from PORT/);
  });

  it('skips a check that reads a bad variable: that variable is reported already', () => {
    expect(problemsOf({ PORT: 'eighty', METRICS_PORT: 'eighty' })).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^METRICS_PORT: /),
    ]);
  });

  it('passes the parsed values to the check', () => {
    expect(parseEnv('service', schema, { PORT: '80', METRICS_PORT: '81' })).toEqual({
      PORT: 80,
      METRICS_PORT: 81,
      LOG_LEVEL: 'info',
    });
  });
});
