import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { allow, and, chain, deny, not, or, rule } from 'graphql-shield';
import { describe, expect, it } from 'vitest';
import { forbidden, notFound } from '#platform';
import { hasPermission, isSignedIn, permissionsOf, policyRule, ruleWords } from '#kit';
import { cellOf, evaluateSubgraph } from './evaluate.ts';
import type { SubgraphPolicy } from './model.ts';
import { describeRule, FALLBACK_RULE, ruleOf, type EvaluableRule } from './ruleMap.ts';

const asRule = (value: unknown) => value as EvaluableRule;

describe('ruleWords', () => {
  it('gives the words a rule denies with, even when its cache name differs', () => {
    const named = policyRule('Only tidy notes can be filed', () => false, { name: 'file a note: tidy ones only' });
    expect(named.name).toBe('file a note: tidy ones only');
    expect(ruleWords(named)).toBe('Only tidy notes can be filed');
    expect(ruleWords(hasPermission('note:file', 'Only clerks can file notes'))).toBe('Only clerks can file notes');
    expect(ruleWords(isSignedIn)).toBe('You must be signed in');
  });

  it('gives a plain shield rule its name, and nothing for allow, deny and logic rules', () => {
    expect(ruleWords(rule('a plain rule')(() => true))).toBe('a plain rule');
    expect(ruleWords(allow)).toBeUndefined();
    expect(ruleWords(chain(isSignedIn))).toBeUndefined();
  });
});

describe('ruleOf, as shield applies a rule map', () => {
  const whole = rule('whole type')(() => true);
  const field = rule('one field')(() => true);
  const wildcard = rule('the rest')(() => true);
  const rules = { Note: whole, Folder: { title: field, '*': wildcard }, Query: { notes: field } };

  it('finds type, field and wildcard rules, else the fallback', () => {
    expect(ruleOf(rules, 'Note', 'anything')).toEqual({ rule: whole, source: 'type' });
    expect(ruleOf(rules, 'Folder', 'title')).toEqual({ rule: field, source: 'field' });
    expect(ruleOf(rules, 'Folder', 'size')).toEqual({ rule: wildcard, source: 'wildcard' });
    expect(ruleOf(rules, 'Query', 'secret')).toEqual({ rule: FALLBACK_RULE, source: 'fallback' });
    expect(ruleOf(rules, 'Unknown', 'x').source).toBe('fallback');
    expect(ruleOf(whole, 'Anything', 'x').source).toBe('schema');
  });

  it('describes rules in their words', () => {
    const a = hasPermission('a', 'Only A');
    const b = hasPermission('b', 'Only B');
    expect(describeRule(asRule(chain(a, b)))).toBe('"Only A", then "Only B"');
    expect(describeRule(asRule(and(a, or(b, allow))))).toBe('"Only A" and "Only B" or allow');
    expect(describeRule(asRule(not(deny)))).toBe('not (deny)');
  });
});

describe('cellOf', () => {
  const yes = { sample: 'one', allowed: true };
  const no = (message: string) => ({ sample: 'two', allowed: false, code: 'FORBIDDEN', message });

  it('allows, denies, or depends with the denying words in the rule order', () => {
    expect(cellOf([yes, yes]).verdict).toBe('allow');
    expect(cellOf([no('A'), no('B')])).toMatchObject({ verdict: 'deny', words: ['A', 'B'] });
    expect(cellOf([yes, no('late'), no('not pending'), no('late')], ['not pending', 'late'])).toMatchObject({
      verdict: 'depends',
      words: ['not pending', 'late'],
    });
  });
});

/** A small subgraph with no database: its context is only who asks and what they may do. */
function notesPolicy(overrides: Partial<SubgraphPolicy> = {}, samples = {}): SubgraphPolicy {
  const typeDefs = parse(`
    type Note { id: ID! text: String! }
    type Query { note(id: ID!): Note notes: [Note!]! }
  `);
  const catalogue = { signedIn: ['note:read:own'], byRole: { admin: ['note:read:any'] } };
  const ownsNote = policyRule(
    'Only its author can read a note',
    (note: { author: string }, _args, ctx) => note.author === ctx.viewer.sub,
  );
  return {
    name: 'notes',
    permissionsFile: 'notes/permissions.ts',
    rulesExport: 'notesRules',
    intentionallyDeniedExport: 'notesIntentionallyDenied',
    rules: {
      Query: { notes: isSignedIn },
      Note: or(hasPermission('note:read:any', 'Only admins can read any note'), ownsNote),
    },
    intentionallyDenied: { 'Query.note': 'kept for later' },
    roles: catalogue,
    contractRows: [],
    schema: () => buildSubgraphSchema([{ typeDefs }]),
    resources: ["alice's note"],
    openFixtures: async () => ({
      contextFor: (viewer) => ({ viewer, permissions: permissionsOf(viewer, catalogue) }),
      samples: { types: { Note: [{ label: "alice's note", parent: { author: 'alice' } }] }, ...samples },
      close: async () => {},
    }),
    ...overrides,
  };
}

describe('evaluateSubgraph', () => {
  it('evaluates every field for every principal, logic rules whole', async () => {
    const matrix = await evaluateSubgraph(notesPolicy());
    const verdicts = Object.fromEntries(
      matrix.rows.map((row) => [
        row.field,
        Object.values(row.cells)
          .map((cell) => cell.verdict)
          .join(' '),
      ]),
    );
    // anonymous customer owner warehouse_staff payment_processor admin
    expect(verdicts).toEqual({
      'Query.note': 'deny deny deny deny deny deny',
      'Query.notes': 'deny allow allow allow allow allow',
      'Query._service': 'deny deny deny deny deny deny',
      'Note.id': 'deny deny allow deny deny allow',
      'Note.text': 'deny deny allow deny deny allow',
      '_Service.sdl': 'deny deny deny deny deny deny',
    });
    const note = matrix.rows.find((row) => row.field === 'Query.note')!;
    expect(note).toMatchObject({ ruledBy: 'intentionally denied', rule: 'no rule, denied on purpose: kept for later' });
    expect(note.cells.admin.words).toEqual(['Not allowed: no rule grants access to this field']);
    expect(matrix.rows.find((row) => row.field === 'Query._service')!.ruledBy).toBe('fallback');
  });

  it('reaches a resource through its `via` fields first, with the response path a rule can read', async () => {
    const paths: string[] = [];
    const policy = notesPolicy(
      {
        rules: {
          Query: { notes: hasPermission('note:read:any', 'Only admins can list notes') },
          Note: rule('sees its path')((_parent, _args, _ctx, info) => {
            const keys: (string | number)[] = [];
            for (let at: typeof info.path | undefined = info.path; at; at = at.prev) keys.unshift(at.key);
            paths.push(keys.join('.'));
            return true;
          }),
        },
      },
      { types: { Note: [{ label: 'listed', parent: {}, via: [{ coordinate: 'Query.notes', index: 3 }] }] } },
    );
    const matrix = await evaluateSubgraph(policy);
    const id = matrix.rows.find((row) => row.field === 'Note.id')!;
    expect(id.cells.owner).toMatchObject({ verdict: 'deny', words: ['Only admins can list notes'] });
    expect(id.cells.owner.samples[0]).toMatchObject({ deniedAt: 'Query.notes' });
    expect(id.cells.admin.verdict).toBe('allow');
    expect(paths).toContain('notes.3.id');
  });

  it('fails loudly when a rule throws, instead of counting it as a denial', async () => {
    const policy = notesPolicy({
      rules: {
        Query: {
          notes: rule('broken')(() => {
            throw new Error('bug in a rule');
          }),
        },
        Note: allow,
      },
    });
    await expect(evaluateSubgraph(policy)).rejects.toThrow('bug in a rule');
  });

  it('fails when a fixture never reaches the decision (NOT_FOUND is not a denial)', async () => {
    const policy = notesPolicy({
      rules: { Query: { notes: rule('lookup')(() => notFound('No such note')) }, Note: allow },
    });
    await expect(evaluateSubgraph(policy)).rejects.toThrow(/Query\.notes answered NOT_FOUND "No such note" .* Fix the fixture/);
  });

  it('counts a rule that answers false as the fallback error, as shield does', async () => {
    const policy = notesPolicy({
      rules: { Query: { notes: rule('plain no')(() => false) }, Note: rule('x')(() => forbidden('x')) },
    });
    const matrix = await evaluateSubgraph(policy);
    expect(matrix.rows.find((row) => row.field === 'Query.notes')!.cells.admin).toMatchObject({
      verdict: 'deny',
      words: ['Not allowed: no rule grants access to this field'],
    });
  });
});
