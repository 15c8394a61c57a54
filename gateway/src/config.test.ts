import { describe, expect, it } from 'vitest';
import { ConfigError } from '#kit';
import { DEV_CLIENT_AUTH, readGatewayConfig } from './config.ts';

describe('readGatewayConfig', () => {
  it('falls back to the dev secret and issuer outside production, and says so', () => {
    const config = readGatewayConfig({});
    expect(config.clientAuth).toMatchObject({
      key: { kind: 'secret', secret: DEV_CLIENT_AUTH.secret },
      issuer: DEV_CLIENT_AUTH.issuer,
      usingDevSecret: true,
      required: false,
      rolesClaim: 'roles',
    });
    expect(config.limits.maxDepth).toBe(15);
    expect(config.limits.maxAliases).toBe(100);
    expect(config.introspection).toBe(true);
  });

  it('refuses to start in production without explicit keys, listing every problem at once', () => {
    let error: unknown;
    try {
      readGatewayConfig({ NODE_ENV: 'production' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const missing of ['JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE', 'IDENTITY_SIGNING_KEY']) {
      expect(message).toContain(missing);
    }
  });

  it('turns introspection and the landing page off in production unless asked', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://idp.example.com/jwks',
      JWT_ISSUER: 'https://idp.example.com/',
      JWT_AUDIENCE: 'api',
      IDENTITY_SIGNING_KEY: 'pem',
    };
    expect(readGatewayConfig(production)).toMatchObject({ introspection: false, landingPage: false });
    expect(readGatewayConfig({ ...production, INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('refuses two key sources at once', () => {
    expect(() => readGatewayConfig({ JWT_SECRET: 's', JWT_JWKS_URL: 'https://x/jwks' })).toThrow('only one of');
  });

  it('names every malformed variable', () => {
    expect(() => readGatewayConfig({ MAX_DEPTH: '-1', PORT: 'x', JWT_JWKS_URL: 'ftp://x' })).toThrow(
      /MAX_DEPTH[\s\S]*PORT|PORT[\s\S]*MAX_DEPTH/,
    );
  });

  it('parses the algorithm allow-list and the roles claim path', () => {
    const config = readGatewayConfig({ JWT_SECRET: 's', JWT_ALGORITHMS: 'HS256, HS512', JWT_ROLES_CLAIM: 'realm_access.roles' });
    expect(config.clientAuth).toMatchObject({ algorithms: ['HS256', 'HS512'], rolesClaim: 'realm_access.roles', usingDevSecret: false });
    expect(config.clientAuth.issuer).toBeUndefined();
  });

  it('bounds every wait by default, and keeps the deadlines consistent with each other', () => {
    expect(readGatewayConfig({}).timeouts).toEqual({
      subgraphMs: 10_000,
      requestMs: 15_000,
      upstream: { connectMs: 2_000, keepAliveMs: 30_000, connectionsPerOrigin: 64 },
      http: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 75_000 },
      shutdownMs: 20_000,
    });
    expect(readGatewayConfig({}).maxConcurrentRequests).toBe(256);
    let error: unknown;
    try {
      readGatewayConfig({ REQUEST_TIMEOUT_MS: '55000', SHUTDOWN_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '40000', SUBGRAPH_TIMEOUT_MS: '0' });
    } catch (caught) {
      error = caught;
    }
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['SUBGRAPH_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS must be at most', 'SHUTDOWN_TIMEOUT_MS must exceed', 'HTTP_HEADERS_TIMEOUT_MS must not exceed']) {
      expect(problems).toContain(name);
    }
  });

  it('keeps a generated identity key under DATA_DIR only when none is configured', () => {
    expect(readGatewayConfig({ DATA_DIR: '/srv/data' }).identity.devKeyFile).toBe('/srv/data/gateway/identity-signing-key.pem');
    expect(readGatewayConfig({ IDENTITY_SIGNING_KEY: 'pem' }).identity.devKeyFile).toBeUndefined();
  });
});
