import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { localUrlOf, SUBGRAPH_NAMES, SUBGRAPHS } from './roster.ts';

const ROOT = new URL('..', import.meta.url);

describe('the subgraph roster', () => {
  it('is the graph Rover composes (schema/supergraph.yaml)', () => {
    const rover = parse(readFileSync(new URL('schema/supergraph.yaml', ROOT), 'utf8')) as {
      subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
    };
    expect(Object.keys(rover.subgraphs)).toEqual(SUBGRAPH_NAMES);
    for (const entry of SUBGRAPHS) {
      expect(rover.subgraphs[entry.name]).toEqual({
        routing_url: localUrlOf(entry),
        schema: { file: `./${entry.name}.graphql` },
      });
    }
  });

  it.each(SUBGRAPH_NAMES)('names %s, which has its SDL and its folder', (name) => {
    expect(existsSync(new URL(`schema/${name}.graphql`, ROOT))).toBe(true);
    expect(existsSync(new URL(`subgraphs/${name}/src/main.ts`, ROOT))).toBe(true);
  });

  it('gives every subgraph its own port and URL variable', () => {
    expect(new Set(SUBGRAPHS.map((entry) => entry.defaultPort)).size).toBe(SUBGRAPHS.length);
    expect(new Set(SUBGRAPHS.map((entry) => entry.urlVariable)).size).toBe(SUBGRAPHS.length);
  });

  it('calls onward only other subgraphs of the roster, never in a loop', () => {
    const targetsOf = new Map<string, readonly string[]>(SUBGRAPHS.map((entry) => [entry.name, entry.onwardTargets]));
    const reaches = (from: string, seen = new Set<string>()): Set<string> => {
      for (const target of targetsOf.get(from) ?? []) {
        if (!seen.has(target)) reaches(target, seen.add(target));
      }
      return seen;
    };
    for (const entry of SUBGRAPHS) {
      for (const target of entry.onwardTargets) expect(SUBGRAPH_NAMES).toContain(target);
      expect(reaches(entry.name).has(entry.name)).toBe(false);
    }
  });
});
