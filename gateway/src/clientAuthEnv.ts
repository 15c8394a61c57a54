/**
 * The client-token variables whose values are read into what they stand for at start-up, so a bad
 * one is a configuration problem listed with the others, not an error on the first request.
 */
import { Buffer } from 'node:buffer';
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { acrossVariables, readWith } from '#platform';
import { algorithmsUnfitFor, CLIENT_TOKEN_ALGORITHMS, MIN_SECRET_BYTES } from './auth/algorithms.ts';

/** The key types `JWT_PUBLIC_KEY` may hold: those a client token's algorithm can name. */
const CLIENT_KEY_TYPES = ['rsa', 'rsa-pss', 'ec', 'ed25519'];

function readClientPublicKey(text: string): string {
  const pem = text.replace(/\\n/g, '\n');
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch {
    throw new Error('must be a public key as PEM (-----BEGIN PUBLIC KEY-----)');
  }
  if (!CLIENT_KEY_TYPES.includes(type ?? '')) throw new Error(`must be an RSA, EC or Ed25519 key, not ${type}`);
  return pem;
}

function readAlgorithms(text: string): string[] {
  const algorithms = text
    .split(',')
    .map((alg) => alg.trim())
    .filter(Boolean);
  if (algorithms.length === 0) throw new Error('names no algorithm');
  const unknown = algorithms.filter((alg) => !CLIENT_TOKEN_ALGORITHMS.includes(alg));
  if (unknown.length > 0) {
    const named = unknown.map((alg) => (alg.toLowerCase() === 'none' ? 'none is never accepted' : `${alg} is not an algorithm`));
    throw new Error(`${named.join('; ')}: use ${CLIENT_TOKEN_ALGORITHMS.join(', ')}`);
  }
  return algorithms;
}

export const clientAuthVariables = {
  JWT_SECRET: z.string().trim().min(1).optional(),
  JWT_PUBLIC_KEY: readWith(readClientPublicKey),
  JWT_ALGORITHMS: readWith(readAlgorithms),
};

interface ClientAuthVariables {
  NODE_ENV: string;
  JWT_SECRET?: string | undefined;
  JWT_PUBLIC_KEY?: string | undefined;
  JWT_JWKS_URL?: string | undefined;
  JWT_ALGORITHMS?: string[] | undefined;
}

const secretBytes = (secret: string) => Buffer.byteLength(secret, 'utf8');

/** Algorithms that fit the key (the development secret when none is set), and a long enough secret in production. */
export const checkClientAuth = acrossVariables<ClientAuthVariables>((env, ctx) => {
  const symmetric = env.JWT_SECRET !== undefined || (env.JWT_PUBLIC_KEY === undefined && env.JWT_JWKS_URL === undefined);
  const misfits = algorithmsUnfitFor(symmetric, env.JWT_ALGORITHMS ?? []);
  if (misfits.length > 0) {
    const key = env.JWT_SECRET === undefined && symmetric ? 'the development secret' : symmetric ? 'JWT_SECRET' : 'a public key';
    ctx.addIssue({ code: 'custom', path: ['JWT_ALGORITHMS'], message: `${misfits.join(', ')} cannot be used with ${key}` });
  }
  if (env.NODE_ENV === 'production' && env.JWT_SECRET !== undefined && secretBytes(env.JWT_SECRET) < MIN_SECRET_BYTES) {
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: shortSecret(env.JWT_SECRET) });
  }
});

/** Outside production a short secret is allowed, and said. */
export function clientAuthWarnings(env: { NODE_ENV: string; JWT_SECRET?: string | undefined }): string[] {
  if (env.NODE_ENV === 'production' || env.JWT_SECRET === undefined) return [];
  if (secretBytes(env.JWT_SECRET) >= MIN_SECRET_BYTES) return [];
  return [`JWT_SECRET ${shortSecret(env.JWT_SECRET)}; production refuses it`];
}

const shortSecret = (secret: string) =>
  `is ${secretBytes(secret)} bytes: an HS256 secret needs at least ${MIN_SECRET_BYTES} random bytes (openssl rand -base64 32)`;
