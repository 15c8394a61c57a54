import { describe, expect, it } from 'vitest';
import { signingKeyPem } from '#identity/testing';
import { temporaryFolder } from '#platform/testing';
import { readGatewayConfig } from '../config.ts';

const ISSUER = { issuer: 'https://sso.example.com/realms/shop', jwksUrl: 'https://sso.example.com/certs', audiences: ['api'] };
const production = { NODE_ENV: 'production', IDENTITY_SIGNING_KEY: signingKeyPem() };

const problemsOf = (env: NodeJS.ProcessEnv) => {
  try {
    readGatewayConfig(env);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('token configuration', () => {
  it('reads JWT_ISSUERS as JSON, each entry defaulting its roles claim to JWT_ROLES_CLAIM', () => {
    const config = readGatewayConfig({ JWT_ISSUERS: JSON.stringify([ISSUER]), JWT_ROLES_CLAIM: 'groups' });
    expect(config.clientAuth.tokens.issuers).toEqual([
      {
        issuer: ISSUER.issuer,
        key: { kind: 'jwks', url: ISSUER.jwksUrl, cooldownSeconds: 30, timeoutMs: 5000 },
        audiences: ['api'],
        rolesClaim: 'groups',
      },
    ]);
    expect(config.clientAuth.usingDevSecret).toBe(false);
  });

  it('reads JWT_ISSUERS from a file', () => {
    const folder = temporaryFolder('issuers');
    const file = folder.write('issuers.json', JSON.stringify([ISSUER]));
    expect(readGatewayConfig({ JWT_ISSUERS: file }).clientAuth.tokens.issuers).toHaveLength(1);
    folder.remove();
  });

  it('lets a production gateway start with JWT_ISSUERS alone', () => {
    expect(problemsOf({ ...production, JWT_ISSUERS: JSON.stringify([ISSUER]) })).toBe('');
  });

  it.each([
    [{ JWT_ISSUERS: 'not json and no such file' }, 'JSON array of issuers'],
    [{ JWT_ISSUERS: JSON.stringify([{ issuer: 'x' }]) }, 'exactly one of jwksUrl, publicKey'],
    [{ JWT_ISSUERS: JSON.stringify([{ ...ISSUER, publicKey: 'pem' }]) }, 'exactly one of jwksUrl, publicKey'],
    [{ JWT_ISSUERS: JSON.stringify([ISSUER, ISSUER]) }, 'lists an issuer twice'],
    [{ JWT_ISSUERS: JSON.stringify([{ ...ISSUER, algorithms: ['HS256'] }]) }, 'asymmetric'],
    [{ JWT_ISSUERS: JSON.stringify([ISSUER]), JWT_SECRET: 's' }, 'set one or the other'],
    [{ ...production, JWT_ISSUERS: JSON.stringify([{ ...ISSUER, audiences: undefined }]) }, 'audiences for every'],
    [{ REVOCATION_ADMIN_TOKEN: 'short' }, 'at least 32'],
    [{ JWT_COOKIE: 'bad name' }, 'cookie name'],
  ])('refuses %j', (env, message) => {
    expect(problemsOf(env)).toContain(message);
  });

  it('reads the cookie, DPoP and revocation settings', () => {
    const tokens = readGatewayConfig({
      JWT_COOKIE: 'access_token',
      DPOP_REQUIRED: 'true',
      DPOP_ORIGIN: 'https://api.example.com/ignored/path',
      JWT_JWKS_REFRESH: '15',
    }).clientAuth.tokens;
    expect(tokens).toMatchObject({
      cookie: 'access_token',
      jwksRefreshSeconds: 15,
      dpop: { required: true, proofMaxAgeSeconds: 60, origin: 'https://api.example.com' },
      redisPrefix: 'gateway:tokens:',
    });
  });
});
