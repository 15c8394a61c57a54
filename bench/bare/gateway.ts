/** The bare gateway: it tells each subgraph the caller's user id, and nothing is signed or checked. */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { startPlainGateway, type PlainContext, type PlainGateway } from '../plainGateway.ts';
import { USER_HEADER } from './server.ts';

export function startBareGateway(port: number, subgraphUrls: Record<string, string>): Promise<PlainGateway> {
  return startPlainGateway(
    port,
    subgraphUrls,
    (_name, url) =>
      new RemoteGraphQLDataSource<PlainContext>({
        url,
        willSendRequest({ request, context }) {
          const sub = context.claims?.sub;
          if (typeof sub === 'string') request.http!.headers.set(USER_HEADER, sub);
        },
      }),
  );
}
