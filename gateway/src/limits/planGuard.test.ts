import { describe, expect, it } from 'vitest';
import { countFetches, subgraphFetchGuard } from './planGuard.ts';

type Guarded = Parameters<ReturnType<typeof subgraphFetchGuard>>[0];

const fetch = (serviceName: string) =>
  ({ kind: 'Fetch', serviceName, operation: '{ __typename }', operationName: undefined, operationKind: 'query' }) as const;

/** orders, then payments and inventory side by side, each for the entities found: three fetches. */
const PLAN = {
  kind: 'QueryPlan',
  node: {
    kind: 'Sequence',
    nodes: [
      fetch('orders'),
      {
        kind: 'Parallel',
        nodes: [
          { kind: 'Flatten', path: ['myOrders', '@'], node: fetch('payments') },
          { kind: 'Flatten', path: [], node: fetch('inventory') },
        ],
      },
    ],
  },
} as Guarded['queryPlan'];

describe('countFetches', () => {
  it('counts every fetch node of the plan, however nested', () => {
    expect(countFetches(PLAN.node)).toBe(3);
    expect(countFetches(undefined)).toBe(0);
  });
});

describe('subgraphFetchGuard', () => {
  const run = (max: number) => () => subgraphFetchGuard(max)({ queryPlan: PLAN } as Guarded);

  it('lets a plan within the limit through', () => {
    expect(run(3)).not.toThrow();
  });

  it("refuses a larger one as the client's mistake, a 400 naming the limit", () => {
    expect(run(2)).toThrow(
      expect.objectContaining({
        message: 'Query would need 3 subgraph fetches, more than the maximum of 2',
        extensions: expect.objectContaining({
          code: 'GRAPHQL_VALIDATION_FAILED',
          limit: 'maxSubgraphFetches',
          http: { status: 400 },
        }),
      }),
    );
  });
});
