/**
 * Evaluates a subgraph's real shield rules for each principal against each field, the way shield
 * does at run time: the field's rule (logic rules whole) gets the parent, the arguments, a context
 * from the service's own `createContext` and an `info` carrying the response path. A resource
 * reached through other fields (`via`) is reached only if their rules allow first.
 */
import type { GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { IRules } from 'graphql-shield';
import { DENY_BY_DEFAULT } from '#kit';
import { ErrorCode } from '#platform';
import { type Viewer } from '#identity';
import { schemaFields } from './coverage.ts';
import { splitCoordinate, type Coordinate, type FixtureWorld, type Sample, type Step, type SubgraphPolicy } from './model.ts';
import { PRINCIPALS, type PrincipalId } from './principals.ts';
import { describeRule, ruleOf, wordsUnder, type EvaluableRule } from './ruleMap.ts';
import { withShieldCache } from './shieldInternals.ts';

export type Verdict = 'allow' | 'deny' | 'depends';

export interface SampleOutcome {
  readonly sample: string;
  readonly allowed: boolean;
  /** For a denial: UNAUTHENTICATED or FORBIDDEN, the message (the rule's words), and where. */
  readonly code?: string;
  readonly message?: string;
  readonly deniedAt?: Coordinate;
}

export interface Cell {
  readonly verdict: Verdict;
  /** The distinct messages of the denials, in order: the words a `depends` cell shows. */
  readonly words: readonly string[];
  readonly samples: readonly SampleOutcome[];
}

export interface FieldRow {
  readonly field: Coordinate;
  /** The field's rule in words, or why no rule names it. */
  readonly rule: string;
  readonly ruledBy: 'rule' | 'intentionally denied' | 'fallback';
  readonly cells: Readonly<Record<PrincipalId, Cell>>;
}

export interface SubgraphMatrix {
  readonly name: string;
  readonly resources: readonly string[];
  readonly notes: readonly string[];
  readonly rows: readonly FieldRow[];
}

/**
 * Shield's own options for our shields, but with `debug`: a rule that throws fails the generator
 * instead of passing for a denial (the pitfall that makes bugs look like authorization).
 */
const OPTIONS = {
  ...DENY_BY_DEFAULT,
  debug: true,
  hashFunction: ({ parent, args }: { parent: unknown; args: unknown }) => JSON.stringify([parent, args]),
};

const DENIAL_CODES: ReadonlySet<unknown> = new Set([ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED]);

const NO_RESOURCE: Sample = { label: 'no resource' };

type ResponsePath = GraphQLResolveInfo['path'];

interface Judgement {
  readonly allowed: boolean;
  readonly code?: string;
  readonly message?: string;
}

async function judge(
  rule: EvaluableRule,
  parent: unknown,
  args: unknown,
  ctx: object,
  info: GraphQLResolveInfo,
): Promise<Judgement> {
  const result = await rule.resolve(parent, args, ctx, info, OPTIONS);
  if (result === true) return { allowed: true };
  const error = result === false ? OPTIONS.fallbackError() : typeof result === 'string' ? new Error(result) : result;
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return { allowed: false, code: typeof code === 'string' ? code : 'NO_CODE', message: error.message };
}

function infoFor(schema: GraphQLSchema, type: GraphQLObjectType, fieldName: string, path: ResponsePath) {
  const field = type.getFields()[fieldName];
  return {
    fieldName,
    parentType: type,
    returnType: field?.type,
    path,
    schema,
    fieldNodes: [],
    fragments: {},
    variableValues: {},
    rootValue: undefined,
  } as unknown as GraphQLResolveInfo;
}

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!type || !('getFields' in type)) throw new Error(`The schema has no object type ${name}`);
  return type as GraphQLObjectType;
}

/** One sample, one principal: a fresh context (as one request would have), the `via` fields first. */
async function evaluateSample(
  policy: SubgraphPolicy,
  schema: GraphQLSchema,
  world: FixtureWorld,
  target: Coordinate,
  sample: Sample,
  who: Viewer,
): Promise<SampleOutcome> {
  const ctx = withShieldCache(world.contextFor(who));
  let prev: ResponsePath | undefined;
  const steps: Step[] = [...(sample.via ?? []), { coordinate: target, parent: sample.parent, args: sample.args }];
  for (const step of steps) {
    const [typeName, fieldName] = splitCoordinate(step.coordinate);
    const type = objectType(schema, typeName);
    const path: ResponsePath = { prev, key: fieldName, typename: typeName };
    const { rule } = ruleOf(policy.rules, typeName, fieldName);
    const judgement = await judge(rule, step.parent, step.args ?? {}, ctx, infoFor(schema, type, fieldName, path));
    if (!judgement.allowed) {
      if (!DENIAL_CODES.has(judgement.code)) {
        throw new Error(
          `${policy.name} ${target}, "${sample.label}", as ${who.sub ?? 'anonymous'}: ${step.coordinate} answered ` +
            `${judgement.code} "${judgement.message}" instead of deciding access. Fix the fixture.`,
        );
      }
      return { sample: sample.label, ...judgement, deniedAt: step.coordinate };
    }
    prev = step.index === undefined ? path : { prev: path, key: step.index, typename: undefined };
  }
  return { sample: sample.label, allowed: true };
}

/** `wordOrder`: the rule's own words in the order it checks them, so a cell lists them that way too. */
export function cellOf(samples: readonly SampleOutcome[], wordOrder: readonly string[] = []): Cell {
  const rank = (words: string) => (wordOrder.includes(words) ? wordOrder.indexOf(words) : wordOrder.length);
  const words = [...new Set(samples.filter((s) => !s.allowed).map((s) => s.message ?? ''))].sort((a, b) => rank(a) - rank(b));
  const allowed = samples.filter((s) => s.allowed).length;
  const verdict: Verdict = allowed === samples.length ? 'allow' : allowed === 0 ? 'deny' : 'depends';
  return { verdict, words, samples };
}

function samplesFor(world: FixtureWorld, field: Coordinate): readonly Sample[] {
  const [typeName] = splitCoordinate(field);
  return world.samples.fields?.[field] ?? world.samples.types?.[typeName] ?? [NO_RESOURCE];
}

function describeField(policy: SubgraphPolicy, rules: IRules, typeName: string, fieldName: string, field: Coordinate) {
  const { rule, source } = ruleOf(rules, typeName, fieldName);
  if (source !== 'fallback') return { rule: describeRule(rule), ruledBy: 'rule' as const };
  const reason = policy.intentionallyDenied[field];
  return reason === undefined
    ? { rule: 'no rule: the fallback denies', ruledBy: 'fallback' as const }
    : { rule: `no rule, denied on purpose: ${reason}`, ruledBy: 'intentionally denied' as const };
}

/** The whole matrix of one subgraph: every field of its schema, every principal. */
export async function evaluateSubgraph(policy: SubgraphPolicy): Promise<SubgraphMatrix> {
  const schema = policy.schema();
  const world = await policy.openFixtures();
  try {
    const rows: FieldRow[] = [];
    for (const { type, field, coordinate } of schemaFields(schema)) {
      const wordOrder = wordsUnder(ruleOf(policy.rules, type.name, field).rule);
      const cells = {} as Record<PrincipalId, Cell>;
      for (const principal of PRINCIPALS) {
        const outcomes: SampleOutcome[] = [];
        for (const sample of samplesFor(world, coordinate)) {
          outcomes.push(await evaluateSample(policy, schema, world, coordinate, sample, principal.viewer));
        }
        cells[principal.id] = cellOf(outcomes, wordOrder);
      }
      rows.push({ field: coordinate, ...describeField(policy, policy.rules, type.name, field, coordinate), cells });
    }
    return { name: policy.name, resources: policy.resources, notes: policy.notes ?? [], rows };
  } finally {
    await world.close();
  }
}
