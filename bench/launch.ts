/**
 * One service of a benchmark stack, in this process: production's (secure), production's parts
 * without security (baseline), or the bare federation's. bench/serve.ts runs each in its own
 * process, and loads only that service's modules: a gateway's memory is its own, not the kit's.
 */
import type { Server } from 'node:http';
import type { DatabaseLocation } from '#kit';
import type { SubgraphName } from '#roster';
import type { BenchData } from './bare/data.ts';

export type Mode = 'secure' | 'baseline' | 'bare';
export const MODES: readonly Mode[] = ['secure', 'baseline', 'bare'];

export type ServiceSpec =
  | {
      role: 'gateway';
      mode: Mode;
      port: number;
      /** PKCS#8 PEM; the subgraphs verify against the JWKS this gateway serves. */
      identitySigningKey: string;
      subgraphUrls: Record<SubgraphName, string>;
    }
  | {
      role: SubgraphName;
      mode: Mode;
      port: number;
      jwksUrl: string;
      database: DatabaseLocation;
      /** Its onward targets' URLs, under the roster's variables. */
      env: Record<string, string>;
      /** The bench customer's rows, for the bare federation, which has no API to place them. */
      data?: BenchData;
    };

export interface LaunchedService {
  readonly url: string;
  /** The HTTP server, to count a subgraph's connections and requests; absent where it is not ours. */
  readonly httpServer?: Server;
  stop(): Promise<void>;
}

export async function launchService(spec: ServiceSpec): Promise<LaunchedService> {
  if (spec.role === 'gateway') return launchGateway(spec);
  if (spec.mode === 'bare') {
    const { startBareSubgraph } = await import('./bare/subgraphs.ts');
    return startBareSubgraph(spec.role, spec.port, spec.database, spec.data ?? { orders: [] });
  }
  const { subgraphConfig, launchProductionSubgraph } = await import('../e2e/services.ts');
  const config = subgraphConfig(spec.role, spec.jwksUrl, spec.database, { port: spec.port });
  const running =
    spec.mode === 'secure'
      ? await launchProductionSubgraph(spec.role, { config, env: spec.env })
      : await (await import('./baseline/subgraph.ts')).launchBaselineSubgraph(spec.role, config, spec.env);
  return { url: running.server.url, httpServer: running.server.httpServer, stop: () => running.stop() };
}

async function launchGateway(spec: Extract<ServiceSpec, { role: 'gateway' }>): Promise<LaunchedService> {
  if (spec.mode === 'bare') return (await import('./bare/gateway.ts')).startBareGateway(spec.port, spec.subgraphUrls);
  if (spec.mode === 'baseline') return (await import('./baseline/gateway.ts')).startBaselineGateway(spec.port, spec.subgraphUrls);
  return (await import('./secure/gateway.ts')).startSecureGateway(spec.port, spec.identitySigningKey, spec.subgraphUrls);
}
