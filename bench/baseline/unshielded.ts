/** A subgraph service from its production parts, with its schema built without the shield. */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { loadSubgraphSdl, type ServiceParts, type SubgraphService } from '#kit';

export function unshielded<Context extends object>(parts: ServiceParts<Context>): SubgraphService<Context> {
  return {
    name: parts.name,
    schema: buildSubgraphSchema([{ typeDefs: loadSubgraphSdl(parts.name), resolvers: parts.resolvers }]),
    createContext: parts.createContext,
    checkHealth: async () => void (await parts.db.query('SELECT 1')),
  };
}
