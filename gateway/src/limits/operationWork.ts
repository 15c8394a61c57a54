import {
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { NO_DEMAND_HINTS, type DemandHints } from './demandHints.ts';

/** What an operation asks of the gateway and the subgraphs once its fragments are expanded. */
export interface OperationWork {
  /** Deepest field nesting (`{ a { b } }` is 2). */
  depth: number;
  aliases: number;
  /** Fields selected at the operation's top level. */
  rootFields: number;
  /** Every field selection, each spread of a fragment counted again. */
  selections: number;
  /** The static demand estimate: see `fieldCost`. */
  cost: number;
}

const NOTHING: OperationWork = Object.freeze({ depth: 0, aliases: 0, rootFields: 0, selections: 0, cost: 0 });

/**
 * Counts grow exponentially with spreads (a fragment spreading the next one twice doubles them at
 * each level), so they are plain doubles held below a ceiling: never Infinity, never NaN, always
 * comparable with a limit.
 */
const CEILING = Number.MAX_SAFE_INTEGER;
const saturate = (value: number) => Math.min(value, CEILING);

export interface WorkAnalyser {
  /** The work of one operation of the document. */
  operation(operation: OperationDefinitionNode): OperationWork;
  /** Selection nodes visited so far: each node of the document at most once, however often it is spread. */
  readonly visited: number;
}

/**
 * Measures operations on the document as executed, in time linear in its size: a fragment is
 * summarised once, the first time it is spread, and every later spread reuses the summary. A
 * fragment that spreads itself, directly or not, counts as nothing where the cycle closes (the
 * NoFragmentCycles rule reports it).
 */
export function createWorkAnalyser(
  schema: GraphQLSchema,
  fragmentNamed: (name: string) => FragmentDefinitionNode | null | undefined,
  hints: DemandHints = NO_DEMAND_HINTS,
): WorkAnalyser {
  const summaries = new Map<string, OperationWork>();
  const inProgress = new Set<string>();
  let visited = 0;

  function fragment(name: string): OperationWork {
    const known = summaries.get(name);
    if (known) return known;
    const definition = fragmentNamed(name);
    if (!definition || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const summary = selectionSet(definition.selectionSet, schema.getType(definition.typeCondition.name.value));
    inProgress.delete(name);
    summaries.set(name, summary);
    return summary;
  }

  function selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined): OperationWork {
    let work = NOTHING;
    for (const selection of set.selections) {
      visited += 1;
      if (selection.kind === Kind.FIELD) {
        const definition = fieldOf(parent, selection.name.value);
        const below = selection.selectionSet
          ? selectionSet(selection.selectionSet, definition && getNamedType(definition.type))
          : NOTHING;
        work = beside(work, {
          depth: 1 + below.depth,
          aliases: saturate((selection.alias ? 1 : 0) + below.aliases),
          rootFields: 1,
          selections: saturate(1 + below.selections),
          cost: fieldCost(parent, selection.name.value, definition, below.cost, hints),
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        work = beside(work, selectionSet(selection.selectionSet, condition));
      } else {
        work = beside(work, fragment(selection.name.value));
      }
    }
    return work;
  }

  return {
    operation(operation) {
      return selectionSet(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
    },
    get visited() {
      return visited;
    },
  };
}

/** Two selections side by side in one selection set. */
const beside = (a: OperationWork, b: OperationWork): OperationWork => ({
  depth: Math.max(a.depth, b.depth),
  aliases: saturate(a.aliases + b.aliases),
  rootFields: saturate(a.rootFields + b.rootFields),
  selections: saturate(a.selections + b.selections),
  cost: saturate(a.cost + b.cost),
});

function fieldOf(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/**
 * The demand of one field, as Apollo Router's demand control counts it: an object costs 1 (a row to
 * load, an entity to fetch), a scalar 0 unless the schema weighs it (`@cost`), and a list
 * multiplies what each element costs by its assumed size (`@listSize`, or the default). The
 * gateway answers introspection itself, so `__schema`, `__type` and everything under them cost
 * nothing here; depth and the selection budget still bound them.
 */
function fieldCost(
  parent: GraphQLNamedType | undefined,
  name: string,
  definition: GraphQLField<unknown, unknown> | undefined,
  costBelow: number,
  hints: DemandHints,
): number {
  if (!definition || !parent || name.startsWith('__') || parent.name.startsWith('__')) return 0;
  const hint = hints.of(parent.name, name);
  const own = hint.weight ?? (isCompositeType(getNamedType(definition.type)) ? 1 : 0);
  return saturate(listFactor(definition.type, hint.assumedSize ?? hints.defaultListSize) * (own + costBelow));
}

/** `[T]` multiplies by the list's size, `[[T]]` by its square. */
function listFactor(type: GraphQLOutputType, size: number): number {
  let factor = 1;
  for (let current = type; ;) {
    if (isNonNullType(current)) current = current.ofType;
    else if (isListType(current)) {
      factor = saturate(factor * size);
      current = current.ofType;
    } else return factor;
  }
}
