import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE } from '../supergraph.ts';
import { demandHintsFromSupergraph, followedDemandHints } from './demandHints.ts';

describe('demandHintsFromSupergraph', () => {
  const hints = demandHintsFromSupergraph(readFileSync(SUPERGRAPH_FILE, 'utf8'), 10);

  it("reads the subgraphs' @listSize and @cost from the composed supergraph", () => {
    expect(hints.of('Query', 'myOrders')).toEqual({ assumedSize: 20 });
    expect(hints.of('Order', 'items')).toEqual({ assumedSize: 50 });
    expect(hints.of('Order', 'payments')).toEqual({ assumedSize: 2 });
    expect(hints.of('Product', 'quantityOnHand')).toEqual({ weight: 1 });
  });

  it('says nothing of a field without them, leaving the default size', () => {
    expect(hints.of('Order', 'status')).toEqual({});
    expect(hints.defaultListSize).toBe(10);
  });

  it('follows the names the supergraph links the directives under', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand") { query: Query }
      type Query { a: [Int] @demand__listSize(assumedSize: 7) b: Int @demand(weight: 3) c: [Int] @listSize(assumedSize: 9) }`;
    const renamed = demandHintsFromSupergraph(sdl, 1);
    expect([renamed.of('Query', 'a'), renamed.of('Query', 'b'), renamed.of('Query', 'c')]).toEqual([
      { assumedSize: 7 },
      { weight: 3 },
      {},
    ]);
  });
});

describe('followedDemandHints', () => {
  it('answers from the latest supergraph it was given', () => {
    const followed = followedDemandHints(4);
    expect(followed.hints.of('Query', 'myOrders')).toEqual({});
    followed.update(readFileSync(SUPERGRAPH_FILE, 'utf8'));
    expect(followed.hints.of('Query', 'myOrders')).toEqual({ assumedSize: 20 });
    expect(followed.hints.defaultListSize).toBe(4);
  });
});
