/** A subgraph serves HTTP on Node's own server: starting one loads no Express, no body-parser. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const SCRIPT = `
const { registerHooks } = await import('node:module');
const resolved = [];
registerHooks({ resolve: (specifier, context, next) => { const result = next(specifier, context); resolved.push(result.url); return result; } });
await import('./subgraphs/kit/src/server.ts');
console.log(JSON.stringify(resolved));
`;

describe("the kit's HTTP server", () => {
  const resolved = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      encoding: 'utf8',
      timeout: 60_000,
    })
      .trim()
      .split('\n')
      .at(-1)!,
  ) as string[];

  it('loads Apollo Server, so the record is real', () => {
    expect(resolved.some((url) => url.includes('/node_modules/@apollo/server/'))).toBe(true);
  });

  it.each(['/node_modules/express/', '/node_modules/body-parser/'])('does not load %s', (path) => {
    expect(resolved.filter((url) => url.includes(path))).toEqual([]);
  });
});
