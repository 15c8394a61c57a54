import { randomUUID, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { claimsOf } from './claims.ts';
import { COMPANION_CLAIM, IDENTITY_TOKEN_TTL_SECONDS, IDENTITY_TOKEN_TYPE, type Viewer } from './protocol.ts';
import { identityAlgorithmOfKey, readIdentitySigningKey } from './keyMaterial.ts';
import { publicMembersOf } from './publishedKeys.ts';
import { TokenCache } from './tokenCache.ts';

export interface IdentitySigner {
  /** A token for `audience` (a subgraph's name) saying who `viewer` is, under a fresh `jti`. */
  sign(viewer: Viewer, audience: string): Promise<string>;
  /**
   * A token for `target`, which the subgraph holding `companion` (a token from `sign`) may call on
   * the same user's behalf: same claims, and `COMPANION_CLAIM` naming the companion's `jti`.
   */
  signOnward(viewer: Viewer, target: string, companion: string): Promise<string>;
  /** Drops the cached tokens of `sub`, so a revoked user's next token is signed afresh (or never). */
  forget(sub: string): void;
  /** The public half, served at /.well-known/jwks.json. */
  readonly jwks: { keys: JWK[] };
}

export interface SignerOptions {
  /**
   * An Ed25519 or P-256 private key, read already (configuration does, see keyMaterial.ts) or as
   * PEM (PKCS#8) or JWK text; a fresh Ed25519 key when absent.
   */
  signingKey?: string | KeyObject;
  issuer: string;
  /**
   * Public keys to publish beside the signing key's, for rotation: publish the next key everywhere
   * first, switch IDENTITY_SIGNING_KEY next, drop the old one last.
   */
  publishedKeys?: JWK[];
  now?: () => Date;
  ttlSeconds?: number;
  /**
   * Re-sign this long before expiry (default 15 s), so a cached token never reaches a subgraph
   * nearly expired: at least the request deadline, or a token could expire mid-request.
   */
  refreshMarginSeconds?: number;
}

interface SigningKey {
  key: CryptoKey | KeyObject;
  alg: 'EdDSA' | 'ES256';
  publicJwk: JWK;
}

const DEFAULT_REFRESH_MARGIN_SECONDS = 15;

export async function createIdentitySigner(options: SignerOptions): Promise<IdentitySigner> {
  const signing = await loadSigningKey(options.signingKey);
  const ttl = options.ttlSeconds ?? IDENTITY_TOKEN_TTL_SECONDS;
  const now = options.now ?? (() => new Date());
  const margin = Math.max(options.refreshMarginSeconds ?? 0, DEFAULT_REFRESH_MARGIN_SECONDS);
  if (margin >= ttl) throw new Error(`identity tokens live ${ttl} s: too short for a ${margin} s refresh margin`);
  // Kept until its refresh time, so a cached token never reaches a subgraph nearly expired.
  const cache = new TokenCache<{ token: string; sub: string | null }>(10_000, now);

  const issue = async (viewer: Viewer, audience: string, bound: Record<string, string>): Promise<string> => {
    const cacheKey = `${audience}\u0000${JSON.stringify(bound)}\u0000${JSON.stringify(claimsOf(viewer))}`;
    const issuedAt = Math.floor(now().getTime() / 1000);
    const cached = cache.get(cacheKey);
    if (cached) return cached.token;
    const token = await new SignJWT({ ...claimsOf(viewer), ...bound })
      .setProtectedHeader({ alg: signing.alg, typ: IDENTITY_TOKEN_TYPE, kid: signing.publicJwk.kid! })
      .setIssuer(options.issuer)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(signing.key);
    cache.set(cacheKey, { token, sub: viewer.sub }, issuedAt + ttl - margin);
    return token;
  };

  return {
    jwks: { keys: [signing.publicJwk, ...(await withKeyIds(options.publishedKeys ?? []))] },
    sign: (viewer, audience) => issue(viewer, audience, {}),
    forget: (sub) => cache.deleteWhere((entry) => entry.sub === sub),
    // Cached per companion: a fresh companion gets a fresh onward token, never one bound to the old.
    signOnward: (viewer, target, companion) => issue(viewer, target, { [COMPANION_CLAIM]: decodeJwt(companion).jti as string }),
  };
}

async function loadSigningKey(source: string | KeyObject | undefined): Promise<SigningKey> {
  if (!source) {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    return withPublicJwk(privateKey, 'EdDSA', await exportJWK(publicKey));
  }
  const key = typeof source === 'string' ? readIdentitySigningKey(source) : source;
  const alg = identityAlgorithmOfKey(key);
  if (!alg || key.type !== 'private') throw new Error('IDENTITY_SIGNING_KEY must be an Ed25519 or P-256 private key');
  return withPublicJwk(key, alg, publicMembersOf(await exportJWK(key)));
}

async function withPublicJwk(key: CryptoKey | KeyObject, alg: SigningKey['alg'], publicJwk: JWK): Promise<SigningKey> {
  const kid = await calculateJwkThumbprint(publicJwk);
  return { key, alg, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

/** Published keys come checked (`publishedKeyProblem`); only their public members are ever served. */
async function withKeyIds(keys: JWK[]): Promise<JWK[]> {
  return Promise.all(
    keys.map(async (key) => {
      const published = publicMembersOf(key);
      return { ...published, kid: key.kid ?? (await calculateJwkThumbprint(published)), use: 'sig' };
    }),
  );
}
