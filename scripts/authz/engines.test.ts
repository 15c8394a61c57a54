import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngineUnavailable } from '#kit';
import { compareEngines, enginesHere, type EngineUnderTest } from './engines.ts';
import { evaluateSubgraph, type SubgraphMatrix } from './evaluate.ts';
import { SUBGRAPH_POLICIES } from './subgraphs.ts';

const orders = SUBGRAPH_POLICIES.find((policy) => policy.name === 'orders')!;
const rows = orders.engines!;

let reference: SubgraphMatrix;
beforeAll(async () => {
  reference = await evaluateSubgraph(orders);
}, 120_000);

describe('the orders rows, engine by engine', () => {
  it('every engine that runs here answers every field, caller and resource as the in-code rules do', async () => {
    const { engines, skipped } = await enginesHere(rows);
    for (const reason of skipped) console.log(reason);
    expect(engines.map((engine) => engine.name)).toContain('cedar');
    for (const comparison of await compareEngines(rows, engines, reference)) {
      expect(comparison.compared).toBeGreaterThan(100);
      expect(comparison.disagreements, comparison.engine).toEqual([]);
    }
  }, 120_000);

  it("reports an engine that lets admins cancel anyone's order", async () => {
    const cedar = rows.cedar();
    const lenient: EngineUnderTest = {
      name: 'lenient',
      create: () => ({
        name: 'cedar',
        decide: async (input) =>
          input.action === 'cancel' && input.user.roles.includes('admin') ? { allowed: true } : cedar.decide(input),
      }),
    };
    const [comparison] = await compareEngines(rows, [lenient], reference);
    expect(comparison!.disagreements.length).toBeGreaterThan(0);
    expect(comparison!.disagreements.join('\n')).toMatch(
      /^Mutation\.cancelOrder, admin: shield answers .*FORBIDDEN.*lenient .*"allowed":true/m,
    );
  }, 120_000);

  it('does not count an engine that gives no decision as agreeing', async () => {
    const down: EngineUnderTest = {
      name: 'down',
      create: () => ({
        name: 'opa',
        decide: async () => {
          throw new PolicyEngineUnavailable('opa', 'unreachable');
        },
      }),
    };
    await expect(compareEngines(rows, [down], reference)).rejects.toThrow(
      /INTERNAL_SERVER_ERROR|instead of deciding access|gave no decision/,
    );
  }, 120_000);
});
