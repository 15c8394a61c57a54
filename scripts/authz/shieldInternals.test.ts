/**
 * Pins the graphql-shield behaviour the matrix engine relies on beyond shield's typed API
 * (shieldInternals.ts, ruleMap.ts). If an upgrade changes any of it, this fails first, naming what
 * changed, instead of the matrix quietly describing rules wrongly.
 */
import { buildSchema, execute, parse } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, and, chain, deny, not, or, race, rule, shield } from 'graphql-shield';
import { describe, expect, it } from 'vitest';
import { DENY_BY_DEFAULT } from '#kit';
import { ruleOf, type EvaluableRule } from './ruleMap.ts';
import { SHIELD_CONTEXT_KEY, SHIELD_RULE_CLASSES, shieldRuleKind, withShieldCache } from './shieldInternals.ts';

const yes = rule('yes')(() => true);
const no = rule('no')(() => false);

const CONSTRUCTED = {
  allow,
  deny,
  not: not(yes),
  chain: chain(yes, no),
  and: and(yes, no),
  or: or(yes, no),
  race: race(yes, no),
} as const;

const OPTIONS = { ...DENY_BY_DEFAULT, debug: true, hashFunction: JSON.stringify };

describe('graphql-shield, as the matrix engine reads it', () => {
  it.each(Object.entries(SHIELD_RULE_CLASSES))('%s() makes a %s', (made, className) => {
    expect(shieldRuleKind(CONSTRUCTED[made as keyof typeof CONSTRUCTED])).toBe(className);
  });

  it('lets a logic rule give its rules back, in order', () => {
    for (const made of ['chain', 'and', 'or', 'race'] as const) {
      expect((CONSTRUCTED[made] as unknown as EvaluableRule).getRules!(), made).toEqual([yes, no]);
    }
    expect((CONSTRUCTED.not as unknown as EvaluableRule).getRules!()).toEqual([yes]);
  });

  it("keeps a request's rule cache in the context under its private key, made by the middleware", async () => {
    let seen: Record<string, unknown> | undefined;
    const counted = rule('counted', { cache: 'contextual' })(() => true);
    const schema = applyMiddleware(
      buildSchema('type Query { a: Int b: Int }'),
      shield({ Query: { a: counted, b: counted } }, { ...DENY_BY_DEFAULT }),
    );
    const contextValue: Record<string, unknown> = {};
    const rootValue = {
      a: (_args: unknown, ctx: Record<string, unknown>) => ((seen = ctx), 1),
      b: () => 2,
    };
    expect(await execute({ schema, document: parse('{ a b }'), contextValue, rootValue })).toEqual({ data: { a: 1, b: 2 } });
    expect(seen).toBe(contextValue);
    expect(contextValue[SHIELD_CONTEXT_KEY]).toEqual({ cache: { counted: true } });
  });

  it('answers a contextual rule from the cache withShieldCache makes, and needs that cache', async () => {
    let calls = 0;
    const counted = rule('counted', { cache: 'contextual' })(() => (calls += 1) > 0) as unknown as EvaluableRule;
    const ctx = withShieldCache({});
    const info = {} as never;
    expect(await counted.resolve(undefined, {}, ctx, info, OPTIONS)).toBe(true);
    expect(await counted.resolve(undefined, {}, ctx, info, OPTIONS)).toBe(true);
    expect(calls).toBe(1);
    await expect(counted.resolve(undefined, {}, {}, info, OPTIONS)).rejects.toThrow(TypeError);
  });

  it('applies a rule map as ruleOf reads it: field, wildcard, whole type, else the fallback', async () => {
    const ran: string[] = [];
    const tracing = (name: string) => rule(name)((_parent, _args, _ctx, info) => (ran.push(`${info.fieldName}:${name}`), true));
    const rules = { Query: { a: tracing('field'), '*': tracing('wildcard') }, Note: tracing('type') };
    const schema = applyMiddleware(
      buildSchema('type Note { text: String } type Query { a: Int b: Int note: Note } type Mutation { c: Int }'),
      shield(rules, { ...DENY_BY_DEFAULT }),
    );
    const rootValue = { a: 1, b: 2, note: { text: 'x' }, c: 3 };
    await execute({ schema, document: parse('{ a b note { text } }'), contextValue: {}, rootValue });
    const denied = await execute({ schema, document: parse('mutation { c }'), contextValue: {}, rootValue });
    expect(ran.sort()).toEqual(['a:field', 'b:wildcard', 'note:wildcard', 'text:type']);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      [ruleOf(rules, 'Query', 'a'), ruleOf(rules, 'Query', 'b'), ruleOf(rules, 'Note', 'text')].map((r) => r.source),
    ).toEqual(['field', 'wildcard', 'type']);
    expect(ruleOf(rules, 'Mutation', 'c').source).toBe('fallback');
  });
});
