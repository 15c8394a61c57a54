/**
 * DPoP proofs (RFC 9449 section 4.3): a JWT the client signs for each request with the private
 * key its access token is bound to (`cnf.jkt`). A stolen access token is useless without that key,
 * and a captured proof is useless for another request, another token, or a second time.
 */
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { ReplayGuard } from './replayGuard.ts';

/** Asymmetric algorithms only: a proof's key travels in its header, so it must be a public key. */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'];

/** Why a proof was refused: `description` goes to the client in WWW-Authenticate. */
export class InvalidProof extends Error {
  constructor(
    readonly reason: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export interface ProofRequest {
  proof: string;
  /** The request's method and its URL as the client addressed it (query and fragment are ignored). */
  method: string;
  url: string;
  accessToken: string;
  /** The access token's `cnf.jkt`. */
  jkt: string;
}

export interface ProofVerifierOptions {
  maxAgeSeconds: number;
  clockToleranceSeconds: number;
  replay: ReplayGuard;
  now?: () => Date;
}

export type ProofVerifier = (request: ProofRequest) => Promise<void>;

export function createProofVerifier(options: ProofVerifierOptions): ProofVerifier {
  const now = options.now ?? (() => new Date());
  const tolerance = options.clockToleranceSeconds;
  // Long enough that a proof is remembered for as long as its iat would let it in.
  const rememberSeconds = options.maxAgeSeconds + 2 * tolerance + 1;
  return async (request) => {
    const currentDate = now();
    const { payload, jwk } = await verifySignature(request.proof, currentDate);
    if ((await calculateJwkThumbprint(jwk)) !== request.jkt) {
      throw new InvalidProof('wrong_key', 'The proof is not signed with the key the token is bound to');
    }
    checkRequest(payload, request);
    checkAge(payload.iat, currentDate.getTime() / 1000, options.maxAgeSeconds, tolerance);
    if (!(await options.replay.firstUse(`${request.jkt}:${payload.jti as string}`, rememberSeconds))) {
      throw new InvalidProof('replayed', 'The proof has been used before');
    }
  };
}

async function verifySignature(proof: string, currentDate: Date): Promise<{ payload: JWTPayload; jwk: JWK }> {
  try {
    const header = decodeProtectedHeader(proof);
    if (header.typ !== 'dpop+jwt') throw new InvalidProof('type', 'The proof must be typed dpop+jwt');
    const { payload } = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: DPOP_ALGORITHMS,
      typ: 'dpop+jwt',
      currentDate,
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
    });
    return { payload, jwk: header.jwk! };
  } catch (error) {
    if (error instanceof InvalidProof) throw error;
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new InvalidProof('signature', 'The proof signature is invalid');
    }
    if (error instanceof errors.JOSEAlgNotAllowed) throw new InvalidProof('algorithm', 'The proof algorithm is not allowed');
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw new InvalidProof('claims', `The proof's ${error.claim} claim is missing or invalid`);
    }
    throw new InvalidProof('malformed', 'The proof is malformed');
  }
}

function checkRequest(payload: JWTPayload, request: ProofRequest): void {
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
    throw new InvalidProof('claims', "The proof's jti claim is missing or invalid");
  }
  if (payload.htm !== request.method) throw new InvalidProof('htm', 'The proof is for another HTTP method');
  if (typeof payload.htu !== 'string' || withoutQuery(payload.htu) !== withoutQuery(request.url)) {
    throw new InvalidProof('htu', 'The proof is for another URL');
  }
  if (payload.ath === undefined) throw new InvalidProof('ath', 'The proof has no ath claim for the access token');
  if (payload.ath !== accessTokenHash(request.accessToken)) {
    throw new InvalidProof('ath', 'The proof is for another access token');
  }
}

function checkAge(iat: unknown, nowSeconds: number, maxAgeSeconds: number, tolerance: number): void {
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new InvalidProof('claims', "The proof's iat claim is invalid");
  if (iat > nowSeconds + tolerance) throw new InvalidProof('iat', 'The proof was issued in the future');
  if (nowSeconds - iat > maxAgeSeconds + tolerance) throw new InvalidProof('iat', 'The proof is too old');
}

/** `ath`: base64url of the SHA-256 of the access token's ASCII text. */
export const accessTokenHash = (token: string) => createHash('sha256').update(token, 'ascii').digest('base64url');

/** RFC 9449 compares `htu` without its query and fragment, after URL normalization. */
function withoutQuery(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}
