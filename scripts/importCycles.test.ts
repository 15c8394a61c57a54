/**
 * No import cycles in the services and what they stand on, counting type-only imports: a cycle
 * means two modules that cannot be read, tested or moved apart.
 */
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importsOf, resolveSpecifier } from './importGraph.ts';

const FOLDERS = ['gateway', 'identity', 'platform', 'schema', 'subgraphs'] as const;

describe('the import graph', () => {
  it('has no cycle in gateway/, identity/, platform/, schema/ or subgraphs/', () => {
    const cycles = importCycles(importGraph(FOLDERS)).map((cycle) => cycle.join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('sees every kind of import: relative, `#` aliases, type-only and re-exports', () => {
    const graph = importGraph(FOLDERS);
    expect(graph.size).toBeGreaterThan(100);
    expect(importsOf('subgraphs/orders/src/rules.ts')).toEqual(
      expect.arrayContaining(['subgraphs/kit/src/index.ts', 'subgraphs/orders/src/context.ts', 'subgraphs/orders/src/store.ts']),
    );
    expect(importsOf('subgraphs/kit/src/testing.ts')).toContain('subgraphs/kit/src/contractSuite.ts');
    expect(resolveSpecifier('gateway/src/main.ts', '#identity/testing')).toBe('identity/src/testing.ts');
    expect(resolveSpecifier('gateway/src/main.ts', 'graphql')).toBeNull();
  });
});

describe('importCycles', () => {
  const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

  it('finds the context -> permissions -> rules -> context cycle the subgraphs once had', () => {
    const graph = graphOf({
      'context.ts': ['permissions.ts', 'store.ts'],
      'permissions.ts': ['rules.ts'],
      'rules.ts': ['context.ts', 'store.ts'],
      'store.ts': [],
    });
    expect(importCycles(graph)).toEqual([['context.ts', 'permissions.ts', 'rules.ts', 'context.ts']]);
  });

  it('finds a file that imports itself, and each cycle once', () => {
    const graph = graphOf({ 'a.ts': ['a.ts'], 'b.ts': ['c.ts'], 'c.ts': ['b.ts'], 'd.ts': ['b.ts'] });
    expect(importCycles(graph)).toEqual([
      ['a.ts', 'a.ts'],
      ['b.ts', 'c.ts', 'b.ts'],
    ]);
  });

  it('finds none in a graph without cycles', () => {
    expect(importCycles(graphOf({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [] }))).toEqual([]);
  });
});
