/**
 * The subgraphs the permission matrix describes. Each writes its own description beside its policy
 * (`subgraphs/<name>/src/permissions.matrix.ts`): its rules, fixtures and contract rows; the
 * engine here knows none of them. A test holds this list to the roster.
 */
import { inventoryPolicy } from '../../subgraphs/inventory/src/permissions.matrix.ts';
import { ordersPolicy } from '../../subgraphs/orders/src/permissions.matrix.ts';
import { paymentsPolicy } from '../../subgraphs/payments/src/permissions.matrix.ts';
import type { ExpectedRow, SubgraphPolicy } from './model.ts';

/** Every subgraph, in the order of the document (the roster's). */
export const SUBGRAPH_POLICIES: readonly SubgraphPolicy[] = [ordersPolicy, paymentsPolicy, inventoryPolicy];

/** The contract's who-may-do-what table, every subgraph's rows. */
export const CONTRACT_EXPECTATIONS: readonly ExpectedRow[] = SUBGRAPH_POLICIES.flatMap((policy) => policy.contractRows);
