/**
 * The identity-token check of the real subgraphs, reached directly: only a token the gateway signed
 * for that one subgraph, unexpired, issued now, opens it. Tokens are minted here with the gateway's
 * own key, so each case differs from a valid token in exactly one way; the control proves it.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPANION_CLAIM,
  DEFAULT_IDENTITY_ISSUER,
  IDENTITY_HEADER,
  IDENTITY_TOKEN_TYPE,
  onwardIdentityHeader,
  IDENTITY_MAX_LIFETIME_SECONDS,
} from '#identity';
import { FAST_DRIVER } from './probes.ts';
import { codes, DEMO, startStack, type Stack, type SubgraphName } from './stack.ts';
import { SUBGRAPH_NAMES } from '#roster';

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
    const onward = headers[onwardIdentityHeader('orders')] ?? headers[onwardIdentityHeader('inventory')];
    captured[name] = { identity: headers[IDENTITY_HEADER] as string, ...(typeof onward === 'string' ? { onward } : {}) };
  }
  kid = decodeProtectedHeader(captured.orders!.identity).kid!;
});
afterAll(() => stack?.stop());

function subgraphAt(host: string | undefined): SubgraphName {
  const port = Number(host?.split(':').pop());
  return SUBGRAPH_NAMES.find((name) => stack.subgraphs[name].server.port === port)!;
}

const now = () => Math.floor(Date.now() / 1000);

interface Mint {
  /** Whose token: ada (admin) unless said otherwise. */
  who?: { sub: string; roles: string[] };
  audience?: string | string[] | null;
  /** The token id; a fresh one unless said otherwise, null for none. */
  jti?: string | null;
  /** For an onward token: the jti of the token it travels with. */
  companion?: string;
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
  const companion = mint.companion === undefined ? {} : { [COMPANION_CLAIM]: mint.companion };
  const jwt = new SignJWT({ ...(mint.who ?? { sub: 'ada', roles: ['admin'] }), ...companion }).setProtectedHeader({
    alg: mint.alg ?? 'EdDSA',
    kid,
    ...(mint.typ === null ? {} : { typ: mint.typ ?? IDENTITY_TOKEN_TYPE }),
  });
  jwt.setIssuer(mint.issuer ?? DEFAULT_IDENTITY_ISSUER);
  if (mint.audience !== null) jwt.setAudience(mint.audience ?? audience);
  if (issuedAt !== null) jwt.setIssuedAt(issuedAt);
  if (mint.jti !== null) jwt.setJti(mint.jti ?? randomUUID());
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
  return {
    status: response.status,
    body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] },
  };
}

function expectRefused(response: Awaited<ReturnType<typeof ask>>) {
  expect(response.status).toBe(401);
  expect(response.body.data).toBeUndefined();
  expect(codes({ body: response.body } as never)).toEqual(['UNAUTHENTICATED']);
}

describe.each(SUBGRAPH_NAMES)('the %s subgraph', (name) => {
  const other = SUBGRAPH_NAMES.find((candidate) => candidate !== name)!;

  it('serves a token minted the way the gateway does (the control for every case below)', async () => {
    const response = await ask(name, { [IDENTITY_HEADER]: await mint(name) });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(Object.values(response.body.data)[0]).not.toBeNull();
  });

  it('serves a token that lives exactly the maximum', async () => {
    expect(
      (await ask(name, { [IDENTITY_HEADER]: await mint(name, { exp: now() + IDENTITY_MAX_LIFETIME_SECONDS }) })).status,
    ).toBe(200);
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
    ['with several audiences, its own among them', () => ({ audience: [name, other] })],
    ['with its own audience in an array', () => ({ audience: [name] })],
    ['that lives ten years', () => ({ exp: now() + 10 * 365 * 86_400 })],
    ['that lives one second longer than the maximum', () => ({ exp: now() + IDENTITY_MAX_LIFETIME_SECONDS + 1 })],
    ['without a token id', () => ({ jti: null })],
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
    for (const name of SUBGRAPH_NAMES) expect(decodeJwt(captured[name]!.identity).aud).toBe(name);
    expect(decodeJwt(captured.payments!.onward!).aud).toBe('orders');
  });

  it('carries a jti, and the onward one names the jti of the token it travels with', () => {
    const ids = SUBGRAPH_NAMES.map((name) => decodeJwt(captured[name]!.identity).jti);
    expect(new Set(ids).size).toBe(3);
    for (const [name, target] of [
      ['payments', 'orders'],
      ['orders', 'inventory'],
    ] as const) {
      const onward = decodeJwt(captured[name]!.onward!);
      expect(onward).toMatchObject({ aud: target, sub: 'ada', [COMPANION_CLAIM]: decodeJwt(captured[name]!.identity).jti });
    }
  });

  it('still opens the subgraph it was minted for', async () => {
    const response = await ask('orders', { [IDENTITY_HEADER]: captured.orders!.identity });
    expect(response.body.data).toEqual({ order: { id: 'order-1' } });
  });

  it.each(SUBGRAPH_NAMES)('from %s is refused by every other subgraph', async (source) => {
    for (const target of SUBGRAPH_NAMES.filter((name) => name !== source)) {
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

describe('an onward token not bound to the token it travels with', () => {
  const paula = { sub: 'paula', roles: ['payment_processor'] };
  /** Payments asks orders whether its caller may read order-1 before listing the order's payments. */
  const PAYMENTS_OF_ORDER_1 =
    '{ _entities(representations: [{ __typename: "Order", id: "order-1", userId: "alice" }]) { ... on Order { payments { id amountCents } } } }';

  async function askPayments(onward: string, ownId = 'paula-payments-token') {
    const own = await mint('payments', { who: paula, jti: ownId });
    return ask('payments', { [IDENTITY_HEADER]: own, [onwardIdentityHeader('orders')]: onward }, PAYMENTS_OF_ORDER_1);
  }

  it("bound to paula's own token reads what paula may read (the control)", async () => {
    const response = await askPayments(await mint('orders', { who: paula, companion: 'paula-payments-token' }));
    expect(response.status).toBe(200);
    expect(response.body.data._entities[0].payments).toEqual([{ id: 'payment-1', amountCents: 8997 }]);
  });

  it("refuses ada's orders token beside paula's payments token, even naming paula's jti (401, nothing forwarded)", async () => {
    const before = stack.subgraphRequests.length;
    const response = await askPayments(
      await mint('orders', { who: { sub: 'ada', roles: ['admin'] }, companion: 'paula-payments-token' }),
    );
    expectRefused(response);
    expect(stack.subgraphRequests.length - before).toBe(1);
  });

  it("refuses paula's orders token bound to another of her tokens, or to none", async () => {
    expectRefused(await askPayments(await mint('orders', { who: paula, companion: 'another-token' })));
    expectRefused(await askPayments(await mint('orders', { who: paula })));
  });

  it('refuses one captured from another request', async () => {
    expectRefused(await askPayments(captured.payments!.onward!));
  });

  it("refuses, at orders, ada's inventory token beside alice's orders token", async () => {
    const alice = { sub: 'alice', roles: [] };
    const own = await mint('orders', { who: alice, jti: 'alice-orders-token' });
    const adas = await mint('inventory', { companion: 'alice-orders-token' });
    const place = 'mutation { placeOrder(items: [{ sku: "KB-001", quantity: 1 }]) { id } }';
    expectRefused(await ask('orders', { [IDENTITY_HEADER]: own, [onwardIdentityHeader('inventory')]: adas }, place));
    const bound = await mint('inventory', { who: alice, companion: 'alice-orders-token' });
    const placed = await ask('orders', { [IDENTITY_HEADER]: own, [onwardIdentityHeader('inventory')]: bound }, place);
    expect(placed.status).toBe(200);
    expect(placed.body.data.placeOrder.id).toMatch(/^order-/);
  });
});
