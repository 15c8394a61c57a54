import { readFileSync } from 'node:fs';
import { runSubgraph } from '#kit';
import { createOrdersService, ORDERS } from './service.ts';

await runSubgraph({
  name: ORDERS.name,
  defaultPort: ORDERS.defaultPort,
  migrations: { directory: ORDERS.migrations, seedSql: readFileSync(ORDERS.seed, 'utf8') },
  createService: (db) => createOrdersService({ db }),
});
