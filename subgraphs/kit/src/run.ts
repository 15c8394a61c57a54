import { readFileSync } from 'node:fs';
import {
  exitOnConfigError,
  settlesWithin,
  createLogger,
  type Logger,
  onShutdownSignal,
  startTracing,
  tracingActive,
} from '#platform';
import { DEFAULT_SUBGRAPH_TIMEOUTS, type SubgraphConfig } from './config.ts';
import { openDatabase, type Database } from './db.ts';
import { createIdentityVerifier, type IdentityVerifier } from '#identity';
import { migrate } from './migrations.ts';
import { startSubgraphServer, type RunningServer, type SubgraphService } from './server.ts';
import { traceStatements } from './tracedDatabase.ts';
import { exitOnSubgraphStartupFailure, readProgramConfig } from './startup.ts';

/** What a subgraph's main module declares; the kit does the rest. */
export interface SubgraphProgram {
  name: string;
  defaultPort: number;
  /** Folder of numbered SQL migrations. */
  migrationsDir: string;
  /** Demo data, loaded once into an empty database. */
  seedFile: string;
  /** `env` is the process environment, for settings of this subgraph alone. */
  createService(db: Database, env: NodeJS.ProcessEnv): SubgraphService<object>;
  /**
   * Checks the settings `createService` will read from `env`, throwing ConfigError, so that a bad
   * one stops the process before its database opens and is reported like the kit's own.
   */
  checkEnv?(env: NodeJS.ProcessEnv): void;
  /** The variables `checkEnv` and `createService` read, beside those every subgraph reads. */
  ownEnvVariables?: readonly string[];
}

export interface RunningSubgraph {
  readonly server: RunningServer;
  readonly db: Database;
  /** Drains in-flight requests, then closes the database. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Replaces the verifier built from the config (tests with their own keys). */
  verifyIdentity?: IdentityVerifier;
}

export async function launchSubgraph(
  program: SubgraphProgram,
  config: SubgraphConfig,
  options: LaunchOptions = {},
): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger(program.name, config.logLevel);
  const timeouts = { ...DEFAULT_SUBGRAPH_TIMEOUTS, ...config.timeouts };
  const opened = await openDatabase(config.database, timeouts);
  const db = tracingActive() ? traceStatements(opened, databaseNamespace(program, config)) : opened;
  const applied = await migrate(db, {
    schema: databaseNamespace(program, config),
    directory: program.migrationsDir,
    ...(config.seedDemoData ? { seedSql: readFileSync(program.seedFile, 'utf8') } : {}),
  });
  if (applied.length > 0) logger.info({ applied, driver: db.driver }, 'migrations applied');

  const server = await startSubgraphServer({
    service: program.createService(db, options.env ?? process.env),
    verifyIdentity:
      options.verifyIdentity ??
      createIdentityVerifier({
        audience: program.name,
        issuer: config.identityIssuer,
        keys: config.identityKeys,
        ...(config.identityMaxLifetimeSeconds ? { maxLifetimeSeconds: config.identityMaxLifetimeSeconds } : {}),
      }),
    logger,
    port: config.port,
    host: config.host,
    debugErrors: config.debugErrors,
    ...(config.metrics ? { metrics: config.metrics } : {}),
    timeouts,
  });
  return {
    server,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

const databaseNamespace = (program: SubgraphProgram, config: SubgraphConfig) =>
  config.database.driver === 'postgres' ? config.database.schema : program.name;

/** The whole life of one subgraph process: config, database, server, graceful stop on SIGTERM. */
export async function runSubgraph(program: SubgraphProgram): Promise<void> {
  const config = exitOnConfigError(() => readProgramConfig(program));
  const logger = createLogger(program.name, config.logLevel);
  const tracing = await startTracing(program.name, config.tracing ?? { enabled: false });
  for (const warning of config.warnings ?? []) logger.warn(warning);
  const running = await launchSubgraph(program, config, { logger }).catch(exitOnSubgraphStartupFailure(program.name, config));
  const shutdownMs = config.timeouts?.shutdownMs ?? DEFAULT_SUBGRAPH_TIMEOUTS.shutdownMs;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, shutdownMs }, 'draining in-flight requests');
    // A blocked database must not keep the process alive: past the deadline it exits all the same,
    // and exiting destroys the pool's connections.
    const drained = await settlesWithin(
      running.stop().finally(() => tracing.shutdown().catch(() => {})),
      shutdownMs,
    );
    if (drained) logger.info('stopped');
    else logger.warn({ shutdownMs }, 'shutdown deadline passed; exiting with work unfinished');
    process.exit(0);
  };
  onShutdownSignal(shutdown);
}
