import { runSubgraph } from '#kit';
import { INVENTORY_PROGRAM } from './service.ts';

await runSubgraph(INVENTORY_PROGRAM);
