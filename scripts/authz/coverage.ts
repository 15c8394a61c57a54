/**
 * Rule coverage: every field of a subgraph schema is either named by a rule or listed as
 * intentionally denied. A field reached only by the fallback rule was never decided on, so adding
 * a field without choosing its rule fails the build, naming the field.
 */
import { isIntrospectionType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { IRules } from 'graphql-shield';
import { coordinate, type Coordinate } from './model.ts';
import { ruleOf } from './ruleMap.ts';

export interface SchemaField {
  readonly type: GraphQLObjectType;
  readonly field: string;
  readonly coordinate: Coordinate;
}

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/**
 * Every field a shield wraps: the fields of every object type but introspection's. Root types
 * first, then the others by name; fields in schema order.
 */
export function schemaFields(schema: GraphQLSchema): SchemaField[] {
  const types = Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !isIntrospectionType(type))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return types.flatMap((type) =>
    Object.keys(type.getFields()).map((field) => ({ type, field, coordinate: coordinate(type.name, field) })),
  );
}

const rank = (name: string) => {
  const index = ROOT_TYPES.indexOf(name);
  return index === -1 ? ROOT_TYPES.length : index;
};

export interface RuleCoverage {
  /** Fields only the fallback rule reaches and nobody listed as denied on purpose. */
  readonly unruled: Coordinate[];
  /** Listed as intentionally denied, but the schema has no such field. */
  readonly notInSchema: Coordinate[];
  /** Listed as intentionally denied, but a rule names them: the list says one thing, shield another. */
  readonly ruledAnyway: Coordinate[];
}

export function ruleCoverage(
  schema: GraphQLSchema,
  rules: IRules,
  intentionallyDenied: Readonly<Record<string, string>>,
): RuleCoverage {
  const fields = schemaFields(schema);
  const all = new Set(fields.map((f) => f.coordinate));
  const fallbackOnly = new Set(
    fields.filter(({ type, field }) => ruleOf(rules, type.name, field).source === 'fallback').map((f) => f.coordinate),
  );
  const listed = Object.keys(intentionallyDenied) as Coordinate[];
  return {
    unruled: [...fallbackOnly].filter((field) => !Object.hasOwn(intentionallyDenied, field)),
    notInSchema: listed.filter((field) => !all.has(field)),
    ruledAnyway: listed.filter((field) => all.has(field) && !fallbackOnly.has(field)),
  };
}

export interface CoverageTarget {
  readonly name: string;
  readonly permissionsFile: string;
  readonly rulesExport: string;
  readonly intentionallyDeniedExport: string;
}

/** The findings of `ruleCoverage` as sentences naming each field and what to do about it. */
export function coverageProblems(target: CoverageTarget, coverage: RuleCoverage): string[] {
  return [
    ...coverage.unruled.map(
      (field) =>
        `${target.name}: ${field} is reached only by the fallback rule. Give it a rule in ` +
        `${target.rulesExport} (${target.permissionsFile}), or list it in ${target.intentionallyDeniedExport} with the reason.`,
    ),
    ...coverage.notInSchema.map(
      (field) =>
        `${target.name}: ${field} is listed in ${target.intentionallyDeniedExport} but is not a field of the schema: remove it from the list.`,
    ),
    ...coverage.ruledAnyway.map(
      (field) =>
        `${target.name}: ${field} is listed in ${target.intentionallyDeniedExport} but a rule in ${target.rulesExport} names it: keep one of the two.`,
    ),
  ];
}

/** Throws one error naming every field whose rule nobody decided. */
export function assertRuleCoverage(
  target: CoverageTarget,
  schema: GraphQLSchema,
  rules: IRules,
  intentionallyDenied: Readonly<Record<string, string>>,
): void {
  const problems = coverageProblems(target, ruleCoverage(schema, rules, intentionallyDenied));
  if (problems.length > 0) throw new Error(`Rule coverage:\n- ${problems.join('\n- ')}`);
}
