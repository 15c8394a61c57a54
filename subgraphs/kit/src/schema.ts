import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareGenerator } from 'graphql-middleware';

const SCHEMA_DIR = new URL('../../../schema/', import.meta.url);

/** `schema/<name>.graphql` is the one source of a subgraph's SDL. */
export function loadSubgraphSdl(name: string): DocumentNode {
  return parse(readFileSync(new URL(`${name}.graphql`, SCHEMA_DIR), 'utf8'));
}

export type Resolvers = GraphQLResolverMap<any>;

/**
 * The subgraph schema with its shield applied. `permissions` is null only for the load
 * benchmark's baseline (`launchSubgraph`'s `benchmarkBaseline`), which prices the shield by
 * leaving it out; no configuration or environment variable leads here with null.
 */
export function buildShieldedSchema(
  typeDefs: DocumentNode,
  resolvers: Resolvers,
  permissions: IMiddlewareGenerator<unknown, unknown, unknown> | null,
): GraphQLSchema {
  const schema = buildSubgraphSchema([{ typeDefs, resolvers }]);
  return permissions ? applyMiddleware(schema, permissions) : schema;
}
