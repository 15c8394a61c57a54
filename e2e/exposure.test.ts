/**
 * What the edge must never hand out: private key material in the published JWKS, metrics on the
 * client-facing port in production, internal service names in production errors.
 */
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '#platform';
import { launchSubgraph, readSubgraphConfig } from '#kit';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const jwkOf = (key: Parameters<typeof exportJWK>[0]) => exportJWK(key);

describe('IDENTITY_PUBLISHED_KEYS', () => {
  it.each([
    ['an RSA private key', () => jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
    ['an RSA public key', () => jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)],
    ['an oct secret', async () => ({ kty: 'oct', k: Buffer.from('a shared secret of some length').toString('base64url') })],
    ['an Ed25519 private key', async () => jwkOf((await generateKeyPair('EdDSA', { extractable: true })).privateKey)],
    ['a P-384 public key', async () => jwkOf((await generateKeyPair('ES384', { extractable: true })).publicKey)],
  ])('refuses %s at start, naming the key', async (_case, makeKey) => {
    const key = { ...(await makeKey()), kid: 'rotation-next' };
    const starting = stack.startGateway({ IDENTITY_PUBLISHED_KEYS: JSON.stringify([key]) });
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toThrow(/IDENTITY_PUBLISHED_KEYS.*key 0 \(kid rotation-next\)/);
  });

  it('publishes an Ed25519 public key with its public members only', async () => {
    const publicJwk = await jwkOf((await generateKeyPair('EdDSA', { extractable: true })).publicKey);
    const gateway = await stack.startGateway({
      IDENTITY_PUBLISHED_KEYS: JSON.stringify([{ ...publicJwk, kid: 'next', x5u: 'https://attacker.test/chain', ext: true }]),
    });
    const jwks = (await (await fetch(new URL('/.well-known/jwks.json', gateway.url))).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys[1]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, alg: 'EdDSA', kid: 'next', use: 'sig' });
  });
});

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'exposure-secret-that-is-long-enough-for-hs256',
  JWT_ISSUER: 'https://issuer.test/',
  JWT_AUDIENCE: 'federation-api',
};
const clientPortMetrics = (graphqlUrl: string) => fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'));

describe('/metrics', () => {
  it('is not served on the client-facing port of a production gateway, only on its own', async () => {
    const gateway = await stack.startGateway(PRODUCTION);
    await gateway.query('query Catalogue { products { sku } }');
    const onClientPort = await clientPortMetrics(gateway.url);
    expect(onClientPort.status).toBe(404);
    expect(await onClientPort.text()).not.toContain('graphql_requests_total');
    expect(new URL(gateway.metricsUrl).port).not.toBe(new URL(gateway.url).port);
    expect(await (await fetch(gateway.metricsUrl)).text()).toMatch(/graphql_requests_total\{operation="Catalogue"/);
  });

  it('is served beside GraphQL in development unless METRICS_PORT is set', async () => {
    const gateway = await stack.startGateway({ METRICS_PORT: undefined });
    expect(gateway.metricsUrl).toBe(gateway.url.replace(/\/graphql$/, '/metrics'));
    expect((await clientPortMetrics(gateway.url)).status).toBe(200);
  });

  it('is not served on the client-facing port of a production subgraph, only on its own', async () => {
    const config = readSubgraphConfig('orders', 4001, {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      ORDERS_PORT: '0',
      ORDERS_METRICS_PORT: '0',
      GATEWAY_JWKS_URL: new URL('/.well-known/jwks.json', stack.gatewayUrl).href,
    });
    const orders = await launchSubgraph(
      ORDERS_PROGRAM,
      { ...config, database: { driver: 'pglite' } },
      {
        logger: createLogger('orders', 'silent'),
      },
    );
    try {
      expect((await clientPortMetrics(orders.server.url)).status).not.toBe(200);
      expect(await (await fetch(orders.server.metricsUrl)).text()).toContain('service="orders"');
    } finally {
      await orders.stop();
    }
  });
});

describe('a subgraph outage', () => {
  let production: Awaited<ReturnType<Stack['startGateway']>>;
  beforeAll(async () => {
    production = await stack.startGateway(PRODUCTION);
    await stack.stopSubgraph('inventory');
  });
  afterAll(() => stack.restartSubgraph('inventory'));

  it('does not name the subgraph to a production client', async () => {
    const response = await production.query('{ products { sku } }');
    expect(response.body.errors).toHaveLength(1);
    const [error] = response.body.errors!;
    expect(error).toMatchObject({ message: 'A service is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(error!.extensions).not.toHaveProperty('serviceName');
    expect(JSON.stringify(response.body)).not.toContain('inventory');
  });

  it('names it in development, where it helps', async () => {
    const response = await stack.query('{ products { sku } }');
    expect(response.body.errors).toMatchObject([
      { message: 'The inventory service is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'inventory' } },
    ]);
  });
});

describe('DEBUG_ERRORS=true in production', () => {
  it('stops the gateway at start', async () => {
    const starting = stack.startGateway({ ...PRODUCTION, DEBUG_ERRORS: 'true' });
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toThrow('DEBUG_ERRORS=true is refused in production');
  });

  it('stops a subgraph at start', () => {
    expect(() => readSubgraphConfig('payments', 4002, { NODE_ENV: 'production', DEBUG_ERRORS: 'true' })).toThrow(ConfigError);
  });
});
