/**
 * A subgraph's start-up, before and around its database: every configuration problem (the kit's
 * and the subgraph's own) in one list, and the failures an operator fixes in one line each.
 */
import { dirname } from 'node:path';
import { ConfigError, exitOnStartupFailure, fileVariable, type StartupSettings } from '#platform';
import { readSubgraphConfig, subgraphEnvNames, type SubgraphConfig } from './config.ts';
import { DataDirInUseError, exitIfDataDirInUse } from './dataDirLock.ts';

interface ProgramSettings {
  name: string;
  defaultPort: number;
  checkEnv?(env: NodeJS.ProcessEnv): void;
}

/** The kit's config, after the program's own settings were checked too: one ConfigError lists both. */
export function readProgramConfig(program: ProgramSettings, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const problems: string[] = [];
  const collect = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = collect(() => readSubgraphConfig(program.name, program.defaultPort, env));
  collect(() => program.checkEnv?.(env));
  if (!config || problems.length > 0) throw new ConfigError(program.name, problems);
  return config;
}

/** Which variable chose each thing start-up touches, for `exitOnStartupFailure`. */
export function startupSettingsOf(name: string, config: SubgraphConfig, env: NodeJS.ProcessEnv = process.env): StartupSettings {
  const names = subgraphEnvNames(name);
  const ports = [{ variable: names.port, port: config.port }];
  if (config.metrics) ports.push({ variable: names.metricsPort, port: config.metrics.port });
  const ownUrl = env[names.databaseUrl] || env[fileVariable(names.databaseUrl)];
  return {
    service: name,
    ports,
    ...(config.database.driver === 'postgres'
      ? { database: { variable: ownUrl ? names.databaseUrl : 'DATABASE_URL', url: config.database.url } }
      : {}),
    ...(config.database.driver === 'pglite' && config.database.dataDir
      ? { files: [{ variable: 'DATA_DIR', path: dirname(config.database.dataDir) }] }
      : {}),
  };
}

/** For `.catch()` around the launch: a folder in use, a port in use, a database away: one line, exit 1. */
export function exitOnSubgraphStartupFailure(name: string, config: SubgraphConfig): (error: unknown) => never {
  const explain = exitOnStartupFailure(startupSettingsOf(name, config));
  return (error) => (error instanceof DataDirInUseError ? exitIfDataDirInUse(error) : explain(error));
}
