import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ClaimsRejected, viewerFromIdentityClaims } from './claims.ts';
import { readIdentityPublicKey } from './keyMaterial.ts';
import { TokenCache } from './tokenCache.ts';
import {
  COMPANION_CLAIM,
  IDENTITY_ALGORITHMS,
  IDENTITY_MAX_LIFETIME_SECONDS,
  IDENTITY_TOKEN_TYPE,
  onwardTargetOf,
  type Viewer,
} from './protocol.ts';

/**
 * `jwksUrl`: the gateway's JWKS, refetched on an unknown `kid` at most once per `refetchCooldownMs`
 * (default 1 s: a restarted gateway's new key is picked up at once, while random `kid`s from an
 * attacker still cost at most one fetch a second), each fetch bounded by `fetchTimeoutMs`.
 * `publicKey`: one fixed key, read already (configuration does) or as PEM or JWK text.
 */
export type IdentityKeySource =
  { jwksUrl: string; refetchCooldownMs?: number; fetchTimeoutMs?: number } | { publicKey: string | KeyObject };

export interface IdentityVerifierOptions {
  /** This subgraph's name: a token minted for another subgraph is refused. */
  audience: string;
  issuer: string;
  keys: IdentityKeySource;
  now?: () => Date;
  /** Verified tokens remembered, so a busy caller costs one signature check per token. */
  cacheSize?: number;
  /** The longest `exp - iat` accepted (`IDENTITY_MAX_LIFETIME`); a token minted to last is refused. */
  maxLifetimeSeconds?: number;
}

export class IdentityRejected extends Error {
  constructor(readonly reason: string) {
    super(`Identity token rejected: ${reason}`);
  }
}

/** Tokens the gateway minted for subgraphs this one calls onward, by the target's name. */
export type OnwardTokens = ReadonlyMap<string, string>;

/**
 * Verifies the token minted for this subgraph and, with it, every onward token the request carries:
 * each must be minted for its target, for the same user, naming this token's `jti` as its companion.
 */
export type IdentityVerifier = (token: string | undefined, onward?: OnwardTokens) => Promise<Viewer>;

interface VerifiedToken {
  viewer: Viewer;
  audience: string;
  tokenId: string;
  companionId: string | undefined;
}

export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const key = keyResolver(options.keys);
  const now = options.now ?? (() => new Date());
  const cache = new TokenCache<VerifiedToken>(options.cacheSize ?? 10_000, now);

  const verified = async (token: string, audience: string): Promise<VerifiedToken> => {
    const cached = cache.get(token);
    if (cached) {
      if (cached.audience !== audience) throw new IdentityRejected('ERR_JWT_CLAIM_VALIDATION_FAILED');
      return cached;
    }
    const payload = await verifyOrReject(token, key, { ...options, audience }, now());
    const entry = {
      viewer: viewerOrReject(payload),
      audience,
      tokenId: payload.jti as string,
      companionId: typeof payload[COMPANION_CLAIM] === 'string' ? payload[COMPANION_CLAIM] : undefined,
    };
    cache.set(token, entry, payload.exp as number);
    return entry;
  };

  return async (token, onward = new Map()) => {
    if (!token) throw new IdentityRejected('missing');
    const own = await verified(token, options.audience);
    for (const [target, onwardToken] of onward) {
      const companion = await verified(onwardToken, target).catch((error: IdentityRejected) => {
        throw new IdentityRejected(`onward token for ${target}: ${error.reason}`);
      });
      if (companion.viewer.sub !== own.viewer.sub) throw new IdentityRejected(`onward token for ${target} is another user's`);
      if (companion.companionId !== own.tokenId)
        throw new IdentityRejected(`onward token for ${target} belongs to another token`);
    }
    return own.viewer;
  };
}

/** The onward tokens among a request's headers (`x-identity-token-for-<target>`), by target. */
export function onwardTokensIn(headers: IncomingHttpHeaders): OnwardTokens {
  const tokens = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const target = onwardTargetOf(name);
    // Node joins a repeated header into one string, which then fails verification as it should.
    if (target !== undefined) tokens.set(target, Array.isArray(value) ? value.join(', ') : (value ?? ''));
  }
  return tokens;
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
      requiredClaims: ['exp', 'iat', 'jti'],
      currentDate,
    });
    checkShape(payload, options.maxLifetimeSeconds ?? IDENTITY_MAX_LIFETIME_SECONDS, currentDate);
    return payload;
  } catch (error) {
    if (error instanceof IdentityRejected) throw error;
    throw new IdentityRejected(error instanceof errors.JOSEError ? error.code : 'invalid');
  }
}

/**
 * What jose leaves open: the gateway mints each token for one subgraph, for a short while, now,
 * under a fresh id. An array of audiences, a long life or a missing id is a token it never made.
 */
function checkShape(payload: JWTPayload, maxLifetimeSeconds: number, currentDate: Date): void {
  const issuedAt = payload.iat as number;
  if (typeof payload.aud !== 'string') throw new IdentityRejected('more than one audience');
  if (typeof payload.jti !== 'string' || payload.jti === '') throw new IdentityRejected('no token id');
  if (issuedAt * 1000 > currentDate.getTime() + 5_000) throw new IdentityRejected('issued in the future');
  if ((payload.exp as number) - issuedAt > maxLifetimeSeconds) throw new IdentityRejected('lifetime too long');
}

function keyResolver(keys: IdentityKeySource): KeyObject | JWTVerifyGetKey {
  if ('jwksUrl' in keys) {
    return createRemoteJWKSet(new URL(keys.jwksUrl), {
      cooldownDuration: keys.refetchCooldownMs ?? 1_000,
      timeoutDuration: keys.fetchTimeoutMs ?? 2_000,
    });
  }
  return typeof keys.publicKey === 'string' ? readIdentityPublicKey(keys.publicKey) : keys.publicKey;
}

function viewerOrReject(payload: JWTPayload): Viewer {
  try {
    return viewerFromIdentityClaims(payload);
  } catch (error) {
    if (error instanceof ClaimsRejected) throw new IdentityRejected(error.message);
    throw error;
  }
}
