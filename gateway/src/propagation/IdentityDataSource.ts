import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ANONYMOUS, IDENTITY_HEADER, onwardIdentityHeader, type Viewer, type IdentitySigner } from '#identity';
import { REQUEST_ID_HEADER, type Logger } from '#platform';
import { fetchBudget, isTimeout, withFetchBudget } from './subgraphFetch.ts';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  /** When the whole request must have been answered (epoch milliseconds). */
  deadline?: number;
}

/** The code a client sees when a subgraph is down or refused the gateway itself. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** Headers a client might send to impersonate someone; they never reach a subgraph. */
const SPOOFABLE_HEADERS = ['x-user-id', 'x-user-email', 'x-user-roles', 'authorization', IDENTITY_HEADER];

/**
 * Sends each subgraph a token the gateway signed for it alone, saying who the client is. Client
 * headers are never forwarded. `onward` names the subgraphs this one may call on the user's behalf.
 */
export class IdentityDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly subgraph: string,
    url: string,
    private readonly signer: IdentitySigner,
    private readonly onward: readonly string[],
    fetcher: Fetcher,
    /** The longest one fetch may take (`SUBGRAPH_TIMEOUT_MS`). */
    private readonly timeoutMs: number,
  ) {
    super({ url, fetcher });
  }

  /** Every fetch ends by its own limit or the request's deadline, whichever comes first. */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const deadline = options.kind === 'incoming operation' ? options.context.deadline : undefined;
    return withFetchBudget(fetchBudget(this.timeoutMs, deadline), () => super.process(options));
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = options.request.http!.headers;
    for (const name of SPOOFABLE_HEADERS) headers.delete(name);
    for (const target of this.onward) headers.delete(onwardIdentityHeader(target));

    // Only incoming operations carry a user; health checks and schema loading go as anonymous.
    const incoming = options.kind === 'incoming operation' ? options.context : undefined;
    const viewer = incoming?.viewer ?? ANONYMOUS;
    if (incoming) headers.set(REQUEST_ID_HEADER, incoming.requestId);
    const identity = await this.signer.sign(viewer, this.subgraph);
    headers.set(IDENTITY_HEADER, identity);
    for (const target of this.onward) {
      headers.set(onwardIdentityHeader(target), await this.signer.signOnward(viewer, target, identity));
    }
  }

  /**
   * A subgraph that cannot be reached, or that refuses the gateway itself, is the operator's
   * problem: the client gets a plain message for that part of its query, never the subgraph's URL,
   * status or body. The cause goes to the request's log.
   */
  override didEncounterError(error: Error, _request: unknown, _response: unknown, context?: GatewayContext): never {
    const timedOut = isTimeout(error);
    context?.log?.error({ err: error, subgraph: this.subgraph, timedOut }, 'subgraph fetch failed');
    const message = timedOut
      ? `The ${this.subgraph} service did not answer in time`
      : `The ${this.subgraph} service is unavailable`;
    throw new GraphQLError(message, {
      extensions: { code: SERVICE_UNAVAILABLE, serviceName: this.subgraph },
    });
  }
}
