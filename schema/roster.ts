/**
 * The subgraphs of this graph, read by everything that needs the list: the gateway's configuration
 * and onward tokens, `npm start`, composition, code generation, the compose-file and Kubernetes
 * checks, the e2e stack and the bench. Adding a subgraph starts here.
 */
export interface SubgraphEntry {
  readonly name: string;
  /** Where it listens by default, in development and in the compose file. */
  readonly defaultPort: number;
  /** The gateway's variable for its URL (and, for a subgraph that calls it onward, the caller's). */
  readonly urlVariable: string;
  /**
   * Subgraphs it calls on the user's behalf. The gateway mints it an extra token for each, for that
   * target alone, so no token is ever valid at two subgraphs.
   */
  readonly onwardTargets: readonly string[];
}

export const SUBGRAPHS = [
  // orders asks inventory whether every SKU of a new order exists before storing it.
  { name: 'orders', defaultPort: 4001, urlVariable: 'ORDERS_URL', onwardTargets: ['inventory'] },
  // payments asks orders whether an order exists before taking a payment for it.
  { name: 'payments', defaultPort: 4002, urlVariable: 'PAYMENTS_URL', onwardTargets: ['orders'] },
  { name: 'inventory', defaultPort: 4003, urlVariable: 'INVENTORY_URL', onwardTargets: [] },
] as const satisfies readonly SubgraphEntry[];

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((subgraph) => subgraph.name);

export function subgraphNamed(name: string): SubgraphEntry {
  const entry = SUBGRAPHS.find((subgraph) => subgraph.name === name);
  if (!entry) throw new Error(`No subgraph is named ${name}`);
  return entry;
}

/** Its development URL: `http://localhost:<defaultPort>/graphql`. */
export const localUrlOf = (entry: SubgraphEntry, host = 'localhost'): string => `http://${host}:${entry.defaultPort}/graphql`;
