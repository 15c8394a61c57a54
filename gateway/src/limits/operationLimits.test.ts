import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maxAliasesRule, maxDepthRule, maxDirectivesRule } from './operationLimits.ts';

const schema = buildSchema(`
  type Node { id: ID! child: Node name: String }
  type Query { node: Node }
`);

/** `{ node { child { ... { id } } } }`, `depth` fields deep. */
const nested = (depth: number) => `{ node { ${'child { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
const errorsOf = (document: string, rule: ReturnType<typeof maxDepthRule>) =>
  validate(schema, parse(document), [rule]).map((error) => error.message);

describe('maxDepthRule', () => {
  it('counts field nesting', () => {
    expect(errorsOf(nested(5), maxDepthRule(5))).toEqual([]);
    expect(errorsOf(nested(6), maxDepthRule(5))).toEqual(['Query is nested deeper than the maximum depth of 5']);
  });

  it('counts through named and inline fragments', () => {
    const document = `
      query { node { ...A } }
      fragment A on Node { child { ... on Node { child { ...B } } } }
      fragment B on Node { child { id } }`;
    expect(errorsOf(document, maxDepthRule(5))).toEqual([]);
    expect(errorsOf(document, maxDepthRule(4))).toHaveLength(1);
  });

  it('lets the standard introspection query through at the default limit', () => {
    expect(errorsOf(getIntrospectionQuery(), maxDepthRule(15))).toEqual([]);
  });

  it('counts introspection too', () => {
    expect(errorsOf(getIntrospectionQuery(), maxDepthRule(5))).toHaveLength(1);
  });
});

describe('maxAliasesRule', () => {
  const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: node { id }`).join(' ')} }`;

  it('allows up to the limit and reports once beyond it', () => {
    expect(errorsOf(aliases(100), maxAliasesRule(100))).toEqual([]);
    expect(errorsOf(aliases(2000), maxAliasesRule(100))).toEqual(['Query has more than the maximum of 100 aliases']);
  });
});

describe('maxDirectivesRule', () => {
  it('counts directives anywhere in the document', () => {
    const document = `{ node @include(if: true) { id @skip(if: false) name @skip(if: false) } }`;
    expect(errorsOf(document, maxDirectivesRule(3))).toEqual([]);
    expect(errorsOf(document, maxDirectivesRule(2))).toEqual(['Query has more than the maximum of 2 directives']);
  });
});
