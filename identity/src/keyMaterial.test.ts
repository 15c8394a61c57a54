import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyMaterialRejected, readIdentityPublicKey, readIdentitySigningKey } from './keyMaterial.ts';

const ed25519 = generateKeyPairSync('ed25519');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: { export(options: object): string | Buffer }, type: string) => key.export({ type, format: 'pem' }).toString();
const oneLine = (text: string) => text.replace(/\n/g, '\\n');

describe('identity key material', () => {
  it('reads a private key as PEM, as a one-line PEM with \\n escapes, or as a JWK', () => {
    const privatePem = pem(ed25519.privateKey, 'pkcs8');
    expect(readIdentitySigningKey(privatePem).asymmetricKeyType).toBe('ed25519');
    expect(readIdentitySigningKey(oneLine(privatePem)).asymmetricKeyType).toBe('ed25519');
    expect(readIdentitySigningKey(JSON.stringify(p256.privateKey.export({ format: 'jwk' }))).asymmetricKeyType).toBe('ec');
  });

  it('reads a public key as PEM or JWK', () => {
    expect(readIdentityPublicKey(pem(ed25519.publicKey, 'spki')).type).toBe('public');
    expect(readIdentityPublicKey(JSON.stringify(p256.publicKey.export({ format: 'jwk' }))).type).toBe('public');
  });

  it.each([
    ['garbage', /PEM .*or a JWK/],
    ['{"kty": "OKP"', /not valid JSON/],
    ['{"kty": "OKP", "crv": "Ed25519"}', /not a usable JWK/],
    [pem(ed25519.publicKey, 'spki'), /a public key: the private key is needed/],
    [JSON.stringify(ed25519.publicKey.export({ format: 'jwk' })), /a public key: the private key is needed/],
    [pem(rsa.privateKey, 'pkcs8'), /Ed25519 or P-256 key, not rsa/],
  ])('refuses %j as a signing key, saying why', (text, reason) => {
    expect(() => readIdentitySigningKey(text)).toThrow(KeyMaterialRejected);
    expect(() => readIdentitySigningKey(text)).toThrow(reason);
  });

  it.each([
    ['garbage', /PEM .*or a JWK/],
    [pem(rsa.publicKey, 'spki'), /Ed25519 or P-256 key, not rsa/],
  ])('refuses %j as a public key, saying why', (text, reason) => {
    expect(() => readIdentityPublicKey(text)).toThrow(reason);
  });

  it('never repeats OpenSSL or the key itself in its reason', () => {
    try {
      readIdentitySigningKey('-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----');
    } catch (error) {
      expect((error as Error).message).not.toMatch(/error:|DECODER|c2VjcmV0/);
    }
  });
});
