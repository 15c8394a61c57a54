/**
 * A baseline subgraph: the production service's own parts (resolvers, context, database, kit
 * server) with its schema built without the shield, behind an identity check that only decodes.
 */
import type { SubgraphName } from '#roster';
import { launchSubgraph, type Database, type RunningSubgraph, type ServiceParts, type SubgraphConfig } from '#kit';
import { createLogger } from '#platform';
import { PROGRAMS } from '../../e2e/services.ts';
import { inventoryServiceParts } from '../../subgraphs/inventory/src/service.ts';
import { ordersServiceOptions, ordersServiceParts } from '../../subgraphs/orders/src/service.ts';
import { paymentsServiceOptions, paymentsServiceParts } from '../../subgraphs/payments/src/service.ts';
import { decodeIdentity } from './identity.ts';
import { unshielded } from './unshielded.ts';

const PARTS: Record<SubgraphName, (db: Database, env: NodeJS.ProcessEnv) => ServiceParts<object>> = {
  orders: (db, env) => ordersServiceParts({ ...ordersServiceOptions(db, env), policy: null }),
  payments: (db, env) => paymentsServiceParts(paymentsServiceOptions(db, env)),
  inventory: (db) => inventoryServiceParts({ db }),
};

export function launchBaselineSubgraph(
  name: SubgraphName,
  config: SubgraphConfig,
  env: NodeJS.ProcessEnv,
): Promise<RunningSubgraph> {
  const program = { ...PROGRAMS[name], createService: (db: Database) => unshielded(PARTS[name](db, env)) };
  return launchSubgraph(program, config, { logger: createLogger(name, 'silent'), env, verifyIdentity: decodeIdentity });
}
