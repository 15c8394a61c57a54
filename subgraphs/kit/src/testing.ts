import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { openDatabase, type Database } from './db.ts';
import { migrate } from './migrations.ts';
import { ANONYMOUS, claimsOf, COMPANION_CLAIM, DEFAULT_IDENTITY_ISSUER, IDENTITY_TOKEN_TYPE, type Viewer } from './protocol.ts';
import { createIdentityVerifier } from './identity.ts';
import { createLogger, type Logger } from './logger.ts';
import { startSubgraphServer, type IncomingRequest, type RunningServer, type SubgraphService } from './server.ts';

/** Builds a viewer for tests: `as('alice')`, `as('wendy', 'warehouse_staff')`. */
export function viewer(sub: string | null, ...roles: string[]): Viewer {
  return sub === null ? ANONYMOUS : { sub, email: `${sub}@example.com`, roles, scopes: [] };
}

export interface TestSigningKey {
  privateKey: CryptoKey;
  publicKeyPem: string;
  kid: string;
}

export async function createTestSigningKey(kid = 'test-key'): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  return { privateKey, publicKeyPem: await exportSPKI(publicKey), kid };
}

export interface MintOptions {
  audience: string | string[] | null;
  key: TestSigningKey;
  issuer?: string;
  type?: string | null;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  issuedAtOffset?: number;
  /** The token's `jti` (a fresh one by default); null leaves it out. */
  tokenId?: string | null;
  /** The `jti` of the token this one travels beside, as the gateway's onward tokens name it. */
  companionOf?: string;
}

/** Signs an identity token the way the gateway does, with knobs to make it wrong on purpose. */
export async function mintIdentity(who: Viewer, options: MintOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const companion = options.companionOf === undefined ? {} : { [COMPANION_CLAIM]: options.companionOf };
  const jwt = new SignJWT({ ...claimsOf(who), ...companion })
    .setProtectedHeader({
      alg: 'EdDSA',
      kid: options.key.kid,
      ...(options.type === null ? {} : { typ: options.type ?? IDENTITY_TOKEN_TYPE }),
    })
    .setIssuer(options.issuer ?? DEFAULT_IDENTITY_ISSUER)
    .setIssuedAt(now + (options.issuedAtOffset ?? 0))
    .setExpirationTime(now + (options.expiresIn ?? 60));
  if (options.audience !== null) jwt.setAudience(options.audience);
  if (options.tokenId !== null) jwt.setJti(options.tokenId ?? randomUUID());
  return jwt.sign(options.key.privateKey);
}

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

/** A loopback port free right now, for a server that must know its port before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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

/** A throwaway folder for files a test hands to the code (secrets, manifests); `remove` it after. */
export function temporaryFolder(prefix: string) {
  const folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    /** Writes `contents` to `name` in the folder and returns the file's path. */
    write(name: string, contents: string): string {
      const file = join(folder, name);
      writeFileSync(file, contents);
      return file;
    },
    /** The path of `name` in the folder, written or not. */
    path: (name: string) => join(folder, name),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
