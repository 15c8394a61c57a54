import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { IDENTITY_ALGORITHMS, IDENTITY_TOKEN_TYPE, type Viewer } from './protocol.ts';

/**
 * `jwksUrl`: the gateway's JWKS, refetched on an unknown `kid` at most once per `refetchCooldownMs`
 * (default 1 s: a restarted gateway's new key is picked up at once, while random `kid`s from an
 * attacker still cost at most one fetch a second), each fetch bounded by `fetchTimeoutMs`.
 */
export type IdentityKeySource =
  | { jwksUrl: string; refetchCooldownMs?: number; fetchTimeoutMs?: number }
  | { publicKey: string };

export interface IdentityVerifierOptions {
  /** This subgraph's name: a token minted for another subgraph is refused. */
  audience: string;
  issuer: string;
  keys: IdentityKeySource;
  now?: () => Date;
  /** Verified tokens remembered, so a busy caller costs one signature check per token. */
  cacheSize?: number;
}

export class IdentityRejected extends Error {
  constructor(readonly reason: string) {
    super(`Identity token rejected: ${reason}`);
  }
}

export type IdentityVerifier = (token: string | undefined) => Promise<Viewer>;

export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const key = keyResolver(options.keys);
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { viewer: Viewer; expiresAt: number }>();
  const cacheSize = options.cacheSize ?? 10_000;

  return async (token) => {
    if (!token) throw new IdentityRejected('missing');
    const cached = cache.get(token);
    if (cached && cached.expiresAt > now().getTime()) return cached.viewer;
    cache.delete(token);

    const payload = await verifyOrReject(token, key, options, now());
    const viewer = viewerFromClaims(payload);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(token, { viewer, expiresAt: (payload.exp as number) * 1000 });
    return viewer;
  };
}

async function verifyOrReject(
  token: string,
  key: KeyObject | JWTVerifyGetKey,
  options: IdentityVerifierOptions,
  currentDate: Date,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
      algorithms: [...IDENTITY_ALGORITHMS],
      audience: options.audience,
      issuer: options.issuer,
      typ: IDENTITY_TOKEN_TYPE,
      requiredClaims: ['exp', 'iat'],
      currentDate,
    });
    if ((payload.iat as number) * 1000 > currentDate.getTime() + 5_000) {
      throw new IdentityRejected('issued in the future');
    }
    return payload;
  } catch (error) {
    if (error instanceof IdentityRejected) throw error;
    throw new IdentityRejected(error instanceof errors.JOSEError ? error.code : 'invalid');
  }
}

function keyResolver(keys: IdentityKeySource): KeyObject | JWTVerifyGetKey {
  if ('jwksUrl' in keys) {
    return createRemoteJWKSet(new URL(keys.jwksUrl), {
      cooldownDuration: keys.refetchCooldownMs ?? 1_000,
      timeoutDuration: keys.fetchTimeoutMs ?? 2_000,
    });
  }
  const text = keys.publicKey.trim();
  return text.startsWith('{')
    ? createPublicKey({ key: JSON.parse(text), format: 'jwk' })
    : createPublicKey(text);
}

function viewerFromClaims(payload: JWTPayload): Viewer {
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  return Object.freeze({
    sub: typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null,
    email: typeof payload.email === 'string' ? payload.email : null,
    roles: Object.freeze(strings(payload.roles)),
    scopes: Object.freeze(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []),
  });
}
