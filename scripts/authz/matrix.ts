/** The permission matrix of every subgraph, and where its Markdown form is committed. */
import { evaluateSubgraph, type SubgraphMatrix } from './evaluate.ts';
import { SUBGRAPH_POLICIES } from './subgraphs.ts';
import type { SubgraphPolicy } from './model.ts';
import { PRINCIPALS } from './principals.ts';

export const MATRIX_FILE = new URL('../../docs/permissions.md', import.meta.url);

export interface PermissionMatrix {
  readonly principals: readonly { readonly id: string; readonly description: string }[];
  readonly subgraphs: readonly SubgraphMatrix[];
}

export async function buildPermissionMatrix(policies: readonly SubgraphPolicy[] = SUBGRAPH_POLICIES): Promise<PermissionMatrix> {
  const subgraphs: SubgraphMatrix[] = [];
  for (const policy of policies) subgraphs.push(await evaluateSubgraph(policy));
  return { principals: PRINCIPALS.map(({ id, description }) => ({ id, description })), subgraphs };
}
