/**
 * Identity keys as operators paste them (PEM, a one-line PEM with `\n` escapes as env files carry
 * it, or a JWK), read into key objects at start-up. A key that cannot be read is refused with the
 * reason in words: never OpenSSL's error stack, never a byte of the key.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { identityAlgorithmOf } from './publishedKeys.ts';

export class KeyMaterialRejected extends Error {}

/** The private key identity tokens are signed with: Ed25519 or P-256. */
export function readIdentitySigningKey(text: string): KeyObject {
  const key = readKey(text, 'private');
  if (key.type !== 'private') throw new KeyMaterialRejected('is a public key: the private key is needed');
  return identityKeyOnly(key);
}

/** The public key identity tokens are verified with (the public half is taken from a private key). */
export function readIdentityPublicKey(text: string): KeyObject {
  return identityKeyOnly(readKey(text, 'public'));
}

/** EdDSA or ES256 for a key of a type identity tokens use; undefined for any other. */
export function identityAlgorithmOfKey(key: KeyObject): 'EdDSA' | 'ES256' | undefined {
  return identityAlgorithmOf(key.export({ format: 'jwk' }).crv);
}

function identityKeyOnly(key: KeyObject): KeyObject {
  if (identityAlgorithmOfKey(key)) return key;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new KeyMaterialRejected(`must be an Ed25519 or P-256 key, not ${key.asymmetricKeyType}${curve ? ` ${curve}` : ''}`);
}

function readKey(text: string, wanted: 'private' | 'public'): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return readJwk(trimmed, wanted);
  if (!trimmed.startsWith('-----BEGIN ')) {
    throw new KeyMaterialRejected(`must be a ${wanted} key as PEM (-----BEGIN ...) or a JWK (JSON)`);
  }
  const pem = trimmed.replace(/\\n/g, '\n');
  try {
    // A public PEM given where a private one is wanted is read as public, so the caller can say so.
    return wanted === 'private' && /^-----BEGIN PUBLIC KEY-----/.test(pem) ? createPublicKey(pem) : readAs(pem, wanted);
  } catch {
    throw new KeyMaterialRejected(`is not a readable PEM ${wanted} key`);
  }
}

function readJwk(text: string, wanted: 'private' | 'public'): KeyObject {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new KeyMaterialRejected('starts like a JWK but is not valid JSON');
  }
  const hasPrivatePart = typeof jwk === 'object' && jwk !== null && 'd' in jwk;
  try {
    return readAs({ key: jwk as JsonWebKey, format: 'jwk' }, wanted === 'private' && hasPrivatePart ? 'private' : 'public');
  } catch {
    throw new KeyMaterialRejected('is not a usable JWK');
  }
}

function readAs(source: string | { key: JsonWebKey; format: 'jwk' }, type: 'private' | 'public'): KeyObject {
  return type === 'private' ? createPrivateKey(source) : createPublicKey(source);
}
