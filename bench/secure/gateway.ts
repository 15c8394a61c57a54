/** The secure stack's gateway: production's, configured as `npm start` would, with the bench's client auth. */
import '../../gateway/src/telemetry.ts';
import { createLogger } from '#platform';
import type { SubgraphName } from '#roster';
import { readGatewayConfig } from '../../gateway/src/config.ts';
import { startGateway } from '../../gateway/src/server.ts';
import { urlVariables } from '../../e2e/topology.ts';
import { BENCH_CLIENT_AUTH } from '../client.ts';

export async function startSecureGateway(
  port: number,
  identitySigningKey: string,
  subgraphUrls: Record<SubgraphName, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const config = readGatewayConfig({
    ...BENCH_CLIENT_AUTH,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    IDENTITY_SIGNING_KEY: identitySigningKey,
    ...urlVariables(subgraphUrls),
  });
  return startGateway(config, { logger: createLogger('gateway', 'silent') });
}
