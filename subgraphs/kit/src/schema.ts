import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareGenerator } from 'graphql-middleware';
import type { Database } from './db.ts';
import type { IncomingRequest, SubgraphService } from './server.ts';

const SCHEMA_DIR = new URL('../../../schema/', import.meta.url);

/** `schema/<name>.graphql` is the one source of a subgraph's SDL. */
export function loadSubgraphSdl(name: string): DocumentNode {
  return parse(readFileSync(new URL(`${name}.graphql`, SCHEMA_DIR), 'utf8'));
}

export type Resolvers = GraphQLResolverMap<any>;

/** The subgraph schema with its shield applied. */
export function buildShieldedSchema(
  typeDefs: DocumentNode,
  resolvers: Resolvers,
  permissions: IMiddlewareGenerator<unknown, unknown, unknown>,
): GraphQLSchema {
  return applyMiddleware(buildSubgraphSchema([{ typeDefs, resolvers }]), permissions);
}

/** A subgraph's own folder layout: `migrations/` and `seed.sql` beside its `src/`. */
export function subgraphFiles(serviceModuleUrl: string) {
  return {
    migrations: new URL('../migrations/', serviceModuleUrl).pathname,
    seed: new URL('../seed.sql', serviceModuleUrl).pathname,
  } as const;
}

export interface ServiceParts<Context extends object> {
  name: string;
  db: Database;
  resolvers: Resolvers;
  permissions: IMiddlewareGenerator<unknown, unknown, unknown>;
  createContext(request: IncomingRequest): Context;
}

/** A subgraph service from its parts: SDL from schema/<name>.graphql, shield on, health = database. */
export function shieldedService<Context extends object>(parts: ServiceParts<Context>): SubgraphService<Context> {
  return {
    name: parts.name,
    schema: buildShieldedSchema(loadSubgraphSdl(parts.name), parts.resolvers, parts.permissions),
    createContext: parts.createContext,
    checkHealth: async () => void (await parts.db.query('SELECT 1')),
  };
}
