import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '#platform';
import { signingKeyPem } from '#identity/testing';
import { readSubgraphConfig } from './config.ts';

/** The problems `env` is refused for, one line each; none when it is accepted. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    readSubgraphConfig('orders', 4001, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('readSubgraphConfig', () => {
  it('defaults to an embedded database under DATA_DIR and the gateway JWKS', () => {
    const config = readSubgraphConfig('orders', 4001, { DATA_DIR: '/tmp/x' });
    expect(config).toMatchObject({
      port: 4001,
      database: { driver: 'pglite', dataDir: '/tmp/x/orders' },
      identityKeys: { jwksUrl: 'http://localhost:4000/.well-known/jwks.json' },
      seedDemoData: true,
      debugErrors: false,
    });
  });

  it('uses a PostgreSQL server, in the subgraph own schema, and a per-subgraph URL wins', () => {
    const env = {
      DATABASE_URL: 'postgres://shared/db',
      PAYMENTS_DATABASE_URL: 'postgres://own/db',
      ORDERS_DATABASE_SCHEMA: 'orders_blue',
    };
    expect(readSubgraphConfig('orders', 4001, env).database).toEqual({
      driver: 'postgres',
      url: 'postgres://shared/db',
      schema: 'orders_blue',
    });
    expect(readSubgraphConfig('payments', 4002, env).database).toEqual({
      driver: 'postgres',
      url: 'postgres://own/db',
      schema: 'payments',
    });
  });

  it('takes a fixed public key instead of the JWKS, read at start', () => {
    const pem = createPublicKey(signingKeyPem()).export({ type: 'spki', format: 'pem' }).toString();
    expect(readSubgraphConfig('orders', 4001, { IDENTITY_PUBLIC_KEY: pem }).identityKeys).toEqual({
      publicKey: expect.objectContaining({ type: 'public', asymmetricKeyType: 'ed25519' }),
    });
  });

  it('refuses an unreadable IDENTITY_PUBLIC_KEY as a configuration problem, beside the others', () => {
    expect(problemsOf({ IDENTITY_PUBLIC_KEY: 'garbage', LOG_LEVEL: 'loud' })).toEqual([
      expect.stringMatching(/^IDENTITY_PUBLIC_KEY: .*PEM/),
      expect.stringMatching(/^LOG_LEVEL: /),
    ]);
  });

  it('reports the checks across variables together with every bad variable', () => {
    const problems = problemsOf({
      ORDERS_PORT: 'eighty',
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      NODE_ENV: 'production',
      DEBUG_ERRORS: 'true',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^ORDERS_PORT: /),
      expect.stringMatching(/HTTP_HEADERS_TIMEOUT_MS must not exceed/),
      expect.stringMatching(/^DEBUG_ERRORS: must not be true in production/),
    ]);
  });

  it('lists every invalid variable in one error', () => {
    let error: unknown;
    try {
      readSubgraphConfig('orders', 4001, {
        ORDERS_PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        ORDERS_DATABASE_SCHEMA: 'Drop Table',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['ORDERS_PORT', 'DATABASE_URL', 'LOG_LEVEL', 'ORDERS_DATABASE_SCHEMA']) {
      expect((error as ConfigError).problems.join('\n')).toContain(name);
    }
  });

  it("warns about a misspelt variable, naming the one meant, and not about the gateway's or its siblings'", () => {
    const env = { ORDRES_PORT: '4001', IDENTITY_SIGNING_KEY: 'pem', JWT_SECRET: 's', PAYMENTS_PORT: '4002', PORT: '4000' };
    expect(readSubgraphConfig('orders', 4001, env).warnings).toEqual([
      'ORDRES_PORT is not a variable this project reads: did you mean ORDERS_PORT?',
    ]);
  });

  it('refuses DEBUG_ERRORS=true in production', () => {
    expect(() => readSubgraphConfig('orders', 4001, { NODE_ENV: 'production', DEBUG_ERRORS: 'true' })).toThrow(/DEBUG_ERRORS/);
    expect(readSubgraphConfig('orders', 4001, { DEBUG_ERRORS: 'true' }).debugErrors).toBe(true);
  });

  it('serves /metrics on a port of its own in production: the service port plus 5464, or <NAME>_METRICS_PORT', () => {
    expect(readSubgraphConfig('orders', 4001, { NODE_ENV: 'production' }).metrics).toEqual({ port: 9465, host: '0.0.0.0' });
    expect(
      readSubgraphConfig('payments', 4002, { NODE_ENV: 'production', PAYMENTS_METRICS_PORT: '9100', METRICS_HOST: '127.0.0.1' })
        .metrics,
    ).toEqual({
      port: 9100,
      host: '127.0.0.1',
    });
    expect(readSubgraphConfig('orders', 4001, {}).metrics).toBeUndefined();
    expect(() => readSubgraphConfig('orders', 4001, { ORDERS_PORT: '4001', ORDERS_METRICS_PORT: '4001' })).toThrow(
      /ORDERS_METRICS_PORT/,
    );
  });

  it('reads every deadline, and refuses a headers timeout beyond the request timeout', () => {
    const config = readSubgraphConfig('orders', 4001, { DB_STATEMENT_TIMEOUT_MS: '2500', HTTP_KEEP_ALIVE_TIMEOUT_MS: '90000' });
    expect(config.timeouts).toEqual({
      statementMs: 2_500,
      lockMs: 2_000,
      acquireMs: 2_000,
      healthMs: 1_000,
      http: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 90_000 },
      shutdownMs: 10_000,
    });
    expect(config.identityKeys).toEqual({
      jwksUrl: 'http://localhost:4000/.well-known/jwks.json',
      refetchCooldownMs: 1_000,
      fetchTimeoutMs: 2_000,
    });
    expect(() =>
      readSubgraphConfig('orders', 4001, { HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000' }),
    ).toThrow(/HTTP_HEADERS_TIMEOUT_MS must not exceed/);
  });
});
