import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '#platform';
import { signingKeyPem } from '#identity/testing';
import { DEV_CLIENT_AUTH, readGatewayConfig } from './config.ts';

/** The least a production gateway needs to start. */
const production = {
  NODE_ENV: 'production',
  JWT_JWKS_URL: 'https://idp.example.com/jwks',
  JWT_ISSUER: 'https://idp.example.com/',
  JWT_AUDIENCE: 'api',
  IDENTITY_SIGNING_KEY: signingKeyPem(),
};

/** The problems `env` is refused for, one line each; none when it is accepted. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    readGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

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
    expect(readGatewayConfig(production)).toMatchObject({ introspection: false, landingPage: false });
    expect(readGatewayConfig({ ...production, INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('bounds the work of an operation by default, each bound configurable', () => {
    expect(readGatewayConfig({}).limits).toMatchObject({
      maxRootFields: 20,
      maxSelections: 500,
      maxCost: 10_000,
      defaultListSize: 10,
      maxSubgraphFetches: 25,
    });
    const tuned = readGatewayConfig({
      MAX_ROOT_FIELDS: '5',
      MAX_SELECTIONS: '50',
      MAX_COST: '99',
      DEFAULT_LIST_SIZE: '3',
      MAX_SUBGRAPH_FETCHES: '2',
    });
    expect(tuned.limits).toMatchObject({
      maxRootFields: 5,
      maxSelections: 50,
      maxCost: 99,
      defaultListSize: 3,
      maxSubgraphFetches: 2,
    });
  });

  it('names every malformed limit at once', () => {
    expect(() => readGatewayConfig({ MAX_COST: '0', MAX_SELECTIONS: 'many', MAX_SUBGRAPH_FETCHES: '1.5' })).toThrow(
      /(?=[\s\S]*MAX_COST)(?=[\s\S]*MAX_SELECTIONS)(?=[\s\S]*MAX_SUBGRAPH_FETCHES)/,
    );
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
    expect(config.clientAuth).toMatchObject({
      algorithms: ['HS256', 'HS512'],
      rolesClaim: 'realm_access.roles',
      usingDevSecret: false,
    });
    expect(config.clientAuth.issuer).toBeUndefined();
  });

  describe('in production', () => {
    it('refuses DEBUG_ERRORS=true', () => {
      expect(() => readGatewayConfig({ ...production, DEBUG_ERRORS: 'true' })).toThrow(
        /DEBUG_ERRORS=true is refused in production/,
      );
      expect(readGatewayConfig({ DEBUG_ERRORS: 'true' }).debugErrors).toBe(true);
    });

    it('serves /metrics on a port of its own, 9464 unless METRICS_PORT says otherwise', () => {
      expect(readGatewayConfig(production).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
      expect(readGatewayConfig({ ...production, METRICS_PORT: '9100', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({
        port: 9100,
        host: '10.0.0.5',
      });
      expect(readGatewayConfig({}).metrics).toBeUndefined();
    });

    it('refuses a METRICS_PORT that is the client-facing PORT', () => {
      expect(() => readGatewayConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow('METRICS_PORT must differ from PORT');
    });
  });

  it('bounds client token age at 24 hours unless JWT_MAX_TOKEN_AGE says otherwise', () => {
    expect(readGatewayConfig({}).clientAuth.maxAgeSeconds).toBe(86_400);
    expect(readGatewayConfig({ JWT_MAX_TOKEN_AGE: '3600' }).clientAuth.maxAgeSeconds).toBe(3600);
    expect(() => readGatewayConfig({ JWT_MAX_TOKEN_AGE: '1e308' })).toThrow('JWT_MAX_TOKEN_AGE');
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
      readGatewayConfig({
        REQUEST_TIMEOUT_MS: '55000',
        SHUTDOWN_TIMEOUT_MS: '1000',
        HTTP_HEADERS_TIMEOUT_MS: '40000',
        SUBGRAPH_TIMEOUT_MS: '0',
      });
    } catch (caught) {
      error = caught;
    }
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'SUBGRAPH_TIMEOUT_MS',
      'REQUEST_TIMEOUT_MS must be at most',
      'SHUTDOWN_TIMEOUT_MS must exceed',
      'HTTP_HEADERS_TIMEOUT_MS must not exceed',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('keeps a generated identity key under DATA_DIR only when none is configured', () => {
    expect(readGatewayConfig({ DATA_DIR: '/srv/data' }).identity.devKeyFile).toBe('/srv/data/gateway/identity-signing-key.pem');
    expect(readGatewayConfig({ IDENTITY_SIGNING_KEY: signingKeyPem() }).identity.devKeyFile).toBeUndefined();
  });

  describe('key material, read at start', () => {
    it('reads IDENTITY_SIGNING_KEY into a private key', () => {
      expect(readGatewayConfig(production).identity.signingKey).toMatchObject({ type: 'private', asymmetricKeyType: 'ed25519' });
    });

    it('refuses an unreadable IDENTITY_SIGNING_KEY or JWT_PUBLIC_KEY as a configuration problem, beside the others', () => {
      const problems = problemsOf({ IDENTITY_SIGNING_KEY: 'garbage', MAX_DEPTH: '-1' });
      expect(problems).toEqual([expect.stringMatching(/^IDENTITY_SIGNING_KEY: .*PEM/), expect.stringMatching(/^MAX_DEPTH: /)]);
      expect(problemsOf({ JWT_PUBLIC_KEY: 'garbage' })).toEqual([expect.stringMatching(/^JWT_PUBLIC_KEY: .*PEM/)]);
    });

    it('refuses a public key given as IDENTITY_SIGNING_KEY', () => {
      const publicPem = createPublicKey(signingKeyPem()).export({ type: 'spki', format: 'pem' }).toString();
      expect(problemsOf({ IDENTITY_SIGNING_KEY: publicPem })).toEqual([expect.stringMatching(/public key/)]);
    });
  });

  it('reports the checks across variables together with every bad variable', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      MAX_DEPTH: 'deep',
      JWT_SECRET: 's'.repeat(40),
      JWT_JWKS_URL: 'https://x/jwks',
    });
    for (const expected of ['MAX_DEPTH', 'only one of', 'production needs JWT_ISSUER', 'production needs IDENTITY_SIGNING_KEY']) {
      expect(problems.join('\n')).toContain(expected);
    }
  });

  it("warns about a misspelt variable, naming the one meant, and not about the subgraphs' variables", () => {
    expect(readGatewayConfig({ JWT_ALGORITHM: 'RS256', IDENTITY_SIGNING_KEYS: 'k', ORDERS_PORT: '4001' }).warnings).toEqual([
      'IDENTITY_SIGNING_KEYS is not a variable this project reads: did you mean IDENTITY_SIGNING_KEY?',
      'JWT_ALGORITHM is not a variable this project reads: did you mean JWT_ALGORITHMS?',
    ]);
  });

  describe('JWT_SECRET and JWT_ALGORITHMS', () => {
    const productionWithSecret = (secret: string) => ({ ...production, JWT_JWKS_URL: undefined, JWT_SECRET: secret });

    it('refuses an HS256 secret under 32 bytes in production', () => {
      expect(problemsOf(productionWithSecret('short-secret'))).toEqual([
        expect.stringMatching(/^JWT_SECRET: .*12 bytes.*at least 32/),
      ]);
      expect(problemsOf(productionWithSecret('x'.repeat(32)))).toEqual([]);
    });

    it('accepts a short secret in development, with a warning', () => {
      expect(readGatewayConfig({ JWT_SECRET: 'short-secret' }).warnings).toEqual([
        expect.stringMatching(/^JWT_SECRET .*12 bytes.*at least 32/),
      ]);
      expect(readGatewayConfig({ JWT_SECRET: 'x'.repeat(32) }).warnings).toEqual([]);
    });

    it('refuses an algorithm name that is none, naming the valid ones', () => {
      expect(problemsOf({ JWT_SECRET: 'x'.repeat(32), JWT_ALGORITHMS: 'HS256,HS265' })).toEqual([
        expect.stringMatching(/^JWT_ALGORITHMS: HS265 is not an algorithm.*HS256, HS384, HS512, RS256/),
      ]);
      expect(problemsOf({ JWT_SECRET: 'x'.repeat(32), JWT_ALGORITHMS: 'none' })).toHaveLength(1);
    });

    it('refuses algorithms that cannot be used with the configured key', () => {
      expect(problemsOf({ JWT_SECRET: 'x'.repeat(32), JWT_ALGORITHMS: 'RS256' })).toEqual([
        expect.stringMatching(/JWT_ALGORITHMS.*RS256 cannot be used with JWT_SECRET/),
      ]);
    });
  });
});
