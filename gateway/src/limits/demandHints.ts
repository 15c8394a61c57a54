import { Kind, parse, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/** What the schema says about one field's demand. */
export interface FieldDemand {
  /** `@cost(weight:)`: the field's own cost instead of the default (1 for an object, 0 for a scalar). */
  weight?: number;
  /** `@listSize(assumedSize:)`: how many elements a list field is taken to return. */
  assumedSize?: number;
}

export interface DemandHints {
  of(typeName: string, fieldName: string): FieldDemand;
  /** The size assumed for a list field the schema says nothing about. */
  readonly defaultListSize: number;
}

export const NO_DEMAND_HINTS: DemandHints = { of: () => ({}), defaultListSize: 1 };

const COST_SPEC = 'https://specs.apollo.dev/cost/';

/**
 * Reads the federation demand-control directives (`@cost`, `@listSize`, spec cost/v0.1) from the
 * composed supergraph, under whatever names its `@link` gives them. The API schema the gateway
 * validates against drops them, so they come from the supergraph itself.
 */
export function demandHintsFromSupergraph(supergraphSdl: string, defaultListSize: number): DemandHints {
  const document = parse(supergraphSdl);
  const names = costDirectiveNames(document);
  const fields = new Map<string, FieldDemand>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const demand = fieldDemand(field.directives ?? [], names);
      if (demand) fields.set(`${definition.name.value}.${field.name.value}`, demand);
    }
  }
  return { of: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`) ?? {}, defaultListSize };
}

/** A hints holder that follows the gateway's supergraph as it loads (and reloads, when composed live). */
export function followedDemandHints(defaultListSize: number) {
  let current: DemandHints = { of: () => ({}), defaultListSize };
  return {
    hints: { of: (typeName: string, fieldName: string) => current.of(typeName, fieldName), defaultListSize } as DemandHints,
    update(supergraphSdl: string) {
      current = demandHintsFromSupergraph(supergraphSdl, defaultListSize);
    },
  };
}

function fieldDemand(directives: readonly ConstDirectiveNode[], names: { cost: string; listSize: string }) {
  let demand: FieldDemand | undefined;
  for (const directive of directives) {
    const key =
      directive.name.value === names.cost ? 'weight' : directive.name.value === names.listSize ? 'assumedSize' : undefined;
    if (!key) continue;
    const argument = directive.arguments?.find((arg) => arg.name.value === (key === 'weight' ? 'weight' : 'assumedSize'));
    if (argument?.value.kind === Kind.INT) demand = { ...demand, [key]: Number(argument.value.value) };
  }
  return demand;
}

/**
 * `@link(url: ".../cost/v0.1", import: ["@listSize"])` -> local names. As the link spec has it, the
 * directive named like the spec (`@cost`) goes by the spec's name (or its `as:`) without an import;
 * the others are prefixed (`cost__listSize`) unless imported.
 */
function costDirectiveNames(document: DocumentNode): { cost: string; listSize: string } {
  const names = { cost: 'cost', listSize: 'cost__listSize' };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const argument = (name: string) => link.arguments?.find((arg) => arg.name.value === name)?.value;
      const url = argument('url');
      if (link.name.value !== 'link' || url?.kind !== Kind.STRING || !url.value.startsWith(COST_SPEC)) continue;
      const as = argument('as');
      const prefix = as?.kind === Kind.STRING ? as.value : 'cost';
      Object.assign(names, { cost: prefix, listSize: `${prefix}__listSize` });
      const imports = argument('import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        const [name, local] = importedName(entry);
        if (name === '@cost') names.cost = local;
        if (name === '@listSize') names.listSize = local;
      }
    }
  }
  return names;
}

function importedName(entry: ConstValueNode): [string, string] {
  if (entry.kind === Kind.STRING) return [entry.value, entry.value.slice(1)];
  if (entry.kind !== Kind.OBJECT) return ['', ''];
  const text = (field: string) => {
    const value = entry.fields.find((f) => f.name.value === field)?.value;
    return value?.kind === Kind.STRING ? value.value : '';
  };
  return [text('name'), (text('as') || text('name')).slice(1)];
}
