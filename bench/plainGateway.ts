/**
 * A gateway from public parts alone: `ApolloGateway` on the committed supergraph, Apollo Server's
 * standalone HTTP server, and a data source per subgraph. The bare federation and the baseline
 * both stand on it; they differ only in what their data sources tell a subgraph about the caller.
 */
import '../gateway/src/telemetry.ts';
import { readFileSync } from 'node:fs';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { decodeJwt, type JWTPayload } from 'jose';

export interface PlainContext {
  /** The client token's claims, decoded and never verified; null without a token. */
  claims: JWTPayload | null;
}

export interface PlainGateway {
  url: string;
  stop(): Promise<void>;
}

const SUPERGRAPH = new URL('../schema/supergraph.graphql', import.meta.url);

export async function startPlainGateway(
  port: number,
  subgraphUrls: Record<string, string>,
  dataSource: (name: string, url: string) => GraphQLDataSource<PlainContext & Record<string, any>>,
): Promise<PlainGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH, 'utf8'),
    buildService: ({ name, url }) => dataSource(name, subgraphUrls[name] ?? url!),
  });
  const server = new ApolloServer<PlainContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async ({ req }) => ({ claims: claimsOf(req.headers.authorization) }),
  });
  return { url, stop: () => server.stop() };
}

function claimsOf(authorization: string | undefined): JWTPayload | null {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
  if (!token) return null;
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}
