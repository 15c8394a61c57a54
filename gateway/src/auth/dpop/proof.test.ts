import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessTokenHash, createProofVerifier, InvalidProof, type ProofRequest } from './proof.ts';
import { memoryReplayGuard } from './replayGuard.ts';

const NOW = new Date('2026-12-01T12:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const URL_ = 'https://api.example.test/graphql';
const ACCESS_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.sig';

interface Holder {
  privateKey: CryptoKey;
  publicJwk: JWK;
  jkt: string;
}
let holder: Holder;
let thief: Holder;

async function newHolder(): Promise<Holder> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk) };
}

beforeAll(async () => {
  [holder, thief] = await Promise.all([newHolder(), newHolder()]);
});

let counter = 0;
function proof(
  claims: Record<string, unknown> = {},
  options: { signer?: Holder; headerJwk?: JWK; typ?: string; alg?: string } = {},
): Promise<string> {
  const signer = options.signer ?? holder;
  return new SignJWT({
    jti: `proof-${++counter}`,
    htm: 'POST',
    htu: URL_,
    iat: NOW_SECONDS,
    ath: accessTokenHash(ACCESS_TOKEN),
    ...claims,
  })
    .setProtectedHeader({
      alg: options.alg ?? 'ES256',
      typ: options.typ ?? 'dpop+jwt',
      jwk: options.headerJwk ?? signer.publicJwk,
    })
    .sign(signer.privateKey);
}

const verifier = () =>
  createProofVerifier({
    maxAgeSeconds: 60,
    clockToleranceSeconds: 0,
    replay: memoryReplayGuard(() => NOW.getTime()),
    now: () => NOW,
  });

const request = (proofText: string, overrides: Partial<ProofRequest> = {}): ProofRequest => ({
  proof: proofText,
  method: 'POST',
  url: URL_,
  accessToken: ACCESS_TOKEN,
  jkt: holder.jkt,
  ...overrides,
});

async function refusal(promise: Promise<void>): Promise<InvalidProof> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidProof);
  return error as InvalidProof;
}

describe('a DPoP proof', () => {
  it('is accepted once: signed by the bound key, for this request and this token, fresh', async () => {
    await expect(verifier()(request(await proof()))).resolves.toBeUndefined();
  });

  it('ignores the query string of the URL, as RFC 9449 says', async () => {
    await expect(verifier()(request(await proof(), { url: `${URL_}?query=%7B__typename%7D` }))).resolves.toBeUndefined();
  });

  it.each<[string, () => Promise<string>, Partial<ProofRequest>, string]>([
    ['signed by another key than the token is bound to', () => proof({}, { signer: thief }), {}, 'wrong_key'],
    [
      'carrying the bound public key but signed by another',
      () => proof({}, { signer: thief, headerJwk: holder.publicJwk }),
      {},
      'signature',
    ],
    ['for another URL', () => proof({ htu: 'https://evil.example.test/graphql' }), {}, 'htu'],
    ['for another method', () => proof({ htm: 'GET' }), {}, 'htm'],
    ['issued too long ago', () => proof({ iat: NOW_SECONDS - 61 }), {}, 'iat'],
    ['issued in the future', () => proof({ iat: NOW_SECONDS + 30 }), {}, 'iat'],
    ['without ath', () => proof({ ath: undefined }), {}, 'ath'],
    ['made for another access token', () => proof({ ath: accessTokenHash('another.access.token') }), {}, 'ath'],
    ['without jti', () => proof({ jti: undefined }), {}, 'claims'],
    ['typed as a plain JWT', () => proof({}, { typ: 'JWT' }), {}, 'type'],
    ['that is not a JWT at all', async () => 'not-a-proof', {}, 'malformed'],
  ])('is refused when %s', async (_case, make, overrides, reason) => {
    expect((await refusal(verifier()(request(await make(), overrides)))).reason).toBe(reason);
  });

  it('is refused when it carries a private key in its header', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const withPrivate = await proof({}, { headerJwk: privateJwk });
    expect((await refusal(verifier()(request(withPrivate, { jkt: await calculateJwkThumbprint(privateJwk) })))).reason).toMatch(
      /malformed|signature/,
    );
  });

  it('is refused the second time it is presented', async () => {
    const verify = verifier();
    const once = await proof();
    await verify(request(once));
    expect((await refusal(verify(request(once)))).reason).toBe('replayed');
  });

  it('signed with a symmetric algorithm is refused', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-enough-length-0123');
    const hmac = await new SignJWT({ jti: 'x', htm: 'POST', htu: URL_, iat: NOW_SECONDS, ath: accessTokenHash(ACCESS_TOKEN) })
      .setProtectedHeader({
        alg: 'HS256',
        typ: 'dpop+jwt',
        jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') } as JWK,
      })
      .sign(secret);
    expect((await refusal(verifier()(request(hmac)))).reason).toMatch(/algorithm|malformed/);
  });
});
