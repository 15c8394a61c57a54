/**
 * The identity-token check of the real subgraphs, reached directly: only a token the gateway signed
 * for that one subgraph, unexpired, issued now, opens it. Tokens are minted here with the gateway's
 * own key, so each case differs from a valid token in exactly one way; the control proves it.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_ISSUER, IDENTITY_HEADER, IDENTITY_TOKEN_TYPE, onwardIdentityHeader } from '#kit';
import { FAST_DRIVER } from './probes.ts';
import { codes, DEMO, startStack, type Stack, type SubgraphName } from './stack.ts';

const SUBGRAPHS: SubgraphName[] = ['orders', 'payments', 'inventory'];
/** A query each subgraph answers for an admin, and `_service`, which every caller with a valid token gets. */
const PROBE: Record<SubgraphName, string> = {
  orders: '{ order(id: "order-1") { id } }',
  payments: '{ payment(id: "payment-1") { id } }',
  inventory: '{ product(sku: "KB-001") { quantityOnHand } }',
};

let stack: Stack;
let kid: string;
/** What the gateway captured tokens look like, per subgraph: the identity header and any onward one. */
const captured: Partial<Record<SubgraphName, { identity: string; onward?: string }>> = {};

beforeAll(async () => {
  stack = await startStack({ driver: FAST_DRIVER });
  const before = stack.subgraphRequests.length;
  const response = await stack.query('{ orders { id items { product { name } } payments { id } } }', {
    token: await stack.token(DEMO.ada),
  });
  expect(response.body.errors).toBeUndefined();
  for (const headers of stack.subgraphRequests.slice(before)) {
    const name = subgraphAt(headers.host);
    const onward = headers[onwardIdentityHeader('orders')];
    captured[name] = { identity: headers[IDENTITY_HEADER] as string, ...(typeof onward === 'string' ? { onward } : {}) };
  }
  kid = decodeProtectedHeader(captured.orders!.identity).kid!;
});
afterAll(() => stack?.stop());

function subgraphAt(host: string | undefined): SubgraphName {
  const port = Number(host?.split(':').pop());
  return SUBGRAPHS.find((name) => stack.subgraphs[name].server.port === port)!;
}

const now = () => Math.floor(Date.now() / 1000);

interface Mint {
  audience?: string | null;
  issuer?: string;
  typ?: string | null;
  iat?: number | null;
  exp?: number | null;
  alg?: 'EdDSA' | 'HS256';
  key?: 'gateway' | 'stranger' | 'public-as-secret';
}

/** An identity token for ada (admin), right in every way unless `mint` says otherwise. */
async function mint(audience: SubgraphName, mint: Mint = {}): Promise<string> {
  const issuedAt = mint.iat === undefined ? now() : mint.iat;
  const jwt = new SignJWT({ sub: 'ada', roles: ['admin'] }).setProtectedHeader({
    alg: mint.alg ?? 'EdDSA',
    kid,
    ...(mint.typ === null ? {} : { typ: mint.typ ?? IDENTITY_TOKEN_TYPE }),
  });
  jwt.setIssuer(mint.issuer ?? DEFAULT_IDENTITY_ISSUER);
  if (mint.audience !== null) jwt.setAudience(mint.audience ?? audience);
  if (issuedAt !== null) jwt.setIssuedAt(issuedAt);
  const expiresAt = mint.exp === undefined ? now() + 60 : mint.exp;
  if (expiresAt !== null) jwt.setExpirationTime(expiresAt);
  const gatewayKey = createPrivateKey(stack.identitySigningKey);
  switch (mint.key ?? 'gateway') {
    case 'gateway':
      return jwt.sign(gatewayKey);
    case 'stranger':
      return jwt.sign(generateKeyPairSync('ed25519').privateKey);
    case 'public-as-secret':
      return jwt.sign(new TextEncoder().encode(createPublicKey(gatewayKey).export({ type: 'spki', format: 'pem' }).toString()));
  }
}

async function ask(name: SubgraphName, headers: Record<string, string>, document = PROBE[name]) {
  const response = await fetch(stack.subgraphs[name].server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: document }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

function expectRefused(response: Awaited<ReturnType<typeof ask>>) {
  expect(response.status).toBe(401);
  expect(response.body.data).toBeUndefined();
  expect(codes({ body: response.body } as never)).toEqual(['UNAUTHENTICATED']);
}

describe.each(SUBGRAPHS)('the %s subgraph', (name) => {
  const other = SUBGRAPHS.find((candidate) => candidate !== name)!;

  it('serves a token minted the way the gateway does (the control for every case below)', async () => {
    const response = await ask(name, { [IDENTITY_HEADER]: await mint(name) });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(Object.values(response.body.data)[0]).not.toBeNull();
  });

  it('serves a token that has one more second to live', async () => {
    expect((await ask(name, { [IDENTITY_HEADER]: await mint(name, { exp: now() + 2 }) })).status).toBe(200);
  });

  // Functions, so times are taken against the clock of the request, not of test collection.
  const cases: [string, () => Mint][] = [
    ['minted for another subgraph', () => ({ audience: other })],
    ['expired by one second', () => ({ iat: now() - 61, exp: now() - 1 })],
    ['issued a minute in the future', () => ({ iat: now() + 60, exp: now() + 120 })],
    ['without an audience', () => ({ audience: null })],
    ['typed JWT', () => ({ typ: 'JWT' })],
    ['typed as an access token', () => ({ typ: 'at+jwt' })],
    ['without a type', () => ({ typ: null })],
    ['from another issuer', () => ({ issuer: 'https://issuer.test/' })],
    ['without exp', () => ({ exp: null })],
    ['without iat', () => ({ iat: null })],
    ['signed by another key under the gateway key id', () => ({ key: 'stranger' })],
    ['signed HS256 with the gateway public key as the secret', () => ({ alg: 'HS256', key: 'public-as-secret' })],
  ];

  it.each(cases)('refuses a token %s with 401', async (_case, options) => {
    expectRefused(await ask(name, { [IDENTITY_HEADER]: await mint(name, options()) }));
  });

  it('refuses a client token, and no token at all, _service included', async () => {
    expectRefused(await ask(name, { [IDENTITY_HEADER]: await stack.token(DEMO.ada) }));
    expectRefused(await ask(name, {}, '{ _service { sdl } }'));
    expectRefused(await ask(name, { authorization: `Bearer ${await stack.token(DEMO.ada)}` }, '{ _service { sdl } }'));
  });
});

describe('a real gateway-signed token captured in transit', () => {
  it('was captured for every subgraph, each for its own audience', () => {
    for (const name of SUBGRAPHS) expect(decodeJwt(captured[name]!.identity).aud).toBe(name);
    expect(decodeJwt(captured.payments!.onward!).aud).toBe('orders');
  });

  it('still opens the subgraph it was minted for', async () => {
    const response = await ask('orders', { [IDENTITY_HEADER]: captured.orders!.identity });
    expect(response.body.data).toEqual({ order: { id: 'order-1' } });
  });

  it.each(SUBGRAPHS)('from %s is refused by every other subgraph', async (source) => {
    for (const target of SUBGRAPHS.filter((name) => name !== source)) {
      expectRefused(await ask(target, { [IDENTITY_HEADER]: captured[source]!.identity }));
      expectRefused(await ask(target, { [IDENTITY_HEADER]: captured[source]!.identity }, '{ _service { sdl } }'));
    }
  });

  it('handed to payments for its call to orders is refused by payments and inventory', async () => {
    const onward = captured.payments!.onward!;
    expectRefused(await ask('payments', { [IDENTITY_HEADER]: onward }));
    expectRefused(await ask('inventory', { [IDENTITY_HEADER]: onward }));
  });
});
