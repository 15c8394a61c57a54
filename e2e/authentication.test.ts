import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startStack, type Stack } from './stack.ts';

const SECRET = 'e2e-secret-that-is-long-enough-for-hs256';
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'federation-api';
const encoder = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    gatewayEnv: { JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_ALGORITHMS: 'HS256' },
  });
});
afterAll(() => stack?.stop());

function clientToken(claims: Record<string, unknown> = {}, options: { alg?: string; secret?: string; exp?: number } = {}) {
  return new SignJWT({ roles: [], ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject('alice')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? now() + 300)
    .sign(encoder.encode(options.secret ?? SECRET));
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with exactly these registered claims (`iat`, `exp`, `sub` ...), signed with the right key. */
function tokenWith(claims: Record<string, unknown>) {
  return new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300, roles: [], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(encoder.encode(SECRET));
}

const DAY = 24 * 60 * 60;
const PRODUCTS = '{ products { sku } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persistedQuery = (document: string) =>
  `extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(document) } }))}`;
/** More parameters than Express parses (1000), so anything after them is invisible to `req.query`. */
const PAST_EXPRESS_PARAMETER_LIMIT = Array.from({ length: 1000 }, (_, i) => `p${i}=`).join('&');

async function getGraphQL(url: string, search: string, headers: Record<string, string> = {}) {
  // The preflight header satisfies Apollo's CSRF prevention, as a real client's would.
  const response = await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('a valid client token', () => {
  it('reaches the subgraphs as the user it names', async () => {
    const response = await stack.query('{ myOrders { id } }', { token: await clientToken() });
    expect(response.status).toBe(200);
    expect(response.body.data.myOrders.map((order: { id: string }) => order.id)).toEqual(['order-1', 'order-2']);
  });

  it('is matched with a case-insensitive Bearer scheme', async () => {
    const response = await stack.query('{ myOrders { id } }', { headers: { authorization: `bEaReR ${await clientToken()}` } });
    expect(response.status).toBe(200);
  });
});

describe('a bad client token', () => {
  const cases: [string, () => Promise<string | undefined>][] = [
    ['expired', () => clientToken({}, { exp: now() - 10 })],
    ['not yet valid', async () => clientToken({ nbf: now() + 600 })],
    [
      'from the wrong issuer',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('a')
          .setIssuer('https://evil.test/')
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(encoder.encode(SECRET)),
    ],
    [
      'for the wrong audience',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('a')
          .setIssuer(ISSUER)
          .setAudience('another-api')
          .setExpirationTime('5m')
          .sign(encoder.encode(SECRET)),
    ],
    ['with a bad signature', () => clientToken({}, { secret: 'some-other-secret-of-enough-length!!' })],
    [
      'with alg none',
      async () =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'ada', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.`,
    ],
    ['with an algorithm outside the allow-list', () => clientToken({}, { alg: 'HS512' })],
    [
      'without exp',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('a')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .sign(encoder.encode(SECRET)),
    ],
    ['with roles that are neither an array of strings nor a string', () => clientToken({ roles: 7 })],
    ['that is garbage', async () => 'not.a.jwt'],
    ['issued a year from now', () => tokenWith({ iat: now() + 365 * DAY })],
    ['issued longer ago than the maximum token age', () => tokenWith({ iat: now() - 2 * DAY })],
    ['expiring in the year 1e308', () => tokenWith({ exp: 1e308 })],
    ['expiring further away than the maximum token age', () => tokenWith({ exp: now() + 30 * DAY })],
    ['with a NUL in sub', () => tokenWith({ sub: 'ada\u0000' })],
    ['with a control character in a role', () => tokenWith({ roles: ['admin\u001b[0m'] })],
    ['with a line break in email', () => tokenWith({ email: 'ada@example.com\nforged: yes' })],
    [
      'typed as a gateway identity token',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', typ: 'identity+jwt' })
          .setSubject('a')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(encoder.encode(SECRET)),
    ],
  ];

  it.each(cases)('is refused with 401 when %s, and nothing reaches a subgraph', async (_case, makeToken) => {
    const before = stack.subgraphRequests.length;
    const response = await stack.query('{ myOrders { id } products { sku } }', { token: await makeToken() });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data).toBeUndefined();
    expect(stack.subgraphRequests.length).toBe(before);
  });

  it.each([
    ['an empty Bearer', 'Bearer '],
    ['the bare word Bearer', 'Bearer'],
    ['another scheme', 'Basic YWxpY2U6c2VjcmV0'],
    ['an empty header', ''],
  ])('is refused with 401 for %s, never treated as anonymous', async (_case, header) => {
    const response = await stack.query('{ products { sku } }', { headers: { authorization: header } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('two Authorization headers', () => {
  it('are refused with 401, never resolved by keeping one of them', async () => {
    const tokens = [await clientToken(), await tokenWith({ sub: 'ada', roles: ['admin'] })];
    const before = stack.subgraphRequests.length;
    const response = await new Promise<{ status: number; challenge?: string }>((resolve, reject) => {
      const request = httpRequest(
        stack.gatewayUrl,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, challenge: res.headers['www-authenticate'] }));
        },
      );
      // An array sends one header line per value.
      request.setHeader(
        'authorization',
        tokens.map((token) => `Bearer ${token}`),
      );
      request.on('error', reject);
      request.end(JSON.stringify({ query: '{ orders { id } }' }));
    });
    expect(response.status).toBe(401);
    expect(response.challenge).toContain('error="invalid_token"');
    expect(stack.subgraphRequests.length).toBe(before);
  });
});

describe('a GET request', () => {
  it('is authenticated like a POST, even past the 1000 parameters Express parses', async () => {
    const before = stack.subgraphRequests.length;
    const response = await getGraphQL(stack.gatewayUrl, `${PAST_EXPRESS_PARAMETER_LIMIT}&query=${encodeURIComponent(PRODUCTS)}`, {
      authorization: 'Bearer garbage',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(stack.subgraphRequests.length).toBe(before);
  });

  it('carrying only a persisted-query hash is authenticated too', async () => {
    const registered = await getGraphQL(stack.gatewayUrl, `query=${encodeURIComponent(PRODUCTS)}&${persistedQuery(PRODUCTS)}`);
    expect(registered.status).toBe(200);
    const before = stack.subgraphRequests.length;
    const response = await getGraphQL(stack.gatewayUrl, persistedQuery(PRODUCTS), { authorization: 'Basic YWxpY2U6c2VjcmV0' });
    expect(response.status).toBe(401);
    expect(stack.subgraphRequests.length).toBe(before);
  });

  it('with a valid token is served, by query or by persisted-query hash', async () => {
    const authorization = `Bearer ${await clientToken()}`;
    const byQuery = await getGraphQL(stack.gatewayUrl, `query=${encodeURIComponent(PRODUCTS)}`, { authorization });
    expect(JSON.parse(byQuery.text).data.products).toHaveLength(3);
    const byHash = await getGraphQL(stack.gatewayUrl, persistedQuery(PRODUCTS), { authorization });
    expect(JSON.parse(byHash.text).data.products).toHaveLength(3);
  });

  it('for the Sandbox page needs no token in development, and runs nothing', async () => {
    const strict = await stack.startGateway({ JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, AUTH_REQUIRED: 'true' });
    const before = stack.subgraphRequests.length;
    for (const search of ['', `query=${encodeURIComponent(PRODUCTS)}`]) {
      const page = await getGraphQL(strict.url, search, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
    }
    expect(stack.subgraphRequests.length).toBe(before);
  });

  describe('in production with AUTH_REQUIRED=true', () => {
    let production: Awaited<ReturnType<Stack['startGateway']>>;
    beforeAll(async () => {
      production = await stack.startGateway({
        NODE_ENV: 'production',
        AUTH_REQUIRED: 'true',
        JWT_SECRET: SECRET,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
      });
    });

    it.each([
      ['a query past the parameter limit', `${PAST_EXPRESS_PARAMETER_LIMIT}&query=${encodeURIComponent(PRODUCTS)}`, '*/*'],
      ['a persisted-query hash, asking for HTML', persistedQuery(PRODUCTS), 'text/html'],
      ['a query, asking for HTML', `query=${encodeURIComponent(PRODUCTS)}`, 'text/html'],
      ['nothing, asking for HTML', '', 'text/html'],
    ])('without a token is a 401 for %s', async (_case, search, accept) => {
      const before = stack.subgraphRequests.length;
      const response = await getGraphQL(production.url, search, { accept });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(stack.subgraphRequests.length).toBe(before);
    });
  });
});

describe('no token at all', () => {
  it('is anonymous: public fields resolve, protected ones are UNAUTHENTICATED at their path', async () => {
    const response = await stack.query('{ products { sku } order(id: "order-1") { id } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ products: expect.any(Array), order: null });
    expect(response.body.data.products).toHaveLength(3);
    expect(response.body.errors).toMatchObject([{ path: ['order'], extensions: { code: 'UNAUTHENTICATED' } }]);
  });

  it('still reaches subgraphs with an identity token the gateway signed', async () => {
    const before = stack.subgraphRequests.length;
    await stack.query('{ products { sku } }');
    const seen = stack.subgraphRequests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!['x-identity-token']).toMatch(/^ey/);
  });

  it('is a 401 with a bare Bearer challenge when AUTH_REQUIRED=true', async () => {
    const strict = await stack.startGateway({ JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, AUTH_REQUIRED: 'true' });
    const response = await strict.query('{ products { sku } }');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('spoofed identity headers', () => {
  it('are ignored: x-user-* headers grant nothing', async () => {
    const response = await stack.query('{ orders { id } }', {
      headers: { 'x-user-id': 'ada', 'x-user-email': 'ada@example.com', 'x-user-roles': 'admin' },
    });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    const asAlice = await stack.query('{ orders { id } }', {
      token: await clientToken(),
      headers: { 'x-user-roles': 'admin', 'x-user-id': 'ada' },
    });
    expect(codes(asAlice)).toEqual(['FORBIDDEN']);
  });

  it('are never forwarded, and a client-sent identity token is replaced', async () => {
    const before = stack.subgraphRequests.length;
    await stack.query('{ products { sku } }', {
      token: await clientToken(),
      headers: {
        'x-user-id': 'ada',
        'x-user-roles': 'admin',
        'x-identity-token': 'forged',
        'x-identity-token-for-orders': 'forged',
      },
    });
    for (const headers of stack.subgraphRequests.slice(before)) {
      expect(headers).not.toHaveProperty('x-user-id');
      expect(headers).not.toHaveProperty('x-user-roles');
      expect(headers).not.toHaveProperty('authorization');
      expect(headers['x-identity-token']).not.toBe('forged');
      expect(headers['x-identity-token-for-orders']).toBeUndefined();
    }
  });

  it('cannot reach a subgraph directly without a gateway identity token', async () => {
    for (const subgraph of Object.values(stack.subgraphs)) {
      const response = await fetch(subgraph.server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': 'ada', 'x-user-roles': 'admin' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(response.status).toBe(401);
    }
  });
});

describe('a PEM public key', () => {
  it('verifies ES256 tokens and refuses HS256 ones signed with anything', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const gateway = await stack.startGateway({ JWT_PUBLIC_KEY: await exportSPKI(publicKey), JWT_ISSUER: ISSUER });
    const good = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('ada')
      .setIssuer(ISSUER)
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await gateway.query('{ orders { id } }', { token: good })).body.data.orders).toHaveLength(3);
    const confused = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ada')
      .setIssuer(ISSUER)
      .setExpirationTime('5m')
      .sign(encoder.encode(await exportSPKI(publicKey)));
    expect((await gateway.query('{ orders { id } }', { token: confused })).status).toBe(401);
  });
});

describe('a remote JWKS', () => {
  let jwksServer: Server;
  let published: JWK[] = [];
  let fetches = 0;

  beforeAll(async () => {
    jwksServer = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

  async function signingKey(kid: string) {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const sign = (sub: string, roles: string[]) =>
      new SignJWT({ roles })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setExpirationTime('5m')
        .sign(privateKey);
    return { jwk, sign };
  }

  it('verifies tokens, caches the key set, and follows a key rotation without a restart', async () => {
    const first = await signingKey('key-1');
    const second = await signingKey('key-2');
    published = [first.jwk];
    const { port } = jwksServer.address() as AddressInfo;
    const gateway = await stack.startGateway({
      JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      JWT_ISSUER: ISSUER,
      JWT_JWKS_COOLDOWN: '0',
    });

    const wendy = await first.sign('wendy', ['warehouse_staff']);
    expect((await gateway.query('{ products { quantityOnHand } }', { token: wendy })).body.errors).toBeUndefined();
    expect(
      (await gateway.query('{ products { quantityOnHand } }', { token: await first.sign('wendy', ['warehouse_staff']) })).status,
    ).toBe(200);
    const fetchesAfterFirstKey = fetches;

    // The provider rotates: key-2 signs from now on, key-1 is withdrawn.
    published = [second.jwk];
    const rotated = await gateway.query('{ orders { id } }', { token: await second.sign('ada', ['admin']) });
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.orders).toHaveLength(3);
    expect(fetches).toBe(fetchesAfterFirstKey + 1);

    const unknown = await signingKey('key-3');
    const refused = await gateway.query('{ orders { id } }', { token: await unknown.sign('ada', ['admin']) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('unknown key');
  });
});

describe('SUPERGRAPH=compose', () => {
  it('composes from the running subgraphs, introspecting them with an anonymous identity token', async () => {
    const composing = await stack.startGateway({ JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, SUPERGRAPH: 'compose' });
    const response = await composing.query('{ products { sku } myOrders { id } }', {
      token: await new SignJWT({ roles: [] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('alice')
        .setIssuer(ISSUER)
        .setExpirationTime('5m')
        .sign(encoder.encode(SECRET)),
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.myOrders.map((order: { id: string }) => order.id)).toEqual(['order-1', 'order-2']);
  });
});
