import { describe, expect, it } from 'vitest';
import { ConfigError } from '#platform';
import { signingKeyPem } from '#identity/testing';
import { readGatewayConfig } from '../config.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_JWKS_URL: 'https://idp.example.com/jwks',
  JWT_ISSUER: 'https://idp.example.com/',
  JWT_AUDIENCE: 'api',
  IDENTITY_SIGNING_KEY: signingKeyPem(),
};

describe('rate limit configuration', () => {
  it('is on by default in production, with every limit set', () => {
    const { rateLimits } = readGatewayConfig(PRODUCTION);
    expect(rateLimits.enabled).toBe(true);
    expect(rateLimits.user).toEqual({ name: 'user', points: 300, durationSeconds: 60, burst: 100, burstDurationSeconds: 600 });
    expect(rateLimits.anonymous).toMatchObject({ points: 60, durationSeconds: 60, burst: 30 });
    expect(rateLimits.mutations.placeOrder).toMatchObject({ points: 10, durationSeconds: 60, burst: 5 });
    expect(rateLimits.mutations.initiatePayment).toMatchObject({ points: 60, durationSeconds: 60, burst: 20 });
    expect(rateLimits.trustedProxyHops).toBe(0);
    expect(rateLimits.redis).toBeUndefined();
  });

  it('is off by default outside production, and RATE_LIMITS decides either way', () => {
    expect(readGatewayConfig({}).rateLimits.enabled).toBe(false);
    expect(readGatewayConfig({ RATE_LIMITS: 'on' }).rateLimits.enabled).toBe(true);
    expect(readGatewayConfig({ ...PRODUCTION, RATE_LIMITS: 'off' }).rateLimits.enabled).toBe(false);
  });

  it('reads each limit, the proxy hops and Redis', () => {
    const { rateLimits } = readGatewayConfig({
      RATE_LIMIT_PLACE_ORDER_POINTS: '3',
      RATE_LIMIT_PLACE_ORDER_DURATION: '10',
      RATE_LIMIT_PLACE_ORDER_BURST: '0',
      RATE_LIMIT_BURST_DURATION: '120',
      TRUST_PROXY: '2',
      REDIS_URL: 'redis://cache:6379/0',
      RATE_LIMIT_REDIS_PREFIX: 'edge:',
    });
    expect(rateLimits.mutations.placeOrder).toEqual({
      name: 'placeOrder',
      points: 3,
      durationSeconds: 10,
      burst: 0,
      burstDurationSeconds: 120,
    });
    expect(rateLimits.trustedProxyHops).toBe(2);
    expect(rateLimits.redis).toEqual({
      url: 'redis://cache:6379/0',
      keyPrefix: 'edge:',
      commandTimeoutMs: 500,
      connectTimeoutMs: 2000,
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      readGatewayConfig({
        RATE_LIMITS: 'yes',
        RATE_LIMIT_USER_POINTS: '0',
        REDIS_URL: 'http://cache',
        TRUST_PROXY: '-1',
        TRUSTED_DOCUMENTS: 'strict',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['RATE_LIMITS', 'RATE_LIMIT_USER_POINTS', 'REDIS_URL', 'TRUST_PROXY', 'TRUSTED_DOCUMENTS']) {
      expect((error as Error).message).toContain(name);
    }
  });

  it('leaves trusted documents off by default, reading the manifest npm run operations writes', () => {
    const { trustedDocuments } = readGatewayConfig(PRODUCTION);
    expect(trustedDocuments.mode).toBe('off');
    expect(trustedDocuments.manifestPath).toMatch(/operations\/manifest\.json$/);
  });
});
