import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { openDatabase, type Database } from './db.ts';
import { migrate } from './migrations.ts';
import { createIdentityVerifier, DEFAULT_IDENTITY_ISSUER, type Viewer } from '#identity';
import type { TestSigningKey } from '#identity/testing';
import { createLogger, type Logger } from '#platform';
import { startSubgraphServer, type IncomingRequest, type RunningServer, type SubgraphService } from './server.ts';

/** A fresh in-memory database with the subgraph's migrations and, unless told not to, its seed. */
export async function createTestDatabase(schema: string, directory: string, seedSql?: string): Promise<Database> {
  const db = await openDatabase({ driver: 'pglite' });
  await migrate(db, { schema, directory, ...(seedSql ? { seedSql } : {}) });
  return db;
}

/** Runs a document against a shielded schema as `who`, the way the HTTP layer would. */
export async function executeAs<Context extends object>(
  service: Pick<SubgraphService<Context>, 'schema' | 'createContext'>,
  who: Viewer,
  document: string,
  variableValues?: Record<string, unknown>,
  headers: IncomingRequest['headers'] = {},
): Promise<ExecutionResult> {
  return execute({
    schema: service.schema as GraphQLSchema,
    document: parse(document),
    contextValue: service.createContext({ viewer: who, headers, requestId: 'test-request' }),
    ...(variableValues ? { variableValues } : {}),
  });
}

/** The error codes of a result, in order: the assertion most authorization tests make. */
export function errorCodes(result: ExecutionResult): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

/**
 * `service` on a loopback port behind the kit's real identity guard, trusting `key` as it would
 * trust the gateway's: tokens must be minted with `key` for the service's own name.
 */
export function serveBehindIdentityGuard<Context extends object>(
  service: SubgraphService<Context>,
  key: TestSigningKey,
  logger: Logger = createLogger(service.name, 'silent'),
): Promise<RunningServer> {
  return startSubgraphServer({
    service,
    verifyIdentity: createIdentityVerifier({
      audience: service.name,
      issuer: DEFAULT_IDENTITY_ISSUER,
      keys: { publicKey: key.publicKeyPem },
    }),
    logger,
    port: 0,
    host: '127.0.0.1',
  });
}

export { codesOf, type AskAs, type DemoUser, type GatewayAnswer } from './contractSuite.ts';
