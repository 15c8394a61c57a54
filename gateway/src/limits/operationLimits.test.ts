import { buildSchema, getIntrospectionQuery, parse, validate, specifiedRules, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NO_DEMAND_HINTS } from './demandHints.ts';
import { operationLimitRules, type OperationLimits } from './operationLimits.ts';

const schema = buildSchema(`
  type Node { id: ID! child: Node name: String children: [Node!]! }
  type Query { node: Node }
`);

const LIMITS: OperationLimits = {
  maxDepth: 15,
  maxAliases: 100,
  maxRootFields: 20,
  maxSelections: 500,
  maxCost: 10_000,
  maxDirectives: 50,
};

const errorsOf = (document: string, limits: Partial<OperationLimits> = {}): readonly GraphQLError[] =>
  validate(schema, parse(document), operationLimitRules({ ...LIMITS, ...limits }, NO_DEMAND_HINTS));
const messagesOf = (document: string, limits: Partial<OperationLimits> = {}) =>
  errorsOf(document, limits).map((error) => error.message);

/** `{ node { child { ... { id } } } }`, `depth` fields deep. */
const nested = (depth: number) => `{ node { ${'child { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

describe('depth', () => {
  it('counts field nesting', () => {
    expect(messagesOf(nested(5), { maxDepth: 5 })).toEqual([]);
    expect(messagesOf(nested(6), { maxDepth: 5 })).toEqual(['Query is nested deeper than the maximum depth of 5']);
  });

  it('counts through named and inline fragments', () => {
    const document = `
      query { node { ...A } }
      fragment A on Node { child { ... on Node { child { ...B } } } }
      fragment B on Node { child { id } }`;
    expect(messagesOf(document, { maxDepth: 5 })).toEqual([]);
    expect(messagesOf(document, { maxDepth: 4 })).toHaveLength(1);
  });

  it('lets the standard introspection query through at the default limit, and counts it', () => {
    expect(messagesOf(getIntrospectionQuery())).toEqual([]);
    expect(messagesOf(getIntrospectionQuery(), { maxDepth: 5 })).toEqual(['Query is nested deeper than the maximum depth of 5']);
  });
});

describe('aliases', () => {
  const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: node { id }`).join(' ')} }`;

  it('allows up to the limit and reports once beyond it', () => {
    expect(messagesOf(aliases(100), { maxRootFields: 1000 })).toEqual([]);
    expect(messagesOf(aliases(101), { maxRootFields: 1000 })).toEqual(['Query has more than the maximum of 100 aliases']);
  });

  it('counts every alias a fragment brings, at each spread', () => {
    const document = `{ node { ...F ...F ...F } } fragment F on Node { a: id b: name }`;
    expect(messagesOf(document, { maxAliases: 6 })).toEqual([]);
    expect(messagesOf(document, { maxAliases: 5 })).toEqual(['Query has more than the maximum of 5 aliases']);
  });
});

describe('root fields', () => {
  it('counts the fields at the top of the operation, through fragments', () => {
    const document = `{ node { id } ...F } fragment F on Query { a: node { id } b: node { id } }`;
    expect(messagesOf(document, { maxRootFields: 3 })).toEqual([]);
    expect(messagesOf(document, { maxRootFields: 2 })).toEqual(['Query has more than the maximum of 2 root fields']);
  });
});

describe('the selection budget', () => {
  it('lets the standard introspection query through with room to spare', () => {
    expect(messagesOf(getIntrospectionQuery(), { maxSelections: 250 })).toEqual([]);
  });

  it('refuses a document whose fragments expand past it', () => {
    const document = `{ node { ...A ...A } } fragment A on Node { child { ...B ...B } } fragment B on Node { id name }`;
    // node, then 2 x (child + 2 x (id, name)) = 1 + 2 * 5
    expect(messagesOf(document, { maxSelections: 11 })).toEqual([]);
    expect(messagesOf(document, { maxSelections: 10 })).toEqual([
      'Query selects more than the maximum of 10 fields once its fragments are expanded',
    ]);
  });
});

describe('cost', () => {
  it('refuses above the budget with the estimate and the budget in the error', () => {
    // The default list size is 1 without hints: a list of nodes costs like one node.
    const [error] = errorsOf('{ node { children { children { id } } } }', { maxCost: 2 });
    expect(error!.message).toBe("Query's estimated cost of 3 exceeds the maximum of 2");
    expect(error!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxCost', cost: 3, maxCost: 2 });
    expect(errorsOf('{ node { children { children { id } } } }', { maxCost: 3 })).toEqual([]);
  });
});

describe('several limits at once', () => {
  it('reports each exceeded limit exactly once, each naming its limit, even across operations', () => {
    const wide = `a: node { ${Array.from({ length: 30 }, (_, i) => `f${i}: id`).join(' ')} }`;
    const document = `query One { ${wide} } query Two { ${wide} }`;
    const errors = errorsOf(document, { maxAliases: 10, maxSelections: 20 });
    expect(errors.map((error) => error.extensions.limit)).toEqual(['maxAliases', 'maxSelections']);
    expect(errors.every((error) => error.extensions.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
  });

  it('leaves a fragment cycle to graphql, which reports it', () => {
    const document = `{ node { ...A } } fragment A on Node { child { ...A } }`;
    const errors = validate(schema, parse(document), [...specifiedRules, ...operationLimitRules(LIMITS, NO_DEMAND_HINTS)]);
    expect(errors.map((error) => error.message)).toEqual(['Cannot spread fragment "A" within itself.']);
  });
});

describe('directives', () => {
  it('counts directives anywhere in the document', () => {
    const document = `{ node @include(if: true) { id @skip(if: false) name @skip(if: false) } }`;
    expect(messagesOf(document, { maxDirectives: 3 })).toEqual([]);
    expect(messagesOf(document, { maxDirectives: 2 })).toEqual(['Query has more than the maximum of 2 directives']);
  });
});
