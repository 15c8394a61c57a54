/**
 * The baseline gateway: the plain gateway sending each subgraph (and each onward target) the
 * caller's identity unsigned. Client tokens are decoded with the gateway's own claims mapping and
 * never verified; no limits, rate limits, metrics or logs.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { ANONYMOUS, IDENTITY_HEADER, onwardIdentityHeader, viewerFromClaims, type Viewer } from '#identity';
import { subgraphNamed } from '#roster';
import { startPlainGateway, type PlainContext, type PlainGateway } from '../plainGateway.ts';
import { encodeIdentity } from './identity.ts';

export function startBaselineGateway(port: number, subgraphUrls: Record<string, string>): Promise<PlainGateway> {
  return startPlainGateway(port, subgraphUrls, (name, url) => {
    const onward = subgraphNamed(name).onwardTargets;
    return new RemoteGraphQLDataSource<PlainContext>({
      url,
      willSendRequest({ request, context }) {
        const viewer = viewerOf(context);
        const headers = request.http!.headers;
        headers.set(IDENTITY_HEADER, encodeIdentity(viewer, name));
        for (const target of onward) headers.set(onwardIdentityHeader(target), encodeIdentity(viewer, target));
      },
    });
  });
}

function viewerOf(context: Partial<PlainContext>): Viewer {
  try {
    return context.claims ? viewerFromClaims(context.claims, 'roles') : ANONYMOUS;
  } catch {
    return ANONYMOUS;
  }
}
