/**
 * Secrets from files (`JWT_SECRET_FILE=/run/secrets/jwt`), the way Docker and Kubernetes mount
 * them, so they need not sit in the environment. For each secret NAME, `NAME_FILE` names a file
 * whose contents (trailing newline dropped) become NAME; setting both is a mistake, reported.
 */
import { readFileSync } from 'node:fs';

export const fileVariable = (name: string) => `${name}_FILE`;

export interface SecretsRead {
  /** `env` with each NAME filled in from NAME_FILE. */
  env: NodeJS.ProcessEnv;
  /** One line per problem, in the config modules' wording, for ConfigError. */
  problems: string[];
}

export function readSecretFiles(env: NodeJS.ProcessEnv, names: readonly string[]): SecretsRead {
  const resolved = { ...env };
  const problems: string[] = [];
  for (const name of names) {
    const file = env[fileVariable(name)];
    if (!file) continue;
    if (env[name]) {
      problems.push(`${fileVariable(name)}: set either ${name} or ${fileVariable(name)}, not both`);
      continue;
    }
    try {
      const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (value.trim() === '') problems.push(`${fileVariable(name)}: ${file} is empty`);
      else resolved[name] = value;
    } catch (error) {
      problems.push(`${fileVariable(name)}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return { env: resolved, problems };
}
