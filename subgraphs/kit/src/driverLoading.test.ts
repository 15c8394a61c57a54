/** Each database driver is loaded only when opened: a subgraph carries the one it uses, not both. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Imports the kit's database module, opens `driver` if given, and prints which drivers were resolved. */
const script = (open: string) => `
const { registerHooks } = await import('node:module');
const resolved = [];
registerHooks({ resolve: (specifier, context, next) => { const result = next(specifier, context); resolved.push(result.url); return result; } });
const { openDatabase } = await import('./subgraphs/kit/src/db.ts');
${open}
const drivers = ['@electric-sql/pglite', '/node_modules/pg/'].filter((name) => resolved.some((url) => url.includes(name)));
console.log(JSON.stringify(drivers));
`;

function driversLoaded(open = ''): string[] {
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(open)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as string[];
}

describe('the database drivers', () => {
  it('are not loaded with the kit', () => {
    expect(driversLoaded()).toEqual([]);
  });

  it('PGlite alone is loaded for an embedded database', () => {
    expect(driversLoaded("await (await openDatabase({ driver: 'pglite' })).close();")).toEqual(['@electric-sql/pglite']);
  });
});
