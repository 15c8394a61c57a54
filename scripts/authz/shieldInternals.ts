/**
 * What the matrix engine relies on in graphql-shield beyond its typed API, in one place, so that
 * shieldInternals.test.ts can pin it and fail loudly when an upgrade changes it:
 * - shield exports constructors, not rule classes, so a rule's kind is told by its class name;
 * - shield's field middleware keeps each request's rule cache in the context, under the private
 *   key `_shield`; the engine calls rules without that middleware, so it puts the key there itself.
 */

/** The class name of each rule kind the matrix describes, by the constructor that makes it. */
export const SHIELD_RULE_CLASSES = {
  allow: 'RuleTrue',
  deny: 'RuleFalse',
  not: 'RuleNot',
  chain: 'RuleChain',
  and: 'RuleAnd',
  or: 'RuleOr',
  race: 'RuleRace',
} as const;

export const shieldRuleKind = (rule: object): string | undefined => rule.constructor?.name;

/** The private context key of shield's per-request cache. */
export const SHIELD_CONTEXT_KEY = '_shield';

/** `ctx` as shield's middleware leaves it before a request's first rule runs: an empty cache. */
export function withShieldCache<Context extends object>(ctx: Context): Context {
  return Object.assign(ctx, { [SHIELD_CONTEXT_KEY]: { cache: {} } });
}
