import { runSubgraph } from '#kit';
import { ORDERS_PROGRAM } from './service.ts';

await runSubgraph(ORDERS_PROGRAM);
