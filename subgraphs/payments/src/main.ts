import { runSubgraph } from '#kit';
import { PAYMENTS_PROGRAM } from './service.ts';

await runSubgraph(PAYMENTS_PROGRAM);
