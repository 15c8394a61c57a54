/**
 * Reading a shield rule map the way graphql-shield's generator applies it: a rule for the whole
 * schema, a rule for a whole type, a rule per field, a type's `'*'` wildcard, else the fallback.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { IRules } from 'graphql-shield';
import { DENY_BY_DEFAULT, ruleWords } from '#kit';
import { SHIELD_RULE_CLASSES, shieldRuleKind } from './shieldInternals.ts';

export type RuleResult = boolean | string | Error;

/** What every shield rule, plain or logic, offers: the call shield makes for each field. */
export interface EvaluableRule {
  resolve(parent: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo, options: unknown): Promise<RuleResult>;
  getRules?(): EvaluableRule[];
}

export type RuleSource = 'schema' | 'type' | 'field' | 'wildcard' | 'fallback';

export interface FieldRule {
  readonly rule: EvaluableRule;
  readonly source: RuleSource;
}

export const isRule = (value: unknown): value is EvaluableRule =>
  typeof value === 'object' && value !== null && typeof (value as EvaluableRule).resolve === 'function';

export const FALLBACK_RULE = DENY_BY_DEFAULT.fallbackRule as unknown as EvaluableRule;

export function ruleOf(rules: IRules, typeName: string, fieldName: string): FieldRule {
  if (isRule(rules)) return { rule: rules, source: 'schema' };
  const forType: unknown = (rules as Record<string, unknown>)[typeName];
  if (isRule(forType)) return { rule: forType, source: 'type' };
  if (typeof forType === 'object' && forType !== null) {
    const fields = forType as Record<string, unknown>;
    const own = Object.hasOwn(fields, fieldName) ? fields[fieldName] : undefined;
    if (isRule(own)) return { rule: own, source: 'field' };
    if (isRule(fields['*'])) return { rule: fields['*'], source: 'wildcard' };
  }
  return { rule: FALLBACK_RULE, source: 'fallback' };
}

const JOINERS: Readonly<Record<string, string>> = {
  [SHIELD_RULE_CLASSES.chain]: ', then ',
  [SHIELD_RULE_CLASSES.and]: ' and ',
  [SHIELD_RULE_CLASSES.or]: ' or ',
  [SHIELD_RULE_CLASSES.race]: ' or else ',
};

/**
 * A rule in words: each plain rule by its words (quoted), logic rules by how they combine them,
 * `allow` and `deny` as themselves.
 */
export function describeRule(rule: EvaluableRule): string {
  const kind = shieldRuleKind(rule);
  if (kind === SHIELD_RULE_CLASSES.allow) return 'allow';
  if (kind === SHIELD_RULE_CLASSES.deny) return 'deny';
  if (kind === SHIELD_RULE_CLASSES.not) return `not (${describeRule(rule.getRules!()[0]!)})`;
  const joiner = kind === undefined ? undefined : JOINERS[kind];
  if (joiner !== undefined && rule.getRules) return rule.getRules().map(describeRule).join(joiner);
  const words = ruleWords(rule);
  return words === undefined ? `a rule without words (${kind ?? 'unknown'})` : `"${words}"`;
}

/** The words every plain rule under `rule` may deny with, `allow`/`deny` aside. */
export function wordsUnder(rule: EvaluableRule): string[] {
  if (rule.getRules) return rule.getRules().flatMap(wordsUnder);
  const words = ruleWords(rule);
  return words === undefined ? [] : [words];
}
