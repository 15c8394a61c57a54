/** A subgraph serves HTTP on Node's own server: starting one loads no Express, no body-parser. */
import { describe, expect, it } from 'vitest';
import { modulesResolvedBy } from '#platform/testing';

describe("the kit's HTTP server", () => {
  const resolved = modulesResolvedBy("await import('./subgraphs/kit/src/server.ts');");

  it('loads Apollo Server, so the record is real', () => {
    expect(resolved.some((url) => url.includes('/node_modules/@apollo/server/'))).toBe(true);
  });

  it.each(['/node_modules/express/', '/node_modules/body-parser/'])('does not load %s', (path) => {
    expect(resolved.filter((url) => url.includes(path))).toEqual([]);
  });
});
