/**
 * graphql-shield is patched at install (scripts/postinstall/patchGraphqlShield.mjs): unpatched, on
 * Node 23 and later its ESM build fails to load and its CommonJS build answers every `chain()` and
 * `race()` field "Not Authorised!". These run both logic rules through a real schema, in both
 * builds, so a lost patch fails here instead of denying quietly in production.
 */
import { createRequire } from 'node:module';
import { buildSchema, graphql } from 'graphql';
import * as esmMiddleware from 'graphql-middleware';
import * as esmShield from 'graphql-shield';
import { describe, expect, it } from 'vitest';

type Shield = typeof import('graphql-shield');
type Middleware = typeof import('graphql-middleware');

const require = createRequire(import.meta.url);
const ROOT = { chained: 'chain ran', raced: 'race ran', denied: 'never' };

async function run({ shield, chain, race, allow, rule }: Shield, { applyMiddleware }: Middleware) {
  const no = rule('no', { cache: 'no_cache' })(() => false);
  const schema = applyMiddleware(
    buildSchema('type Query { chained: String raced: String denied: String }'),
    shield(
      { Query: { chained: chain(allow, allow), raced: race(no, allow), denied: chain(allow, no) } },
      { fallbackRule: allow },
    ),
  );
  return graphql({ schema, source: '{ chained raced denied }', rootValue: ROOT });
}

describe('graphql-shield on this Node', () => {
  it('runs chain() and race() in its ESM build', async () => {
    expect((await run(esmShield, esmMiddleware)).data).toEqual({ chained: 'chain ran', raced: 'race ran', denied: null });
  });

  it('runs chain() and race() in its CommonJS build', async () => {
    const result = await run(require('graphql-shield') as Shield, require('graphql-middleware') as Middleware);
    expect(result.data).toEqual({ chained: 'chain ran', raced: 'race ran', denied: null });
  });
});
