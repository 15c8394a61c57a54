import { afterAll, describe, expect, it } from 'vitest';
import { temporaryFolder } from '#platform/testing';
import { signingKeyPem } from '#identity/testing';
import { readGatewayConfig } from './config.ts';

const files = temporaryFolder('gateway-secrets');
afterAll(files.remove);
const secretFile = files.write;

describe('gateway secrets from files', () => {
  it('JWT_SECRET_FILE and IDENTITY_SIGNING_KEY_FILE satisfy production like the variables', () => {
    const config = readGatewayConfig({
      NODE_ENV: 'production',
      JWT_SECRET_FILE: secretFile('jwt', 'a-long-shared-secret-of-thirty-two-bytes\n'),
      JWT_ISSUER: 'https://issuer.example',
      JWT_AUDIENCE: 'api',
      IDENTITY_SIGNING_KEY_FILE: secretFile('identity', `${signingKeyPem()}\n`),
    });
    expect(config.clientAuth.key).toEqual({ kind: 'secret', secret: 'a-long-shared-secret-of-thirty-two-bytes' });
    expect(config.identity.signingKey).toMatchObject({ type: 'private', asymmetricKeyType: 'ed25519' });
  });

  it('refuses JWT_PUBLIC_KEY and JWT_PUBLIC_KEY_FILE together', () => {
    expect(() => readGatewayConfig({ JWT_PUBLIC_KEY: 'pem', JWT_PUBLIC_KEY_FILE: secretFile('pem', 'pem') })).toThrow(
      /JWT_PUBLIC_KEY_FILE: set either JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both/,
    );
  });
});
