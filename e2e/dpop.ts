/** A DPoP key holder, as a client keeps one, and the proofs it signs (RFC 9449 section 4.2). */
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface DpopHolder {
  privateKey: CryptoKey;
  publicJwk: JWK;
  jkt: string;
}

export async function newDpopHolder(): Promise<DpopHolder> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk) };
}

export interface ProofClaims {
  htm: string;
  htu: string;
  /** The access token the proof travels with: its hash goes in `ath`. */
  accessToken?: string;
  iat?: number;
  jti?: string;
  /** Sign with this holder's key while presenting `holder`'s public key (a forgery). */
  signer?: DpopHolder;
}

export function dpopProof(holder: DpopHolder, claims: ProofClaims): Promise<string> {
  const ath = claims.accessToken ? createHash('sha256').update(claims.accessToken).digest('base64url') : undefined;
  return new SignJWT({
    htm: claims.htm,
    htu: claims.htu,
    jti: claims.jti ?? randomUUID(),
    iat: claims.iat ?? Math.floor(Date.now() / 1000),
    ...(ath ? { ath } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: holder.publicJwk })
    .sign((claims.signer ?? holder).privateKey);
}
