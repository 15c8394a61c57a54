/**
 * schema/variables.ts lists what the config modules read, so that a service sharing its
 * environment with the others can tell a sibling's variable from a misspelt one.
 */
import { describe, expect, it } from 'vitest';
import { subgraphEnvVariables, type SubgraphProgram } from '#kit';
import { GATEWAY_ENV_NAMES } from '../gateway/src/config.ts';
import { PROJECT_VARIABLES } from '#variables';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { PAYMENTS_PROGRAM } from '../subgraphs/payments/src/service.ts';

const PROGRAMS: SubgraphProgram[] = [ORDERS_PROGRAM, PAYMENTS_PROGRAM, INVENTORY_PROGRAM];

describe('PROJECT_VARIABLES', () => {
  it('names exactly the variables the services read', () => {
    const read = new Set([
      ...GATEWAY_ENV_NAMES,
      ...PROGRAMS.flatMap((program) => [...subgraphEnvVariables(program.name), ...(program.ownEnvVariables ?? [])]),
    ]);
    expect([...PROJECT_VARIABLES.names].sort()).toEqual([...read].sort());
  });
});
