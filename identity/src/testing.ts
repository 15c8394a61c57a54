import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { claimsOf } from './claims.ts';
import { ANONYMOUS, COMPANION_CLAIM, DEFAULT_IDENTITY_ISSUER, IDENTITY_TOKEN_TYPE, type Viewer } from './protocol.ts';

/** Builds a viewer for tests: `as('alice')`, `as('wendy', 'warehouse_staff')`. */
export function viewer(sub: string | null, ...roles: string[]): Viewer {
  return sub === null ? ANONYMOUS : { sub, email: `${sub}@example.com`, roles, scopes: [] };
}

export interface TestSigningKey {
  privateKey: CryptoKey;
  publicKeyPem: string;
  kid: string;
}

export async function createTestSigningKey(kid = 'test-key'): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  return { privateKey, publicKeyPem: await exportSPKI(publicKey), kid };
}

/** A fresh Ed25519 private key as PKCS#8 PEM, the form IDENTITY_SIGNING_KEY takes. */
export function signingKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export interface MintOptions {
  audience: string | string[] | null;
  key: TestSigningKey;
  issuer?: string;
  type?: string | null;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  issuedAtOffset?: number;
  /** The token's `jti` (a fresh one by default); null leaves it out. */
  tokenId?: string | null;
  /** The `jti` of the token this one travels beside, as the gateway's onward tokens name it. */
  companionOf?: string;
}

/** Signs an identity token the way the gateway does, with knobs to make it wrong on purpose. */
export async function mintIdentity(who: Viewer, options: MintOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const companion = options.companionOf === undefined ? {} : { [COMPANION_CLAIM]: options.companionOf };
  const jwt = new SignJWT({ ...claimsOf(who), ...companion })
    .setProtectedHeader({
      alg: 'EdDSA',
      kid: options.key.kid,
      ...(options.type === null ? {} : { typ: options.type ?? IDENTITY_TOKEN_TYPE }),
    })
    .setIssuer(options.issuer ?? DEFAULT_IDENTITY_ISSUER)
    .setIssuedAt(now + (options.issuedAtOffset ?? 0))
    .setExpirationTime(now + (options.expiresIn ?? 60));
  if (options.audience !== null) jwt.setAudience(options.audience);
  if (options.tokenId !== null) jwt.setJti(options.tokenId ?? randomUUID());
  return jwt.sign(options.key.privateKey);
}
