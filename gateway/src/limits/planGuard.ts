import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { limitError } from './workLimits.ts';

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;

/** Subgraph requests one execution of `plan` makes at most (each `Fetch` node once). */
export function countFetches(node: PlanNode | undefined): number {
  if (!node) return 0;
  switch (node.kind) {
    case 'Fetch':
      return 1;
    case 'Sequence':
    case 'Parallel':
      return node.nodes.reduce((sum, child) => sum + countFetches(child), 0);
    case 'Flatten':
      return countFetches(node.node);
    case 'Condition':
      return countFetches(node.ifClause) + countFetches(node.elseClause);
    case 'Defer':
      return countFetches(node.primary.node) + node.deferred.reduce((sum, deferred) => sum + countFetches(deferred.node), 0);
    case 'Subscription':
      return 1 + countFetches(node.rest);
  }
}

/**
 * Refuses, after planning and before anything is sent, an operation whose plan fans out into more
 * subgraph fetches than `maxFetches` (`@requires` and entity hops multiply them beyond what the
 * document shows). The error carries an HTTP status, so Apollo Server answers it as the client's
 * mistake, a 400, not as an internal error.
 */
export function subgraphFetchGuard(maxFetches: number): Experimental_DidResolveQueryPlanCallback {
  return ({ queryPlan }) => {
    const fetches = countFetches(queryPlan.node);
    if (fetches <= maxFetches) return;
    throw limitError(
      `Query would need ${fetches} subgraph fetches, more than the maximum of ${maxFetches}`,
      'maxSubgraphFetches',
      {
        fetches,
        maxFetches,
        http: { status: 400 },
      },
    );
  };
}
