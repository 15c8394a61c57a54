/**
 * Operation limits at the gateway, through HTTP: each one rejects a hostile document with an error
 * that names the limit, before planning, so no subgraph ever sees it; each is configurable; the
 * introspection query Sandbox sends still passes; batching is off; production hides the schema.
 */
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_DRIVER, postRaw, watchSubgraphs } from './probes.ts';
import { codes, DEMO, startStack, type GraphQLResponse, type Stack } from './stack.ts';

let stack: Stack;
let admin: string;
beforeAll(async () => {
  stack = await startStack({ driver: FAST_DRIVER });
  admin = await stack.token(DEMO.ada);
});
afterAll(() => stack?.stop());

/** `depth` levels of fields, recursing payments -> order -> payments ... across two subgraphs. */
function nestedQuery(depth: number): string {
  let body = 'id';
  for (let level = depth - 1; level >= 2; level -= 1) body = `${level % 2 === 0 ? 'payments' : 'order'} { ${body} }`;
  return `{ order(id: "order-1") { ${body} } }`;
}

const aliases = (count: number) => `{ products { ${Array.from({ length: count }, (_, i) => `a${i}: sku`).join(' ')} } }`;
const directives = (count: number) => `{ products { ${'sku @include(if: true) '.repeat(count)}} }`;
const manyTokens = (fields: number) => `{ products { ${'sku '.repeat(fields)}} }`;

/** The standard introspection query with every option Sandbox may ask for. */
const SANDBOX_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});

/** A 400 with one error per exceeded limit: `limit` with its message, and `others` besides. */
function expectLimitError(response: GraphQLResponse, limit: string, message: string, others: string[] = []) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors!.map((error) => error.extensions?.limit)).toEqual([limit, ...others]);
  expect(response.body.errors![0]).toMatchObject({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } });
}

describe('depth', () => {
  it('lets a query at the default limit of 15 through', async () => {
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(nestedQuery(15), { token: admin }));
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(JSON.stringify(result.body.data)).toContain('"payment-1"');
    expect(reached).toBeGreaterThan(0);
  });

  it.each([
    [16, []],
    // 29 lists of payments nested: its cost estimate is past the budget too.
    [60, ['maxCost']],
  ])('rejects %i levels before planning: nothing reaches a subgraph', async (depth, others) => {
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(nestedQuery(depth), { token: admin }));
    expectLimitError(result, 'maxDepth', 'Query is nested deeper than the maximum depth of 15', others);
    expect(reached).toBe(0);
  });

  it('counts through fragments', async () => {
    const document = `
      query { order(id: "order-1") { ...Deep } }
      fragment Deep on Order { payments { order { ... on Order { payments { order { ...Deeper } } } } } }
      fragment Deeper on Order { payments { order { payments { order { payments { order { payments { order { payments { order { payments { id } } } } } } } } } } } }`;
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(document, { token: admin }));
    expectLimitError(result, 'maxDepth', 'Query is nested deeper than the maximum depth of 15');
    expect(reached).toBe(0);
  });

  it('is configurable with MAX_DEPTH', async () => {
    const gateway = await stack.startGateway({ MAX_DEPTH: '4' });
    expect((await gateway.query(nestedQuery(4), { token: admin })).status).toBe(200);
    expectLimitError(
      await gateway.query(nestedQuery(5), { token: admin }),
      'maxDepth',
      'Query is nested deeper than the maximum depth of 4',
    );
  });
});

describe('aliases', () => {
  it('lets 100 through and rejects 101 (the default limit) before planning', async () => {
    expect((await stack.query(aliases(100))).body.data.products).toHaveLength(3);
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(aliases(101)));
    expectLimitError(result, 'maxAliases', 'Query has more than the maximum of 100 aliases');
    expect(reached).toBe(0);
  });

  it('rejects 2,000 aliases by the alias limit even where the token limit would let them through', async () => {
    const gateway = await stack.startGateway({ MAX_TOKENS: '100000', MAX_BODY_BYTES: '1000000', MAX_SELECTIONS: '100000' });
    const { result, reached } = await watchSubgraphs(stack, () => gateway.query(aliases(2000)));
    expectLimitError(result, 'maxAliases', 'Query has more than the maximum of 100 aliases');
    expect(reached).toBe(0);
  });

  it('counts the aliases a fragment brings at every spread', async () => {
    const document = `{ products { ...A ...A } } fragment A on Product { ${Array.from({ length: 51 }, (_, i) => `a${i}: sku`).join(' ')} }`;
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(document));
    expectLimitError(result, 'maxAliases', 'Query has more than the maximum of 100 aliases');
    expect(reached).toBe(0);
  });

  it('is configurable with MAX_ALIASES', async () => {
    const gateway = await stack.startGateway({ MAX_ALIASES: '3' });
    expect((await gateway.query(aliases(3))).status).toBe(200);
    expectLimitError(await gateway.query(aliases(4)), 'maxAliases', 'Query has more than the maximum of 3 aliases');
  });
});

describe('root fields', () => {
  const roots = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `p${i}: product(sku: "KB-001") { sku }`).join(' ')} }`;

  it('lets 20 through and rejects 21 (the default limit) before planning', async () => {
    expect((await stack.query(roots(20))).body.data.p19).toEqual({ sku: 'KB-001' });
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(roots(21)));
    expectLimitError(result, 'maxRootFields', 'Query has more than the maximum of 20 root fields');
    expect(reached).toBe(0);
  });

  it('is configurable with MAX_ROOT_FIELDS', async () => {
    const gateway = await stack.startGateway({ MAX_ROOT_FIELDS: '2' });
    expect((await gateway.query(roots(2))).status).toBe(200);
    expectLimitError(await gateway.query(roots(3)), 'maxRootFields', 'Query has more than the maximum of 2 root fields');
  });
});

describe('the selection budget', () => {
  /** `count` selections once expanded: products, then `count - 1` skus spread from a fragment. */
  const spread = (count: number) => `{ products { ...S } } fragment S on Product { ${'sku '.repeat(count - 1)}}`;

  it('lets 500 expanded selections through and rejects 501 (the default) before planning', async () => {
    expect((await stack.query(spread(500))).status).toBe(200);
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(spread(501)));
    expectLimitError(
      result,
      'maxSelections',
      'Query selects more than the maximum of 500 fields once its fragments are expanded',
    );
    expect(reached).toBe(0);
  });

  it('is configurable with MAX_SELECTIONS', async () => {
    const gateway = await stack.startGateway({ MAX_SELECTIONS: '10' });
    expect((await gateway.query(spread(10))).status).toBe(200);
    expectLimitError(
      await gateway.query(spread(11)),
      'maxSelections',
      'Query selects more than the maximum of 10 fields once its fragments are expanded',
    );
  });
});

describe('cost', () => {
  /** Every query the README shows, and the customer's full view of their orders. */
  const EVERYDAY = [
    [
      'alice',
      'query MyOrders { myOrders { id status items { quantity product { name priceCents inStock } } payments { amountCents currency status } } }',
    ],
    ['alice', '{ myOrders { id status items { quantity product { name priceCents } } payments { amountCents status } } }'],
    ['bob', '{ order(id: "order-1") { id status } }'],
    ['wendy', '{ products { sku quantityOnHand } }'],
    ['paula', '{ payment(id: "payment-1") { amountCents order { id } } }'],
    ['ada', '{ orders { id items { product { name } } payments { id } } }'],
  ] as const;

  it.each(EVERYDAY)('lets %s ask %s at the default budget', async (who, document) => {
    const response = await stack.query(document, { token: await stack.token(DEMO[who]) });
    expect(response.status).toBe(200);
    expect(response.body.errors?.map((error) => error.extensions?.limit).filter(Boolean) ?? []).toEqual([]);
  });

  it('refuses above 10000 (the default) with the estimate in the error, before planning', async () => {
    // 20 orders assumed x (1 + 50 items assumed x (item 1 + product 1 + 9 weighed stock levels))
    const stock = Array.from({ length: 9 }, (_, i) => `q${i}: quantityOnHand`).join(' ');
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(`{ myOrders { items { product { ${stock} } } } }`));
    expectLimitError(result, 'maxCost', "Query's estimated cost of 11020 exceeds the maximum of 10000");
    expect(result.body.errors![0]!.extensions).toMatchObject({ cost: 11020, maxCost: 10000 });
    expect(reached).toBe(0);
  });

  it('is configurable with MAX_COST', async () => {
    const gateway = await stack.startGateway({ MAX_COST: '99' });
    expect((await gateway.query('{ product(sku: "KB-001") { sku } }')).status).toBe(200);
    // products is assumed 100 long (its @listSize)
    expectLimitError(
      await gateway.query('{ products { sku } }'),
      'maxCost',
      "Query's estimated cost of 100 exceeds the maximum of 99",
    );
  });
});

describe('subgraph fetches', () => {
  const FULL_VIEW = '{ myOrders { id items { product { name } } payments { amountCents } } }';

  it('lets a plan of 3 fetches through under the default of 25', async () => {
    const { result, reached } = await watchSubgraphs(stack, async () =>
      stack.query(FULL_VIEW, { token: await stack.token(DEMO.alice) }),
    );
    expect(result.status).toBe(200);
    expect(reached).toBe(3);
  });

  it('refuses a plan with more fetches than MAX_SUBGRAPH_FETCHES as a 400, before anything is sent', async () => {
    const gateway = await stack.startGateway({ MAX_SUBGRAPH_FETCHES: '2' });
    const token = await stack.token(DEMO.alice);
    const { result, reached } = await watchSubgraphs(stack, () => gateway.query(FULL_VIEW, { token }));
    expectLimitError(result, 'maxSubgraphFetches', 'Query would need 3 subgraph fetches, more than the maximum of 2');
    expect(result.body.errors![0]!.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'maxSubgraphFetches',
      fetches: 3,
      maxFetches: 2,
    });
    expect(reached).toBe(0);
  });
});

describe('directives', () => {
  it('lets 50 through and rejects 51 (the default limit) before planning', async () => {
    expect((await stack.query(directives(50))).status).toBe(200);
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(directives(51)));
    expectLimitError(result, 'maxDirectives', 'Query has more than the maximum of 50 directives');
    expect(reached).toBe(0);
  });

  it('is configurable with MAX_DIRECTIVES', async () => {
    const gateway = await stack.startGateway({ MAX_DIRECTIVES: '2' });
    expect((await gateway.query(directives(2))).status).toBe(200);
    expectLimitError(await gateway.query(directives(3)), 'maxDirectives', 'Query has more than the maximum of 2 directives');
  });
});

describe('tokens', () => {
  it('stops parsing past 5000 tokens (the default), naming the limit, before planning', async () => {
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(manyTokens(5000)));
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    // (graphql-js spells it "more that")
    expect(result.body.errors![0]!.message).toMatch(
      /^Syntax Error: Document contains more tha[nt] 5000 tokens\. Parsing aborted\.$/,
    );
    expect(reached).toBe(0);
  });

  it('rejects 2,000 aliases by the token limit under the default settings', async () => {
    const { result, reached } = await watchSubgraphs(stack, () => stack.query(aliases(2000)));
    expect(result.status).toBe(400);
    expect(result.body.errors![0]!.message).toMatch(/more tha[nt] 5000 tokens/);
    expect(reached).toBe(0);
  });

  it('is configurable with MAX_TOKENS', async () => {
    const gateway = await stack.startGateway({ MAX_TOKENS: '40' });
    expect((await gateway.query(manyTokens(30))).status).toBe(200);
    const refused = await gateway.query(manyTokens(40));
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]!.message).toMatch(
      /^Syntax Error: Document contains more tha[nt] 40 tokens\. Parsing aborted\.$/,
    );
  });
});

describe('request body size', () => {
  const bodyOf = (bytes: number) => {
    const padding = 'x'.repeat(Math.max(0, bytes - JSON.stringify({ query: '{ products { sku } }', p: '' }).length));
    return JSON.stringify({ query: '{ products { sku } }', p: padding });
  };

  it('refuses a 1 MB document with 413 naming the default limit of 100000 bytes; nothing reaches a subgraph', async () => {
    const document = `{ products { sku } } # ${'x'.repeat(1_000_000)}`;
    const { result, reached } = await watchSubgraphs(stack, () => postRaw(stack.gatewayUrl, JSON.stringify({ query: document })));
    expect(result.status).toBe(413);
    expect(result.json).toEqual({
      errors: [{ message: 'Request body exceeds the limit of 100000 bytes', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(reached).toBe(0);
  });

  it('is refused before the token is even looked at', async () => {
    const response = await postRaw(stack.gatewayUrl, bodyOf(200_000), { authorization: 'Bearer not-a-token' });
    expect(response.status).toBe(413);
  });

  it('is configurable with MAX_BODY_BYTES', async () => {
    const gateway = await stack.startGateway({ MAX_BODY_BYTES: '2000' });
    expect((await postRaw(gateway.url, bodyOf(1900))).status).toBe(200);
    const refused = await postRaw(gateway.url, bodyOf(2100));
    expect(refused.status).toBe(413);
    expect(refused.json.errors[0].message).toBe('Request body exceeds the limit of 2000 bytes');
  });
});

describe('batched HTTP requests', () => {
  it('are refused: a JSON array body runs nothing and reaches no subgraph', async () => {
    const batch = JSON.stringify([{ query: '{ products { sku } }' }, { query: '{ products { name } }' }]);
    const { result, reached } = await watchSubgraphs(stack, () =>
      postRaw(stack.gatewayUrl, batch, { authorization: `Bearer ${admin}` }),
    );
    expect(result.status).toBe(400);
    expect(result.text).toMatch(/batching/i);
    expect(result.text).not.toContain('"data"');
    expect(reached).toBe(0);
  });
});

describe('introspection in development', () => {
  it('lets the full introspection query Sandbox sends through the depth and token limits', async () => {
    const response = await stack.query(SANDBOX_INTROSPECTION);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const names = response.body.data.__schema.types.map((type: { name: string }) => type.name);
    expect(names).toEqual(expect.arrayContaining(['Order', 'Payment', 'Product']));
  });

  it('refuses __Type.isOneOf, which the query planner cannot handle, with a 400 instead of a 500', async () => {
    for (const document of ['{ __type(name: "OrderItemInput") { name isOneOf } }', getIntrospectionQuery({ oneOf: true })]) {
      const { result, reached } = await watchSubgraphs(stack, () => stack.query(document));
      expect(result.status).toBe(400);
      expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(result.body.errors![0]!.message).toBe('The field "__Type.isOneOf" is not supported by this gateway.');
      expect(reached).toBe(0);
    }
  });

  it('still counts introspection against the depth limit', async () => {
    const gateway = await stack.startGateway({ MAX_DEPTH: '14' });
    expectLimitError(
      await gateway.query(SANDBOX_INTROSPECTION),
      'maxDepth',
      'Query is nested deeper than the maximum depth of 14',
    );
  });

  it('suggests field names outside production', async () => {
    const response = await stack.query('{ products { nam } }');
    expect(response.body.errors![0]!.message).toContain('Did you mean "name"?');
  });
});

describe('a production gateway', () => {
  let production: Awaited<ReturnType<Stack['startGateway']>>;
  beforeAll(async () => {
    production = await stack.startGateway({
      NODE_ENV: 'production',
      JWT_SECRET: 'production-test-secret-0123456789abcdef',
      JWT_ISSUER: 'https://issuer.test/',
      JWT_AUDIENCE: 'federation-api',
    });
  });

  it.each([
    ['a field', '{ products { nam } }', 'Cannot query field "nam" on type "Product".'],
    ['an argument', '{ product(skuu: "KB-001") { sku } }', 'Unknown argument "skuu" on field "Query.product".'],
    ['a type', 'query($sku: Strin!) { product(sku: $sku) { sku } }', 'Unknown type "Strin".'],
    [
      'an input field',
      'mutation { placeOrder(items: [{ skux: "KB-001", quantity: 1 }]) { id } }',
      'Field "skux" is not defined by type "OrderItemInput".',
    ],
  ])('does not suggest names for a mistyped %s', async (_what, document, message) => {
    const response = await production.query(document);
    expect(response.status).toBe(400);
    expect(response.body.errors!.map((error) => error.message)).toContain(message);
    expect(JSON.stringify(response.body)).not.toMatch(/did you mean/i);
  });

  it.each([
    ['the full introspection query', SANDBOX_INTROSPECTION],
    ['a __type lookup', '{ __type(name: "Order") { fields { name } } }'],
    ['__schema hidden in a fragment', '{ ...F } fragment F on Query { __schema { queryType { name } } }'],
  ])('refuses %s', async (_what, document) => {
    const response = await production.query(document);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.body.errors![0]!.message).toMatch(/introspection is not allowed/);
    expect(response.body.data).toBeUndefined();
  });

  it('still answers __typename and ordinary queries', async () => {
    const response = await production.query('{ __typename products { sku } }');
    expect(response.body).toEqual({ data: { __typename: 'Query', products: expect.any(Array) } });
  });

  it('serves no Sandbox page', async () => {
    const response = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/sandbox|embeddable/i);
  });
});
