import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { IDENTITY_TOKEN_TYPE, type Viewer, ClaimsRejected, viewerFromClaims, TokenCache } from '#identity';
import type { ClientAuthConfig, ClientKeyConfig } from '../config.ts';
import { InvalidToken } from './invalidToken.ts';
import { issuerEntries, pickIssuer, type IssuerEntry } from './issuers.ts';
import { algorithmsUnfitFor } from './algorithms.ts';
import { assertTokenAge } from './tokenAge.ts';

/** A client token that verified: who it names, and what revocation and DPoP check on every request. */
export interface VerifiedToken {
  readonly viewer: Viewer;
  readonly jti?: string;
  readonly iat?: number;
  readonly exp: number;
  /** `cnf.jkt`: the thumbprint of the key a DPoP proof must be signed with. */
  readonly jkt?: string;
}

export type ClientTokenVerifier = (token: string) => Promise<VerifiedToken>;

export interface VerifierOptions {
  now?: () => Date;
  cacheSize?: number;
}

export function createClientTokenVerifier(config: ClientAuthConfig, options: VerifierOptions = {}): ClientTokenVerifier {
  const refreshSeconds = config.tokens.jwksRefreshSeconds;
  const entries = issuerEntries(config).map((entry) => verifierEntry(entry, refreshSeconds));
  const now = options.now ?? (() => new Date());
  const cache = new TokenCache<VerifiedToken>(options.cacheSize ?? 10_000, now);

  return async (token) => {
    const cached = cache.get(token);
    if (cached) return cached;
    const currentDate = now();
    const entry = pickIssuer(entries, token);
    const payload = await verify(token, entry, config.clockToleranceSeconds, currentDate);
    assertTokenAge(payload, currentDate, config);
    const verified = verifiedToken(payload, entry.rolesClaim);
    // A key withdrawn from a JWKS stops verifying after a refresh: so must the tokens it signed.
    const keptUntil = entry.key.kind === 'jwks' ? currentDate.getTime() / 1000 + refreshSeconds : Infinity;
    cache.set(token, verified, Math.min(verified.exp + config.clockToleranceSeconds, keptUntil));
    return verified;
  };
}

interface VerifierEntry extends IssuerEntry {
  getKey: Uint8Array | KeyObject | JWTVerifyGetKey;
  algorithms: string[];
}

function verifierEntry(entry: IssuerEntry, refreshSeconds: number): VerifierEntry {
  const getKey = keyFor(entry.key, refreshSeconds);
  const algorithms = entry.algorithms ?? defaultAlgorithms(entry.key, getKey);
  assertAlgorithmsFitKey(entry.key, algorithms);
  return { ...entry, getKey, algorithms };
}

function verifiedToken(payload: JWTPayload, rolesClaim: string): VerifiedToken {
  const jkt: unknown = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
  if (payload.cnf !== undefined && typeof jkt !== 'string') {
    throw new InvalidToken('claims', 'The token is bound to a key this gateway cannot check');
  }
  return {
    viewer: toViewer(payload, rolesClaim),
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
    ...(typeof payload.iat === 'number' ? { iat: payload.iat } : {}),
    exp: payload.exp as number,
    ...(typeof jkt === 'string' ? { jkt } : {}),
  };
}

async function verify(token: string, entry: VerifierEntry, clockTolerance: number, currentDate: Date): Promise<JWTPayload> {
  try {
    // An identity token is the gateway's own; it is never accepted from a client.
    if (decodeProtectedHeader(token).typ === IDENTITY_TOKEN_TYPE) {
      throw new InvalidToken('wrong_type', 'The token is not a client access token');
    }
    const { payload } = await jwtVerify(token, entry.getKey as JWTVerifyGetKey, {
      algorithms: entry.algorithms,
      ...(entry.issuer ? { issuer: entry.issuer } : {}),
      ...(entry.audiences ? { audience: entry.audiences } : {}),
      requiredClaims: ['exp'],
      clockTolerance,
      currentDate,
    });
    return payload;
  } catch (error) {
    throw asInvalidToken(error);
  }
}

function toViewer(payload: JWTPayload, rolesClaim: string): Viewer {
  try {
    return viewerFromClaims(payload, rolesClaim);
  } catch (error) {
    if (error instanceof ClaimsRejected) throw new InvalidToken('claims', error.message);
    throw error;
  }
}

function asInvalidToken(error: unknown): InvalidToken {
  if (error instanceof InvalidToken) return error;
  if (error instanceof errors.JWTExpired) return new InvalidToken('expired', 'The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === 'nbf' || claim === 'iat') return new InvalidToken('not_yet_valid', 'The token is not yet valid');
    if (claim === 'iss') return new InvalidToken('issuer', 'The token has the wrong issuer');
    if (claim === 'aud') return new InvalidToken('audience', 'The token has the wrong audience');
    return new InvalidToken('claims', `The token's ${claim} claim is invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new InvalidToken('algorithm', 'The token algorithm is not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidToken('signature', 'The token signature is invalid');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new InvalidToken('unknown_key', 'The token was signed with an unknown key');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new InvalidToken('keys_unavailable', 'The signing keys could not be fetched');
  }
  return new InvalidToken('malformed', 'The token is malformed');
}

function keyFor(config: ClientKeyConfig, refreshSeconds: number): Uint8Array | KeyObject | JWTVerifyGetKey {
  switch (config.kind) {
    case 'secret':
      return new TextEncoder().encode(config.secret);
    case 'publicKey':
      return createPublicKey(config.pem);
    case 'jwks':
      // Cached; an unknown `kid` triggers a refetch at most once per cooldown (the kid is untrusted input).
      return keysUnavailableWhenUnreachable(
        createRemoteJWKSet(new URL(config.url), {
          cooldownDuration: config.cooldownSeconds * 1000,
          timeoutDuration: config.timeoutMs,
          cacheMaxAge: refreshSeconds * 1000,
        }),
      );
  }
}

/**
 * A JWKS endpoint that cannot be reached (connection refused, non-200, not JSON) is the identity
 * provider's outage, not a malformed token: say so to the client and in the log. Keys already
 * cached keep verifying; only a token that needs a refetch is refused.
 */
function keysUnavailableWhenUnreachable(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError && error.code !== 'ERR_JOSE_GENERIC') throw error;
      throw new InvalidToken('keys_unavailable', 'The signing keys could not be fetched');
    }
  };
}

function defaultAlgorithms(config: ClientKeyConfig, key: unknown): string[] {
  if (config.kind === 'secret') return ['HS256'];
  if (config.kind === 'jwks') return ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
  const keyObject = key as KeyObject;
  switch (keyObject.asymmetricKeyType) {
    case 'rsa':
      return ['RS256'];
    case 'rsa-pss':
      return ['PS256'];
    case 'ed25519':
      return ['EdDSA'];
    case 'ec':
      return [
        { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[keyObject.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'ES256',
      ];
    default:
      throw new Error(`Unsupported JWT_PUBLIC_KEY type: ${keyObject.asymmetricKeyType}`);
  }
}

/** Configuration refuses these already; kept for a config built in code. */
function assertAlgorithmsFitKey(config: ClientKeyConfig, algorithms: string[]): void {
  const symmetric = config.kind === 'secret';
  const misfits = algorithmsUnfitFor(symmetric, algorithms);
  if (misfits.length > 0) {
    throw new Error(`JWT_ALGORITHMS ${misfits.join(', ')} cannot be used with ${symmetric ? 'JWT_SECRET' : 'a public key'}`);
  }
}
