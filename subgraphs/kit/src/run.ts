import { readSubgraphConfig, ConfigError } from './config.ts';
import { openDatabase, type Database } from './db.ts';
import { createIdentityVerifier } from './identity.ts';
import { createLogger } from './logger.ts';
import { migrate, type MigrationPlan } from './migrations.ts';
import { startSubgraphServer, type SubgraphService } from './server.ts';

export interface SubgraphProgram {
  name: string;
  defaultPort: number;
  migrations: Omit<MigrationPlan, 'schema' | 'seedSql'> & { seedSql: string };
  createService(db: Database): SubgraphService<object>;
}

/** The whole life of one subgraph process: config, database, server, graceful stop on SIGTERM. */
export async function runSubgraph(program: SubgraphProgram): Promise<void> {
  let config;
  try {
    config = readSubgraphConfig(program.name, program.defaultPort);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger(program.name, config.logLevel);
  const db = await openDatabase(config.database);
  const applied = await migrate(db, {
    schema: program.name,
    directory: program.migrations.directory,
    ...(config.seedDemoData ? { seedSql: program.migrations.seedSql } : {}),
  });
  if (applied.length > 0) logger.info({ applied, driver: db.driver }, 'migrations applied');

  const server = await startSubgraphServer({
    service: program.createService(db),
    verifyIdentity: createIdentityVerifier({
      audience: program.name,
      issuer: config.identityIssuer,
      keys: config.identityKeys,
    }),
    logger,
    port: config.port,
    host: config.host,
    debugErrors: config.debugErrors,
  });

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'draining in-flight requests');
    await server.stop();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
