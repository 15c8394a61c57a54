import { parse } from 'graphql';
import { allow } from 'graphql-shield';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denyByDefault, hasPermission, permissionsOf } from './authorization.ts';
import { createIdentityVerifier, DEFAULT_IDENTITY_ISSUER, IDENTITY_HEADER } from '#identity';
import { createLogger } from '#platform';
import { buildShieldedSchema } from './schema.ts';
import { startSubgraphServer, type RunningServer } from './server.ts';
import { createTestSigningKey, mintIdentity, viewer, type TestSigningKey } from '#identity/testing';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Thing @key(fields: "id") { id: ID! secret: String }
  type Query { thing: Thing whoami: String boom: String }
`);
const catalogue = { signedIn: [], byRole: { admin: ['thing:secret'] } };

let key: TestSigningKey;
let server: RunningServer;
let healthy = true;

beforeAll(async () => {
  key = await createTestSigningKey();
  const schema = buildShieldedSchema(
    typeDefs,
    {
      Query: {
        thing: () => ({ id: '1', secret: 's3cret' }),
        whoami: (_: unknown, __: unknown, ctx: { viewer: { sub: string | null } }) => ctx.viewer.sub ?? 'anonymous',
        boom: () => {
          throw new Error('relation "things" does not exist at /srv/app/db.ts:12');
        },
      },
      Thing: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, secret: `secret of ${ref.id}` }) },
    },
    denyByDefault({
      Query: { thing: allow, whoami: allow, boom: allow, _service: allow, _entities: allow },
      Thing: { id: allow, secret: hasPermission('thing:secret', 'Only admins can read secrets') },
      _Service: allow,
    }),
  );
  server = await startSubgraphServer({
    service: {
      name: 'things',
      schema,
      createContext: ({ viewer: who }) => ({ viewer: who, permissions: permissionsOf(who, catalogue) }),
      checkHealth: async () => {
        if (!healthy) throw new Error('database gone');
      },
    },
    verifyIdentity: createIdentityVerifier({
      audience: 'things',
      issuer: DEFAULT_IDENTITY_ISSUER,
      keys: { publicKey: key.publicKeyPem },
    }),
    logger: createLogger('things', 'silent'),
    port: 0,
    host: '127.0.0.1',
  });
});
afterAll(() => server?.stop());

async function post(query: string, token?: string, variables?: unknown) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { [IDENTITY_HEADER]: token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

const mint = (options: Partial<Parameters<typeof mintIdentity>[1]> = {}, who = viewer('ada', 'admin')) =>
  mintIdentity(who, { audience: 'things', key, ...options });

describe('the identity guard', () => {
  it('serves a valid identity token', async () => {
    expect(await post('{ whoami }', await mint())).toEqual({ status: 200, body: { data: { whoami: 'ada' } } });
  });

  it('turns away a request without a token before any GraphQL work', async () => {
    const response = await post('{ whoami }');
    expect(response.status).toBe(401);
    expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['minted for another subgraph', async () => mint({ audience: 'orders' })],
    ['without an audience', async () => mint({ audience: null })],
    ['expired a second ago', async () => mint({ expiresIn: -1 })],
    ['issued in the future', async () => mint({ issuedAtOffset: 120, expiresIn: 180 })],
    ['from another issuer', async () => mint({ issuer: 'someone-else' })],
    ['without the identity type', async () => mint({ type: null })],
    ['typed as a plain JWT', async () => mint({ type: 'JWT' })],
    [
      'signed by another key',
      async () => mintIdentity(viewer('ada', 'admin'), { audience: 'things', key: await createTestSigningKey() }),
    ],
    ['that is garbage', async () => 'garbage'],
  ])('refuses a token %s', async (_case, token) => {
    expect((await post('{ whoami }', await token())).status).toBe(401);
  });

  it('guards _service and _entities too', async () => {
    expect((await post('{ _service { sdl } }')).status).toBe(401);
    expect(
      (await post('query($r:[_Any!]!){ _entities(representations:$r){ ... on Thing { id } } }', undefined, { r: [] })).status,
    ).toBe(401);
    const sdl = await post('{ _service { sdl } }', await mint());
    expect(sdl.body.data._service.sdl).toContain('@key(fields: "id")');
  });

  it('keeps reference resolution and field rules working under the shield', async () => {
    const query = 'query($r:[_Any!]!){ _entities(representations:$r){ ... on Thing { id secret } } }';
    const r = [{ __typename: 'Thing', id: '7' }];
    const admin = await post(query, await mint(), { r });
    expect(admin.body.data._entities).toEqual([{ id: '7', secret: 'secret of 7' }]);
    const customer = await post(query, await mint({}, viewer('alice')), { r });
    expect(customer.body.data._entities).toEqual([{ id: '7', secret: null }]);
    expect(customer.body.errors[0]).toMatchObject({ message: 'Only admins can read secrets', extensions: { code: 'FORBIDDEN' } });
  });
});

describe('errors', () => {
  it('masks unexpected errors: no SQL, no path, no stack', async () => {
    const response = await post('{ boom whoami }', await mint());
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ boom: null, whoami: 'ada' });
    expect(response.body.errors).toEqual([
      {
        message: 'Internal server error',
        locations: [{ line: 1, column: 3 }],
        path: ['boom'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });

  it('answers a malformed body with JSON, not an HTML stack trace', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await mint() },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text).not.toContain('node_modules');
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a body over 1 MB with a JSON 413 naming the limit', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await mint() },
      body: JSON.stringify({ query: `{ whoami } # ${'x'.repeat(1024 * 1024)}` }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0]).toEqual({
      message: 'Request body exceeds the limit of 1048576 bytes',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it.each(['/admin', '/__proto__', '/constructor'])('answers %s, a path it does not serve, with a JSON 404', async (path) => {
    const response = await fetch(server.url.replace('/graphql', path));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found' });
  });
});

describe('/health', () => {
  it('needs no token and reports whether the service can serve', async () => {
    const url = server.url.replace('/graphql', '/health');
    expect((await fetch(url)).status).toBe(200);
    healthy = false;
    expect((await fetch(url)).status).toBe(503);
    healthy = true;
  });
});
