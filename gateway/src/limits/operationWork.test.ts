import {
  buildSchema,
  getIntrospectionQuery,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import type { DemandHints } from './demandHints.ts';
import { createWorkAnalyser } from './operationWork.ts';

const schema = buildSchema(`
  type Order { id: ID! status: String! payments: [Payment!] items: [Item!]! }
  type Item { quantity: Int! product: Product! }
  type Product { sku: ID! quantityOnHand: Int }
  type Payment { id: ID! amountCents: Int! order: Order }
  type Query { order(id: ID!): Order payment(id: ID!): Payment myOrders: [Order!]! products: [Product!]! }
`);

const SIZES: Record<string, number> = { 'Query.myOrders': 20, 'Order.items': 50, 'Order.payments': 5 };
const hints: DemandHints = {
  of: (type, field) => ({
    ...(SIZES[`${type}.${field}`] ? { assumedSize: SIZES[`${type}.${field}`] } : {}),
    ...(`${type}.${field}` === 'Product.quantityOnHand' ? { weight: 1 } : {}),
  }),
  defaultListSize: 10,
};

/** The work of the document's first operation, and how many selection nodes measuring it visited. */
function measure(document: string) {
  const ast = parse(document);
  const fragments = new Map(
    ast.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((definition) => [definition.name.value, definition]),
  );
  const analyser = createWorkAnalyser(schema, (name) => fragments.get(name), hints);
  const operation = ast.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const work = analyser.operation(operation as OperationDefinitionNode);
  return { work, visited: analyser.visited };
}

/** `query Q { ...F0 }`, each `Fi` spreading `Fi+1` twice: 2^levels fields once expanded. */
export function doublingDocument(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query Q { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename }`;
}

describe('the work of an operation', () => {
  it('expands fragments: depth, aliases, root fields and selections count every spread', () => {
    const { work } = measure(`
      query { ...Twice ...Twice }
      fragment Twice on Query { a: order(id: "1") { ...Deep } }
      fragment Deep on Order { payments { order { ... on Order { id } } } }`);
    expect(work).toMatchObject({ depth: 4, aliases: 2, rootFields: 2, selections: 8 });
  });

  it('visits each node once however often its fragment is spread, so the work is linear in the document', () => {
    const visits = [10, 20, 40].map((levels) => measure(doublingDocument(levels)).visited);
    // Two spreads per fragment plus the operation's and the last fragment's one selection.
    expect(visits).toEqual([22, 42, 82]);
    expect(measure(doublingDocument(40)).work.selections).toBe(2 ** 40);
  });

  it('holds exponential counts below a ceiling, never Infinity', () => {
    const { work } = measure(doublingDocument(1100));
    expect(work.selections).toBe(Number.MAX_SAFE_INTEGER);
    expect(Number.isFinite(work.cost)).toBe(true);
  });

  it('counts a fragment cycle as nothing where it closes', () => {
    const { work, visited } = measure(`
      query { order(id: "1") { ...A } }
      fragment A on Order { id ...B }
      fragment B on Order { status ...A }`);
    expect(work).toMatchObject({ depth: 2, selections: 3 });
    // order, ...A, id, ...B, status, ...A: each of the six nodes once.
    expect(visited).toBe(6);
  });

  it('sees the plan explosion: 40 aliases in 1.5 KB are 11,110 once expanded', () => {
    const level = (next: string) => Array.from({ length: 10 }, (_, i) => `a${i}: order { payments { ${next} } }`).join(' ');
    const document = `
      query { payment(id: "payment-1") { ...L1 } }
      fragment L1 on Payment { ${level('...L2')} }
      fragment L2 on Payment { ${level('...L3')} }
      fragment L3 on Payment { ${level('...L4')} }
      fragment L4 on Payment { ${level('id')} }`;
    expect(document.length).toBeLessThan(1600);
    const { work } = measure(document);
    expect(work).toMatchObject({ depth: 10, aliases: 11_110, rootFields: 1 });
    expect(work.selections).toBeGreaterThan(20_000);
  });
});

describe('the cost estimate', () => {
  it('charges objects 1 and scalars 0, multiplying each list by its assumed size', () => {
    // myOrders: 20 x (the order 1 + 50 items x (item 1 + product 1) + 5 payments x 1)
    const { work } = measure('{ myOrders { id status items { quantity product { sku } } payments { amountCents } } }');
    expect(work.cost).toBe(20 * (1 + 50 * 2 + 5));
  });

  it('uses the default size for a list the schema says nothing about, and the weight a field is given', () => {
    expect(measure('{ products { sku } }').work.cost).toBe(10);
    expect(measure('{ products { sku quantityOnHand } }').work.cost).toBe(20);
  });

  it('grows with every alias of a weighed field', () => {
    const aliases = Array.from({ length: 99 }, (_, i) => `q${i}: quantityOnHand`).join(' ');
    expect(measure(`{ myOrders { items { product { ${aliases} } } } }`).work.cost).toBe(20 * (1 + 50 * (2 + 99)));
  });

  it('leaves introspection, which the gateway answers itself, out', () => {
    const { work } = measure(getIntrospectionQuery());
    expect(work.cost).toBe(0);
    expect(work.depth).toBeGreaterThan(10);
  });
});
