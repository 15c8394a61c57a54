/**
 * One subgraph never imports another, not even in tests: each stands on the kit (and the shared
 * identity, platform and roster) alone, so it can be read, changed and deployed by itself.
 */
import { describe, expect, it } from 'vitest';
import { importGraph } from './importGraph.ts';

/** `subgraphs/<name>/...` -> `<name>`; anything else -> undefined. */
const subgraphOf = (file: string) => /^subgraphs\/([^/]+)\//.exec(file)?.[1];

/** Every import from one subgraph's folder into another's, the kit aside. */
export function crossSubgraphImports(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph].flatMap(([file, targets]) => {
    const own = subgraphOf(file);
    return targets
      .filter((target) => {
        const other = subgraphOf(target);
        return other !== undefined && other !== own && other !== 'kit';
      })
      .map((target) => `${file} -> ${target}`);
  });
}

describe('subgraphs', () => {
  it('import nothing from one another (the kit aside)', () => {
    expect(crossSubgraphImports(importGraph(['subgraphs']))).toEqual([]);
  });

  it("are told apart by their folders, the kit being everyone's", () => {
    const graph = new Map([
      ['subgraphs/payments/src/a.test.ts', ['subgraphs/orders/src/testing.ts', 'subgraphs/kit/src/testing.ts']],
      ['subgraphs/orders/src/b.ts', ['subgraphs/orders/src/c.ts', 'identity/src/index.ts']],
    ]);
    expect(crossSubgraphImports(graph)).toEqual(['subgraphs/payments/src/a.test.ts -> subgraphs/orders/src/testing.ts']);
  });
});
