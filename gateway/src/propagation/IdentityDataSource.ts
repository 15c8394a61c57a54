import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ANONYMOUS, IDENTITY_HEADER, onwardIdentityHeader, REQUEST_ID_HEADER, type Logger, type Viewer } from '#kit';
import type { IdentitySigner } from './identitySigner.ts';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
}

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
  ) {
    super({ url, fetcher });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = options.request.http!.headers;
    for (const name of SPOOFABLE_HEADERS) headers.delete(name);
    for (const target of this.onward) headers.delete(onwardIdentityHeader(target));

    // Only incoming operations carry a user; health checks and schema loading go as anonymous.
    const incoming = options.kind === 'incoming operation' ? options.context : undefined;
    const viewer = incoming?.viewer ?? ANONYMOUS;
    if (incoming) headers.set(REQUEST_ID_HEADER, incoming.requestId);
    headers.set(IDENTITY_HEADER, await this.signer.sign(viewer, this.subgraph));
    for (const target of this.onward) {
      headers.set(onwardIdentityHeader(target), await this.signer.sign(viewer, target));
    }
  }
}
