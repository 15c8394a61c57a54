/**
 * Where the token comes from and what it may say: a cookie for browser apps (with CSRF kept),
 * the header winning when both are sent; roles as a string, scopes passed on to subgraphs.
 */
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '#identity';
import { codes, startStack, type Stack } from './stack.ts';

const SECRET = 'token-sources-secret-long-enough-for-hs256';
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'federation-api';
const COOKIE = 'access_token';
const env = { JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };

let stack: Stack;
let cookieGateway: Awaited<ReturnType<Stack['startGateway']>>;
beforeAll(async () => {
  stack = await startStack({ gatewayEnv: env });
  cookieGateway = await stack.startGateway({ ...env, JWT_COOKIE: COOKIE });
}, 120_000);
afterAll(() => stack?.stop());

const token = (sub: string, claims: Record<string, unknown> = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

const MY_ORDERS = '{ myOrders { id } }';
const orderIds = (body: { data?: { myOrders?: { id: string }[] } }) => body.data?.myOrders?.map((order) => order.id);

describe('a token in a cookie (JWT_COOKIE)', () => {
  it('is read when no Authorization header is sent, on a request a browser sends only after a preflight', async () => {
    const response = await cookieGateway.query(MY_ORDERS, {
      headers: { cookie: `theme=dark; ${COOKIE}=${await token('alice')}` },
    });
    expect(response.status).toBe(200);
    expect(orderIds(response.body)).toEqual(['order-1', 'order-2']);
  });

  it.each([
    ['a GET with no preflight header', { method: 'GET' }],
    ['a form-typed POST', { method: 'POST', 'content-type': 'text/plain' }],
  ])('is refused on %s (possible CSRF), and nothing reaches a subgraph', async (_case, request) => {
    const before = stack.subgraphRequests.length;
    const { method, ...headers } = request;
    const url = method === 'GET' ? `${cookieGateway.url}?query=${encodeURIComponent(MY_ORDERS)}` : cookieGateway.url;
    const response = await fetch(url, {
      method,
      headers: { ...headers, accept: 'application/json', cookie: `${COOKIE}=${await token('alice')}` },
      ...(method === 'POST' ? { body: JSON.stringify({ query: MY_ORDERS }) } : {}),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/cross-site forgery/);
    expect(stack.subgraphRequests.length).toBe(before);
  });

  it('gives way to the Authorization header when both are sent', async () => {
    const response = await cookieGateway.query(MY_ORDERS, {
      token: await token('bob'),
      headers: { cookie: `${COOKIE}=${await token('alice')}` },
    });
    expect(orderIds(response.body)).toEqual(['order-3']);
  });

  it('never rescues a bad Authorization header: the header alone decides', async () => {
    const response = await cookieGateway.query(MY_ORDERS, {
      headers: { authorization: 'Bearer not.a.token', cookie: `${COOKIE}=${await token('alice')}` },
    });
    expect(response.status).toBe(401);
  });

  it('is ignored by a gateway not configured to read it: the caller is anonymous', async () => {
    const response = await stack.query(MY_ORDERS, { headers: { cookie: `${COOKIE}=${await token('alice')}` } });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('claim formats', () => {
  it('reads roles written as a space-separated string', async () => {
    const response = await stack.query('{ products { quantityOnHand } }', {
      token: await token('wendy', { roles: 'warehouse_staff auditor' }),
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.products[0].quantityOnHand).toEqual(expect.any(Number));
  });

  it.each([
    ['a scope string', { scope: 'orders:read orders:write' }],
    ['an scp array', { scp: ['orders:read', 'orders:write'] }],
  ])('passes the scopes of %s to subgraphs in the identity token', async (_case, claims) => {
    const before = stack.subgraphRequests.length;
    await stack.query(MY_ORDERS, { token: await token('alice', claims) });
    const identity = stack.subgraphRequests.slice(before).map((headers) => headers[IDENTITY_HEADER] as string)[0]!;
    expect(decodeJwt(identity).scope).toBe('orders:read orders:write');
  });
});
