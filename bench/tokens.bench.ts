/**
 * What a token costs, per algorithm: client tokens (signed by an identity provider, verified by the
 * gateway) and identity tokens (signed by the gateway, verified by a subgraph), each verified cold
 * and through the caches the services keep. `npx vitest bench --run`.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { bench, describe } from 'vitest';
import { createIdentityVerifier, DEFAULT_IDENTITY_ISSUER, type Viewer, createIdentitySigner } from '#identity';
import { createClientTokenVerifier } from '../gateway/src/auth/clientToken.ts';
import { RevocationList } from '../gateway/src/auth/revocation/revocationList.ts';
import type { ClientAuthConfig, ClientKeyConfig } from '../gateway/src/config.ts';

const ISSUER = 'https://idp.bench.example/';
const AUDIENCE = 'bench-api';
// A frozen clock: tokens minted once stay valid however long the benchmark runs.
const FROZEN = new Date();
const now = () => FROZEN;
const OPTIONS = { time: 400, warmupTime: 100 };

type ClientAlgorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

function keysFor(alg: ClientAlgorithm): { signingKey: Uint8Array | KeyObject; key: ClientKeyConfig } {
  if (alg === 'HS256') {
    const secret = 'bench-secret-0123456789abcdef0123456789abcdef';
    return { signingKey: new TextEncoder().encode(secret), key: { kind: 'secret', secret } };
  }
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return {
    signingKey: pair.privateKey,
    key: { kind: 'publicKey', pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  };
}

function clientToken(alg: ClientAlgorithm, signingKey: Uint8Array | KeyObject, sub: string): Promise<string> {
  return new SignJWT({ roles: ['admin'] })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(FROZEN.getTime() / 1000))
    .setExpirationTime(Math.floor(FROZEN.getTime() / 1000) + 3600)
    .sign(signingKey);
}

for (const alg of ['HS256', 'RS256', 'ES256', 'EdDSA'] as const) {
  const { signingKey, key } = keysFor(alg);
  const config: ClientAuthConfig = {
    key,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: [alg],
    rolesClaim: 'roles',
    clockToleranceSeconds: 0,
    maxAgeSeconds: 24 * 60 * 60,
    required: false,
    usingDevSecret: false,
    tokens: {
      jwksRefreshSeconds: 300,
      dpop: { required: false, proofMaxAgeSeconds: 60 },
      redisPrefix: 'bench:tokens:',
      revocation: { resyncSeconds: 30 },
    },
  };
  const tokens = [await clientToken(alg, signingKey, 'ada'), await clientToken(alg, signingKey, 'bob')];
  const cached = createClientTokenVerifier(config, { now });
  // A cache of one, fed two tokens in turn, never hits: every call verifies the signature.
  const cold = createClientTokenVerifier(config, { now, cacheSize: 1 });
  let turn = 0;

  describe(`client token ${alg} (gateway)`, () => {
    bench('sign (identity provider side)', () => clientToken(alg, signingKey, 'ada').then(() => {}), OPTIONS);
    bench('verify, cold', () => cold(tokens[turn++ % 2]!).then(() => {}), OPTIONS);
    bench('verify, cached', () => cached(tokens[0]!).then(() => {}), OPTIONS);
  });
}

for (const alg of ['EdDSA', 'ES256'] as const) {
  const pair = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const signer = await createIdentitySigner({ issuer: DEFAULT_IDENTITY_ISSUER, signingKey, now });
  const options = {
    audience: 'orders',
    issuer: DEFAULT_IDENTITY_ISSUER,
    keys: { publicKey: JSON.stringify(signer.jwks.keys[0]) },
    now,
  };
  const cached = createIdentityVerifier(options);
  const cold = createIdentityVerifier({ ...options, cacheSize: 1 });
  const viewer = (sub: string): Viewer => ({ sub, email: null, roles: ['admin'], scopes: [] });
  const ada = viewer('ada');
  const tokens = [await signer.sign(ada, 'orders'), await signer.sign(viewer('bob'), 'orders')];
  let user = 0;
  let turn = 0;

  describe(`identity token ${alg} (gateway signs, subgraph verifies)`, () => {
    bench('sign, cold (a new user each time)', () => signer.sign(viewer(`user-${user++}`), 'orders').then(() => {}), OPTIONS);
    bench('sign, cached per user and subgraph', () => signer.sign(ada, 'orders').then(() => {}), OPTIONS);
    bench('verify, cold', () => cold(tokens[turn++ % 2]!).then(() => {}), OPTIONS);
    bench('verify, cached', () => cached(tokens[0]!).then(() => {}), OPTIONS);
  });
}

{
  // The per-request revocation check, against a list of 10,000 revoked tokens and 10,000 subjects.
  const list = new RevocationList(() => FROZEN.getTime() / 1000);
  const until = FROZEN.getTime() / 1000 + 3600;
  for (let i = 0; i < 10_000; i++) {
    list.add({ kind: 'token', jti: `jti-${i}`, until });
    list.add({ kind: 'subject', sub: `user-${i}`, notBefore: until - 3600, until });
  }
  const iat = FROZEN.getTime() / 1000 - 60;
  describe('revocation check (gateway, every request)', () => {
    bench('not revoked', () => void list.isRevoked({ sub: 'ada', jti: 'fresh', iat }), OPTIONS);
    bench('revoked subject', () => void list.isRevoked({ sub: 'user-42', jti: 'fresh', iat }), OPTIONS);
  });
}
