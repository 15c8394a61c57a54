/** A bare subgraph: its SDL, its resolvers, Apollo Server's standalone HTTP server. Nothing else. */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';

/** Who is asking, as the bare gateway passes it on: a user id header, trusted as it comes. */
export const USER_HEADER = 'x-user-id';

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

export async function startBareSubgraph<Context extends object>(
  name: string,
  resolvers: GraphQLResolverMap<Context>,
  context: (userId: string | undefined) => Context,
  port: number,
): Promise<BareServer> {
  const typeDefs = parse(readFileSync(new URL(`../../schema/${name}.graphql`, import.meta.url), 'utf8'));
  const server = new ApolloServer<Context>({
    schema: buildSubgraphSchema([{ typeDefs, resolvers: resolvers as any }]),
    // As the kit does: no gateway here asks for traces, and the default announces itself on start.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async ({ req }) => context(userOf(req)),
  });
  return { url, stop: () => server.stop() };
}

function userOf(req: IncomingMessage): string | undefined {
  const value = req.headers[USER_HEADER];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
