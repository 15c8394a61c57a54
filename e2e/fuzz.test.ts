/**
 * Property-based tests with fast-check against the running stack. Seeds are fixed, so a failure
 * reproduces; set FUZZ_SEED to explore other inputs and FUZZ_RUNS to scale the run counts.
 *
 * - Any client token that is not exactly a valid one: 401, never 5xx, nothing reaches a subgraph
 *   (a header beyond Node's 16 KiB limit is refused earlier, with 431).
 * - Any identity token that is not exactly the gateway's for that subgraph: 401 from the subgraph.
 * - Any GraphQL document: never 5xx, never data a rule denies to the caller.
 */
import { createPrivateKey } from 'node:crypto';
import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema } from 'graphql';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_ISSUER, IDENTITY_HEADER, IDENTITY_TOKEN_TYPE } from '#identity';
import { forbiddenData, garble, generateOperation, type Caller, type GeneratedOperation } from './documentFuzz.ts';
import { claimViolation, mutate, oddValue, randomAuthorization, randomToken, tokenMutation } from './jwtFuzz.ts';
import { FAST_DRIVER, leaksIn, postRaw } from './probes.ts';
import { DEMO, startStack, type Stack, type SubgraphName } from './stack.ts';
import { SUBGRAPH_NAMES } from '#roster';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_511);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (count: number) => Math.max(1, Math.round(count * SCALE));
const settings = (offset: number, count: number) => ({ seed: SEED + offset, numRuns: runs(count), endOnFailure: true });

const SECRET = 'fuzz-secret-that-is-long-enough-for-hs256';
const ISSUER = 'https://issuer.fuzz.test/';
const AUDIENCE = 'federation-api';
const encoder = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);

let stack: Stack;
let gateway: Awaited<ReturnType<Stack['startGateway']>>;

beforeAll(async () => {
  stack = await startStack({ driver: FAST_DRIVER });
  gateway = await stack.startGateway({ JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_ALGORITHMS: 'HS256' });
});
afterAll(() => stack?.stop());

/** A valid admin token for the fuzz gateway, with `claims` merged in (undefined drops a claim). */
function clientToken(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const payload = JSON.parse(
    JSON.stringify({ sub: 'ada', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...claims }),
  );
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', ...header }).sign(encoder.encode(SECRET));
}

async function sendWithAuthorization(authorization: string) {
  const before = stack.subgraphRequests.length;
  const response = await postRaw(gateway.url, JSON.stringify({ query: '{ orders { id userId } products { quantityOnHand } }' }), {
    authorization,
  });
  return { response, reached: stack.subgraphRequests.length - before };
}

/**
 * Node's HTTP parser refuses a header section over 16 KiB with 431 before any code of ours runs;
 * a token that large is refused either way. Below that, the answer must be ours: 401.
 */
const HEADER_LIMIT = 16 * 1024 - 512;
const expectRefusalStatus = (status: number, header: string) =>
  Buffer.byteLength(header) > HEADER_LIMIT ? expect([401, 431]).toContain(status) : expect(status).toBe(401);

/** The property every bad client token must have. */
async function refusedAtTheGateway(authorization: string): Promise<void> {
  const { response, reached } = await sendWithAuthorization(authorization);
  expect(reached).toBe(0);
  expectRefusalStatus(response.status, authorization);
  if (response.status === 431) return;
  // A token sent under the DPoP scheme is answered under it (RFC 9449 section 7.1); anything else under Bearer.
  const scheme = /^DPoP +[A-Za-z0-9\-._~+/]+=* *$/i.test(authorization) ? 'DPoP' : 'Bearer';
  expect(response.headers.get('www-authenticate')).toMatch(new RegExp(`^${scheme} error="invalid_token"`));
  expect(response.json).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
}

describe('client tokens at the gateway', () => {
  it('accepts the unmutated token (the control)', async () => {
    const { response, reached } = await sendWithAuthorization(`Bearer ${await clientToken()}`);
    expect(response.status).toBe(200);
    expect(response.json.data.orders.length).toBeGreaterThan(0);
    expect(reached).toBeGreaterThan(0);
  });

  it('refuses random bytes and random Authorization headers', async () => {
    await fc.assert(fc.asyncProperty(randomAuthorization, refusedAtTheGateway), settings(1, 150));
  });

  it('refuses a valid token with its header, payload or signature mutated', async () => {
    const valid = await clientToken();
    await fc.assert(
      fc.asyncProperty(tokenMutation, async (mutation) => {
        const mutated = mutate(valid, mutation);
        fc.pre(mutated !== undefined);
        await refusedAtTheGateway(`Bearer ${mutated}`);
      }),
      settings(2, 250),
    );
  });

  it('refuses a token signed with the right key whose claims break a rule, whatever else it carries', async () => {
    const gatewayOnly = fc.oneof(
      fc.constantFrom({ sub: undefined }, { sub: '' }),
      oddValue.filter((sub) => typeof sub !== 'string' || sub === '').map((sub) => ({ sub })),
      oddValue
        // A string is a space-separated list of roles: only other shapes break the rule.
        .filter(
          (roles) => typeof roles !== 'string' && !(Array.isArray(roles) && roles.every((role) => typeof role === 'string')),
        )
        .map((roles) => ({ roles })),
    );
    const violation = fc.oneof(
      claimViolation(now, { issuer: ISSUER, audience: AUDIENCE }).map(({ claims }) => claims),
      gatewayOnly,
    );
    const extras = fc.dictionary(
      fc.string({ maxLength: 20 }).map((key) => `x-${key}`),
      oddValue,
      { maxKeys: 3 },
    );
    const header = fc.oneof(
      fc.constant({}),
      fc.constant({ typ: IDENTITY_TOKEN_TYPE }),
      fc.record({ kid: fc.string(), typ: fc.constantFrom('JWT', 'at+jwt') }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(violation, extras, header, async (claims, extra, protectedHeader) => {
        const token = await clientToken({ ...extra, ...claims }, protectedHeader);
        await refusedAtTheGateway(`Bearer ${token}`);
      }),
      settings(3, 120),
    );
  });

  it('refuses a valid token under an algorithm outside the allow-list, or with a stranger key', async () => {
    const payload = { sub: 'ada', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: now() + 600 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('HS384', 'HS512'), fc.string({ minLength: 32, maxLength: 64 }), async (alg, stranger) => {
        await refusedAtTheGateway(
          `Bearer ${await new SignJWT(payload).setProtectedHeader({ alg }).sign(encoder.encode(SECRET))}`,
        );
        fc.pre(stranger !== SECRET);
        await refusedAtTheGateway(
          `Bearer ${await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(encoder.encode(stranger))}`,
        );
      }),
      settings(4, 20),
    );
  });
});

describe('identity tokens at each subgraph', () => {
  const captured: Partial<Record<SubgraphName, string>> = {};
  let kid: string;
  beforeAll(async () => {
    const before = stack.subgraphRequests.length;
    await stack.query('{ orders { id items { product { name } } payments { id } } }', { token: await stack.token(DEMO.ada) });
    for (const headers of stack.subgraphRequests.slice(before)) {
      const port = Number(headers.host?.split(':').pop());
      const name = SUBGRAPH_NAMES.find((candidate) => stack.subgraphs[candidate].server.port === port)!;
      captured[name] = headers[IDENTITY_HEADER] as string;
    }
    kid = decodeProtectedHeader(captured.orders!).kid!;
  });

  async function refusedBy(name: SubgraphName, token: string | undefined): Promise<void> {
    const response = await postRaw(stack.subgraphs[name].server.url, JSON.stringify({ query: '{ _service { sdl } }' }), {
      ...(token === undefined ? {} : { [IDENTITY_HEADER]: token }),
    });
    expectRefusalStatus(response.status, token ?? '');
    if (response.status === 431) return;
    expect(response.json).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
  }

  it('accepts the captured tokens unmutated (the control)', async () => {
    for (const name of SUBGRAPH_NAMES) {
      const response = await postRaw(stack.subgraphs[name].server.url, JSON.stringify({ query: '{ _service { sdl } }' }), {
        [IDENTITY_HEADER]: captured[name]!,
      });
      expect(response.status).toBe(200);
    }
  });

  it('refuses random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...SUBGRAPH_NAMES), randomToken, refusedBy), settings(5, 90));
  });

  it("refuses the gateway's own token mutated, at its subgraph and at the others", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SUBGRAPH_NAMES),
        fc.constantFrom(...SUBGRAPH_NAMES),
        tokenMutation,
        async (target, source, mutation) => {
          const mutated = mutate(captured[source]!, mutation);
          fc.pre(mutated !== undefined);
          await refusedBy(target, mutated);
        },
      ),
      settings(6, 200),
    );
  });

  it('refuses a token signed with the gateway key whose claims or type break a rule', async () => {
    const key = createPrivateKey(stack.identitySigningKey);
    const identityOnly = fc.oneof(
      fc.integer({ min: 10, max: 1_000_000_000 }).map((ahead) => ({ claims: { iat: now() + ahead }, header: {} })),
      fc.constant({ claims: { iat: undefined }, header: {} }),
      oddValue.filter((iat) => typeof iat !== 'number').map((iat) => ({ claims: { iat }, header: {} })),
      fc.constant({ claims: {}, header: { typ: undefined } }),
      fc
        .oneof(fc.constantFrom('JWT', 'at+jwt', 'identity+jwt ', 'identity', 'application/jwt'), fc.string())
        // RFC 7515 lets `typ` drop the "application/" prefix and ignores case: those spell the right type.
        .filter((typ) => typ.toLowerCase().replace(/^application\//, '') !== IDENTITY_TOKEN_TYPE)
        .map((typ) => ({ claims: {}, header: { typ } })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SUBGRAPH_NAMES),
        fc.oneof(
          identityOnly,
          claimViolation(now, { issuer: DEFAULT_IDENTITY_ISSUER, audience: 'unused' })
            .filter(({ why }) => !why.includes('audience'))
            .map(({ claims }) => ({ claims, header: {} })),
          fc
            .constantFrom<unknown>(...SUBGRAPH_NAMES, undefined, [], ['gateway'], 'ORDERS')
            .map((aud) => ({ claims: { aud }, header: {} })),
        ),
        async (target, { claims, header }) => {
          fc.pre(!('aud' in claims) || claims.aud !== target);
          const payload = JSON.parse(
            JSON.stringify({
              sub: 'ada',
              roles: ['admin'],
              iss: DEFAULT_IDENTITY_ISSUER,
              aud: target,
              iat: now(),
              exp: now() + 60,
              ...claims,
            }),
          );
          // The gateway's real key id, so the key is found and only the claims or type can fail.
          const protectedHeader = JSON.parse(JSON.stringify({ alg: 'EdDSA', typ: IDENTITY_TOKEN_TYPE, kid, ...header }));
          await refusedBy(target, await new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key));
        },
      ),
      settings(7, 120),
    );
  });
});

describe('random GraphQL documents at the gateway', () => {
  let schema: GraphQLSchema;
  const tokens: Partial<Record<Caller, string>> = {};
  beforeAll(async () => {
    const introspection = await stack.query(getIntrospectionQuery());
    schema = buildClientSchema(introspection.body.data);
    for (const caller of ['alice', 'bob', 'wendy', 'paula'] as const) tokens[caller] = await stack.token(DEMO[caller]);
  });

  async function run(caller: Caller, document: string, operation: GeneratedOperation | undefined) {
    const response = await postRaw(stack.gatewayUrl, JSON.stringify({ query: document }), {
      ...(tokens[caller] ? { authorization: `Bearer ${tokens[caller]}` } : {}),
    });
    const context = `as ${caller}: ${document}\n-> ${response.status} ${response.text.slice(0, 2000)}`;
    expect([200, 400], context).toContain(response.status);
    const codes = (response.json?.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
    expect(codes, context).not.toContain('INTERNAL_SERVER_ERROR');
    expect(codes, context).not.toContain('SERVICE_UNAVAILABLE');
    expect(leaksIn(response.text), context).toEqual([]);
    expect(forbiddenData(caller, operation, response.json?.data), context).toEqual([]);
    return response;
  }

  const caller = fc.constantFrom<Caller>('anonymous', 'alice', 'bob', 'wendy', 'paula');

  it('never answers 5xx and never returns data a rule denies', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(caller, fc.gen(), async (who, draw) => {
        const operation = generateOperation(draw, schema);
        const response = await run(who, operation.document, operation);
        if (response.status === 200) answered += 1;
      }),
      settings(8, 250),
    );
    // Most generated documents are valid, so the oracle really looked at data.
    expect(answered).toBeGreaterThan(runs(250) / 2);
  }, 120_000);

  it('never answers 5xx to a garbled document', async () => {
    await fc.assert(
      fc.asyncProperty(caller, fc.gen(), async (who, draw) => {
        const document = garble(draw, generateOperation(draw, schema).document);
        await run(who, document, undefined);
      }),
      settings(9, 120),
    );
  }, 120_000);
});

describe('regressions the fuzzing found', () => {
  it.each([
    ['an ID', 'alice', '{ product(sku: "KB-001\\u0000") { sku } }', undefined],
    ['a variable', 'alice', 'query($sku: ID!) { product(sku: $sku) { sku } }', { sku: 'KB-001\u0000' }],
    ['a list of inputs', 'alice', 'mutation { placeOrder(items: [{ sku: "\\u0000", quantity: 1 }]) { id } }', undefined],
    [
      'an id payments passes on to orders',
      'paula',
      'mutation { initiatePayment(orderId: "order-1\\u0000", amountCents: 1) { id } }',
      undefined,
    ],
  ] as const)('a NUL character in %s is BAD_USER_INPUT, not an internal error', async (_where, who, document, variables) => {
    const response = await stack.query(document, { token: await stack.token(DEMO[who]), variables });
    expect(response.status).toBe(200);
    expect(response.body.errors).toMatchObject([
      { message: 'Text must not contain the NUL character', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  });
});
