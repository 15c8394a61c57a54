import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { rootFieldCounts } from './mutationFields.ts';

const LIMITED = new Set(['placeOrder', 'initiatePayment']);

function counts(document: string) {
  const parsed = parse(document);
  const operation = parsed.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return Object.fromEntries(rootFieldCounts(operation, fragments, LIMITED));
}

describe('rootFieldCounts', () => {
  it('counts each alias of a limited field as one more run', () => {
    expect(
      counts('mutation { a: placeOrder(items: []) { id } b: placeOrder(items: []) { id } cancelOrder(id: "1") { id } }'),
    ).toEqual({
      placeOrder: 2,
    });
  });

  it('finds fields in fragments and inline fragments', () => {
    const document = `mutation { ...A ... on Mutation { c: placeOrder(items: []) { id } } }
      fragment A on Mutation { a: placeOrder(items: []) { id } ...B }
      fragment B on Mutation { initiatePayment(orderId: "1", amountCents: 1) { id } }`;
    expect(counts(document)).toEqual({ placeOrder: 2, initiatePayment: 1 });
  });

  it('counts one response key once, as GraphQL merges it into one run', () => {
    expect(counts('mutation { placeOrder(items: []) { id } placeOrder(items: []) { status } }')).toEqual({ placeOrder: 1 });
    expect(counts('mutation { ...F ...F } fragment F on Mutation { placeOrder(items: []) { id } }')).toEqual({ placeOrder: 1 });
  });

  it('looks only at root fields: a nested field of the same name is not a mutation', () => {
    expect(counts('mutation { cancelOrder(id: "1") { placeOrder: id } }')).toEqual({});
  });

  it('counts fields a directive might skip: they might run', () => {
    expect(counts('mutation { a: placeOrder(items: []) @skip(if: true) { id } b: placeOrder(items: []) { id } }')).toEqual({
      placeOrder: 2,
    });
  });

  it('reads each fragment once however often it is spread', () => {
    // 30 levels, each spreading the next twice: 2^30 paths, 30 fragments to read.
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1
        ? `fragment F${level} on Mutation { placeOrder(items: []) { id } }`
        : `fragment F${level} on Mutation { ...F${level + 1} ...F${level + 1} }`,
    );
    const document = `mutation { ...F0 } ${fragments.join(' ')}`;
    const parsed = parse(document);
    let reads = 0;
    const fragmentMap = new Proxy(
      Object.fromEntries(
        parsed.definitions
          .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
          .map((fragment) => [fragment.name.value, fragment]),
      ),
      { get: (target, key: string) => ((reads += 1), target[key]) },
    );
    const operation = parsed.definitions[0] as OperationDefinitionNode;
    expect(Object.fromEntries(rootFieldCounts(operation, fragmentMap, LIMITED))).toEqual({ placeOrder: 1 });
    expect(reads).toBe(levels);
  });
});
