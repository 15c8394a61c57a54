/** A bare subgraph by name: its own database with the same tables and rows, then its server. */
import type { DatabaseLocation } from '#kit';
import type { SubgraphName } from '#roster';
import type { BenchData } from './data.ts';
import { createTables, openBareDatabase, type BareDatabase } from './database.ts';
import { startBareInventory } from './inventory.ts';
import { loadBareOrders, startBareOrders } from './orders.ts';
import { loadBarePayments, startBarePayments } from './payments.ts';
import type { BareServer } from './server.ts';

const SUBGRAPHS: Record<
  SubgraphName,
  { load?(db: BareDatabase, data: BenchData): Promise<void>; start(db: BareDatabase, port: number): Promise<BareServer> }
> = {
  orders: { load: loadBareOrders, start: startBareOrders },
  payments: { load: loadBarePayments, start: startBarePayments },
  inventory: { start: startBareInventory },
};

export async function startBareSubgraph(
  name: SubgraphName,
  port: number,
  location: DatabaseLocation,
  data: BenchData,
): Promise<BareServer> {
  const db = await openBareDatabase(
    location.driver === 'pglite' ? { driver: 'pglite' } : { driver: 'postgres', url: location.url, schema: location.schema },
  );
  await createTables(db, name);
  await SUBGRAPHS[name].load?.(db, data);
  const server = await SUBGRAPHS[name].start(db, port);
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
