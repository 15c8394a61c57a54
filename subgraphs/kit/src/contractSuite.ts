/**
 * What a subgraph's contract suite (`subgraphs/<name>/src/permissions.e2e.ts`) is handed by the e2e
 * stack: a way to ask the whole graph, through the gateway, as one of the contract's demo users or
 * anonymously. Each suite says its own rows; e2e/ stands the stack up and runs them.
 */
export type DemoUser = 'alice' | 'bob' | 'wendy' | 'paula' | 'ada';

export interface GatewayAnswer {
  readonly status: number;
  readonly body: { data?: any; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
}

export type AskAs = (who: DemoUser | null, document: string, variables?: unknown) => Promise<GatewayAnswer>;

/** The error codes of an answer, in order. */
export const codesOf = (answer: GatewayAnswer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);
