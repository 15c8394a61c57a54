/**
 * `npm start` (scripts/start.mjs) is plain JavaScript so that Node runs it without its TypeScript
 * stripper; it reads the subgraphs from start.roster.json instead of schema/roster.ts. The copy must
 * say what the roster says, or the launcher would start, wait on and print the wrong services.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUBGRAPHS } from '#roster';

describe('scripts/start.roster.json', () => {
  it('lists the roster’s subgraphs, in order, with their default ports and URL variables', () => {
    const copy: unknown = JSON.parse(readFileSync(new URL('start.roster.json', import.meta.url), 'utf8'));
    const expected = SUBGRAPHS.map(({ name, defaultPort, urlVariable }) => ({ name, defaultPort, urlVariable }));
    expect(copy, 'update scripts/start.roster.json from schema/roster.ts').toEqual(expected);
  });
});
