/** Each database driver is loaded only when opened: a subgraph carries the one it uses, not both. */
import { describe, expect, it } from 'vitest';
import { modulesResolvedBy } from '#platform/testing';

/** Imports the kit's database module, runs `open`, and says which drivers were resolved. */
function driversLoaded(open = ''): string[] {
  const resolved = modulesResolvedBy(`const { openDatabase } = await import('./subgraphs/kit/src/db.ts');\n${open}`);
  return ['@electric-sql/pglite', '/node_modules/pg/'].filter((name) => resolved.some((url) => url.includes(name)));
}

describe('the database drivers', () => {
  it('are not loaded with the kit', () => {
    expect(driversLoaded()).toEqual([]);
  });

  it('PGlite alone is loaded for an embedded database', () => {
    expect(driversLoaded("await (await openDatabase({ driver: 'pglite' })).close();")).toEqual(['@electric-sql/pglite']);
  });
});
