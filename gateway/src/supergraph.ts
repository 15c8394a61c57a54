import { readFileSync } from 'node:fs';
import { IntrospectAndCompose, type SupergraphManager } from '@apollo/gateway';
import type { GatewayConfig } from './config.ts';

export const SUPERGRAPH_FILE = new URL('../../schema/supergraph.graphql', import.meta.url);

/**
 * Production runs the committed, composed supergraph. `SUPERGRAPH=compose` composes from the
 * running subgraphs instead, for development; they are introspected with an anonymous identity.
 */
export function supergraphSource(config: GatewayConfig): { supergraphSdl: string } | { supergraphSdl: SupergraphManager } {
  if (config.supergraph === 'file') return { supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8') };
  return {
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: Object.entries(config.subgraphUrls).map(([name, url]) => ({ name, url })),
    }),
  };
}
