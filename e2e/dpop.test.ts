/**
 * DPoP (RFC 9449) end to end: the real identity provider issues tokens bound to a client's key,
 * and the gateway lets them in only with a fresh proof of that key for this very request, once,
 * even across replicas (Redis). Hand-made hostile proofs are refused with RFC 9449's challenge.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dpopProof, newDpopHolder, type DpopHolder, type ProofClaims } from './dpop.ts';
import { API_AUDIENCE, newSigningKey, startIdentityProvider, type IdentityProvider } from './identityProvider.ts';
import { connectTestRedis, deleteKeys, REDIS_URL, redisAnswers } from './redis.ts';
import { codes, startStack, type GraphQLResponse, type Stack } from './stack.ts';

type Gateway = Awaited<ReturnType<Stack['startGateway']>>;
const STOCK = '{ products { sku quantityOnHand } }';
const PUBLIC_ORIGIN = 'https://api.example.test';
const PREFIX = `test:tokens:${randomBytes(6).toString('hex')}:`;
const redisUp = await redisAnswers();

let stack: Stack;
let idp: IdentityProvider;
let gateway: Gateway;
let holder: DpopHolder;
let thief: DpopHolder;

const envFor = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  JWT_JWKS_URL: idp.jwksUrl,
  JWT_ISSUER: idp.issuer,
  JWT_AUDIENCE: API_AUDIENCE,
  JWT_ALGORITHMS: 'ES256',
  JWT_ROLES_CLAIM: 'realm_access.roles',
  ...extra,
});

beforeAll(async () => {
  [stack, idp, holder, thief] = await Promise.all([
    startStack(),
    startIdentityProvider([await newSigningKey('rsa-1', 'RS256'), await newSigningKey('ec-1', 'ES256')]),
    newDpopHolder(),
    newDpopHolder(),
  ]);
  gateway = await stack.startGateway(envFor());
}, 120_000);
afterAll(async () => {
  await idp?.stop();
  await stack?.stop();
  if (!redisUp) return;
  const redis = connectTestRedis();
  await redis.connect();
  await deleteKeys(redis, PREFIX);
  redis.disconnect();
});

/** A request with `token` under the DPoP scheme and `proof` (none when undefined). */
function withProof(target: Gateway, token: string, proof: string | undefined, scheme = 'DPoP'): Promise<GraphQLResponse> {
  return target.query(STOCK, { headers: { authorization: `${scheme} ${token}`, ...(proof ? { dpop: proof } : {}) } });
}

const proofFor = (token: string, overrides: Partial<ProofClaims> = {}, url = gateway.url) =>
  dpopProof(holder, { htm: 'POST', htu: url, accessToken: token, ...overrides });

function expectProofRefused(response: GraphQLResponse, description: RegExp) {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^DPoP error="invalid_dpop_proof"/);
  expect(challenge).toMatch(description);
  expect(challenge).toContain('algs="');
  expect(codes(response)).toEqual(['UNAUTHENTICATED']);
}

describe('a DPoP-bound token from the identity provider', () => {
  it('is bound to the key that proved possession at the token endpoint', async () => {
    const token = await idp.dpopToken('wendy', holder);
    expect(decodeJwt(token).cnf).toEqual({ jkt: holder.jkt });
  });

  it('gets in with a fresh proof of that key, as the user it names', async () => {
    const token = await idp.dpopToken('wendy', holder);
    const response = await withProof(gateway, token, await proofFor(token));
    expect(response.status).toBe(200);
    expect(response.body.data.products[0].quantityOnHand).toEqual(expect.any(Number));
  });

  it('is refused as a bearer token: stolen, it is useless without the key', async () => {
    const token = await idp.dpopToken('wendy', holder);
    const response = await withProof(gateway, token, undefined, 'Bearer');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token".*DPoP scheme/);
  });

  it('is refused without a proof', async () => {
    const token = await idp.dpopToken('wendy', holder);
    expectProofRefused(await withProof(gateway, token, undefined), /exactly one DPoP proof/);
  });

  it.each<[string, (token: string) => Promise<string>, RegExp]>([
    [
      'signed by another key',
      (token) => dpopProof(thief, { htm: 'POST', htu: gateway.url, accessToken: token }),
      /not signed with the key/,
    ],
    [
      "presenting the holder's public key, signed by another",
      (token) => dpopProof(holder, { htm: 'POST', htu: gateway.url, accessToken: token, signer: thief }),
      /signature is invalid/,
    ],
    ['for another URL', (token) => proofFor(token, { htu: 'http://127.0.0.1:1/graphql' }), /another URL/],
    ['for another method', (token) => proofFor(token, { htm: 'GET' }), /another HTTP method/],
    ['issued too long ago', (token) => proofFor(token, { iat: Math.floor(Date.now() / 1000) - 600 }), /too old/],
    ['without ath', () => dpopProof(holder, { htm: 'POST', htu: gateway.url }), /no ath claim/],
    ['made for another access token', () => proofFor('some.other.token'), /another access token/],
  ])('is refused with a proof %s, and nothing reaches a subgraph', async (_case, makeProof, description) => {
    const token = await idp.dpopToken('wendy', holder);
    const before = stack.subgraphRequests.length;
    expectProofRefused(await withProof(gateway, token, await makeProof(token)), description);
    expect(stack.subgraphRequests.length).toBe(before);
  });

  it('is refused the second time the same proof is presented', async () => {
    const token = await idp.dpopToken('wendy', holder);
    const proof = await proofFor(token);
    expect((await withProof(gateway, token, proof)).status).toBe(200);
    expectProofRefused(await withProof(gateway, token, proof), /used before/);
  });

  it('is refused with the proof of another token bound to the same key', async () => {
    const [first, second] = [await idp.dpopToken('wendy', holder), await idp.dpopToken('ada', holder)];
    expectProofRefused(await withProof(gateway, second, await proofFor(first)), /another access token/);
  });
});

describe('an unbound token', () => {
  it('is refused under the DPoP scheme: it cannot pass as bound', async () => {
    const token = await idp.token('wendy');
    const response = await withProof(gateway, token, await proofFor(token));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token".*not DPoP-bound/);
  });

  it('is refused altogether when DPOP_REQUIRED=true, while a bound one gets in', async () => {
    const strict = await stack.startGateway(envFor({ DPOP_REQUIRED: 'true' }));
    const bearer = await strict.query(STOCK, { token: await idp.token('wendy') });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token".*Only DPoP-bound/);
    const anonymous = await strict.query(STOCK);
    expect(anonymous.status).toBe(200);
    const bound = await idp.dpopToken('wendy', holder);
    expect((await withProof(strict, bound, await proofFor(bound, {}, strict.url))).status).toBe(200);
  });
});

describe.skipIf(!redisUp)('across replicas sharing Redis', () => {
  it('refuses at one replica a proof already used at the other', async () => {
    const shared = envFor({ REDIS_URL, TOKEN_REDIS_PREFIX: PREFIX, DPOP_ORIGIN: PUBLIC_ORIGIN });
    const [a, b] = [await stack.startGateway(shared), await stack.startGateway(shared)];
    const token = await idp.dpopToken('wendy', holder);
    const proof = await dpopProof(holder, { htm: 'POST', htu: `${PUBLIC_ORIGIN}/graphql`, accessToken: token });
    expect((await withProof(a, token, proof)).status).toBe(200);
    expectProofRefused(await withProof(b, token, proof), /used before/);
  });
});
