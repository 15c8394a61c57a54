/**
 * Trusted documents through the real gateway, in each mode, over POST and GET: `enforce` runs
 * only the manifest's documents (full text, or the hash alone) and refuses everything else with
 * a 400 before any planning, APQ registrations included; `log` runs everything and logs what is
 * untrusted; `off` (the development default) does nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentHash } from '../gateway/src/trustedDocuments/manifest.ts';
import { FAST_DRIVER, watchSubgraphs } from './probes.ts';
import { codes, DEMO, startStack, type GraphQLResponse, type Stack } from './stack.ts';

const operation = (name: string) => readFileSync(new URL(`../operations/${name}.graphql`, import.meta.url), 'utf8').trim();
const PRODUCTS = operation('Products');
const MY_ORDERS = operation('MyOrders');
const UNTRUSTED = '{ products { sku name } }';

const logs: Record<string, any>[] = [];
let stack: Stack;
let alice: string;
let enforcing: { url: string };
beforeAll(async () => {
  // The stack's own gateway logs; a second one enforces.
  stack = await startStack({ driver: FAST_DRIVER, gatewayEnv: { TRUSTED_DOCUMENTS: 'log' }, onLog: (entry) => logs.push(entry) });
  alice = await stack.token(DEMO.alice);
  enforcing = await stack.startGateway({ TRUSTED_DOCUMENTS: 'enforce' });
});
afterAll(() => stack?.stop());

interface Send {
  query?: string;
  hash?: string;
  token?: string;
  variables?: Record<string, unknown>;
}

const persisted = (hash: string | undefined) => (hash ? { persistedQuery: { version: 1, sha256Hash: hash } } : undefined);

async function post(url: string, { query, hash, token, variables }: Send): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables, extensions: persisted(hash) }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function get(url: string, { query, hash, token }: Send, extraParams = ''): Promise<GraphQLResponse> {
  const params = new URLSearchParams();
  if (query !== undefined) params.set('query', query);
  const extensions = persisted(hash);
  if (extensions) params.set('extensions', JSON.stringify(extensions));
  const response = await fetch(`${url}?${extraParams}${params}`, {
    headers: {
      accept: 'application/json',
      'apollo-require-preflight': 'true',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const METHODS = [
  ['POST', post],
  ['GET', get],
] as const;

function expectRefused(response: GraphQLResponse) {
  expect(response.status).toBe(400);
  expect(codes(response)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  expect(response.body.errors![0]!.message).toMatch(/Only trusted documents may run here/);
  expect(response.body.data).toBeUndefined();
}

describe.each(METHODS)('enforce, %s', (_method, send) => {
  it('runs a manifest document sent as its full text', async () => {
    const response = await send(enforcing.url, { query: PRODUCTS });
    expect(response.status).toBe(200);
    expect(response.body.data.products).toContainEqual(expect.objectContaining({ sku: 'KB-001' }));
  });

  it('runs a manifest document sent as its hash alone, the text filled in from the manifest', async () => {
    const response = await send(enforcing.url, { hash: documentHash(MY_ORDERS), token: alice });
    expect(response.status).toBe(200);
    expect(response.body.data.myOrders.map((order: { id: string }) => order.id)).toContain('order-1');
  });

  it('refuses any other document before planning', async () => {
    const { result, reached } = await watchSubgraphs(stack, () => send(enforcing.url, { query: UNTRUSTED, token: alice }));
    expectRefused(result);
    expect(reached).toBe(0);
  });

  it('refuses a manifest document changed by a single character', async () => {
    expectRefused(await send(enforcing.url, { query: `${PRODUCTS} ` }));
  });

  it('refuses a hash the manifest does not hold', async () => {
    expectRefused(await send(enforcing.url, { hash: documentHash(UNTRUSTED) }));
  });

  it('refuses to register a new document through APQ, and the hash stays unknown', async () => {
    expectRefused(await send(enforcing.url, { query: UNTRUSTED, hash: documentHash(UNTRUSTED) }));
    expectRefused(await send(enforcing.url, { hash: documentHash(UNTRUSTED) }));
  });
});

describe('enforce, reading the request as Apollo does', () => {
  it('refuses an untrusted GET query hidden behind 1000 other parameters', async () => {
    const padding = Array.from({ length: 1000 }, (_, index) => `p${index}=`).join('&');
    expectRefused(await get(enforcing.url, { query: UNTRUSTED }, `${padding}&`));
  });

  it('refuses a GET that names two queries', async () => {
    const response = await get(enforcing.url, { query: PRODUCTS }, `query=${encodeURIComponent(UNTRUSTED)}&`);
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
  });

  it('runs a trusted mutation by hash over POST, with its variables', async () => {
    const wendy = await stack.token(DEMO.wendy);
    const response = await post(enforcing.url, {
      hash: documentHash(operation('AdjustStock')),
      token: wendy,
      variables: { sku: 'MS-002', delta: 1 },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.adjustStock.sku).toBe('MS-002');
  });
});

describe('enforce, every shipped operation', () => {
  const cases: [name: string, who: keyof typeof DEMO | null, variables: Record<string, unknown>][] = [
    ['Products', null, {}],
    ['MyOrders', 'alice', {}],
    ['Order', 'bob', { id: 'order-3' }],
    ['ProductStock', 'wendy', {}],
    ['Payment', 'paula', { id: 'payment-1' }],
    ['PlaceOrder', 'alice', { items: [{ sku: 'MS-002', quantity: 1 }] }],
    ['InitiatePayment', 'paula', { orderId: 'order-3', amountCents: 500 }],
    ['RefundPayment', 'paula', { id: 'payment-2' }],
    ['AdjustStock', 'wendy', { sku: 'MN-003', delta: 5 }],
    ['ProcessOrder', 'wendy', { id: 'order-1' }],
    ['CancelOrder', 'bob', { id: 'order-3' }],
  ];

  it.each(cases)('%s runs by hash for the user the README names', async (name, who, variables) => {
    const token = who ? await stack.token(DEMO[who]) : undefined;
    const response = await post(enforcing.url, { hash: documentHash(operation(name)), ...(token ? { token } : {}), variables });
    expect(response.status).toBe(200);
    // Payment.order is null with FORBIDDEN for a payment processor, as the README says.
    expect(codes(response)).toEqual(name === 'Payment' ? ['FORBIDDEN'] : []);
    expect(response.body.data).toBeTruthy();
  });
});

describe.each(METHODS)('log, %s', (_method, send) => {
  it('runs an untrusted document, and logs its hash as untrusted', async () => {
    const before = logs.length;
    const response = await send(stack.gatewayUrl, { query: UNTRUSTED });
    expect(response.status).toBe(200);
    expect(response.body.data.products.length).toBeGreaterThan(0);
    const logged = logs.slice(before).filter((entry) => entry.msg === 'untrusted document');
    expect(logged).toEqual([expect.objectContaining({ documentHash: documentHash(UNTRUSTED), mode: 'log' })]);
  });

  it('runs a trusted document by hash, logging nothing', async () => {
    const before = logs.length;
    const response = await send(stack.gatewayUrl, { hash: documentHash(PRODUCTS) });
    expect(response.status).toBe(200);
    expect(logs.slice(before).filter((entry) => entry.msg === 'untrusted document')).toEqual([]);
  });
});

describe.each(METHODS)('off (the default), %s', (_method, send) => {
  it('runs any document, and APQ works as usual', async () => {
    const gateway = await stack.startGateway({});
    expect((await send(gateway.url, { query: UNTRUSTED })).status).toBe(200);
    const unknown = await send(gateway.url, { hash: documentHash(`${UNTRUSTED} `) });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
