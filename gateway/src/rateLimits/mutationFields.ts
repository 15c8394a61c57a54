import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * How many times each of `names` runs as a root field of `operation`. Fields are counted by
 * response key (alias or name): GraphQL merges selections with one key into one execution, so
 * `a: placeOrder(...) b: placeOrder(...)` is two orders, and a fragment spread twice is one.
 * Each fragment is read once, so the count costs time linear in the document. `@skip`/`@include`
 * are ignored: a field that might run is counted.
 */
export function rootFieldCounts(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  names: ReadonlySet<string>,
): Map<string, number> {
  const keysByName = new Map<string, Set<string>>();
  const visitedFragments = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (!names.has(name)) continue;
        const keys = keysByName.get(name) ?? new Set<string>();
        keys.add(selection.alias?.value ?? name);
        keysByName.set(name, keys);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!visitedFragments.has(selection.name.value)) {
        visitedFragments.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return new Map([...keysByName].map(([name, keys]) => [name, keys.size]));
}
