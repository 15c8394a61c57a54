/**
 * docs/configuration.md names every variable a service reads: each config module lists what it
 * parses, so a new setting without a line in the reference fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { subgraphEnvVariables, type SubgraphProgram } from '#kit';
import { GATEWAY_ENV_NAMES } from '../gateway/src/config.ts';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { PAYMENTS_PROGRAM } from '../subgraphs/payments/src/service.ts';

const reference = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
const PROGRAMS: SubgraphProgram[] = [ORDERS_PROGRAM, PAYMENTS_PROGRAM, INVENTORY_PROGRAM];

/** `ORDERS_PORT` is documented as `<NAME>_PORT`; `RATE_LIMIT_USER_BURST` may share a row as `_BURST`. */
function documented(variable: string, subgraph?: string): boolean {
  const generic = subgraph ? variable.replace(new RegExp(`^${subgraph.toUpperCase()}_`), '<NAME>_') : variable;
  const suffix = /_(DURATION|BURST)$/.exec(variable)?.[0];
  return (
    reference.includes(`\`${variable}\``) ||
    reference.includes(`\`${generic}\``) ||
    (suffix !== undefined &&
      reference.includes(`\`${suffix}\``) &&
      reference.includes(`\`${variable.replace(/_(DURATION|BURST)$/, '_POINTS')}\``))
  );
}

describe('docs/configuration.md', () => {
  it('names every variable the gateway reads', () => {
    expect(GATEWAY_ENV_NAMES.filter((variable) => !documented(variable))).toEqual([]);
  });

  it.each(PROGRAMS.map((program) => [program.name, program] as const))('names every variable %s reads', (name, program) => {
    const read = [...subgraphEnvVariables(name), ...(program.ownEnvVariables ?? [])];
    expect(read.filter((variable) => !documented(variable, name))).toEqual([]);
  });
});
