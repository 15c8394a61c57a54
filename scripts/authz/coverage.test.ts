import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assertRuleCoverage, ruleCoverage } from './coverage.ts';
import { SUBGRAPH_POLICIES } from './subgraphs.ts';
import type { SubgraphPolicy } from './model.ts';

const sdlOf = (name: string) => readFileSync(new URL(`../../schema/${name}.graphql`, import.meta.url), 'utf8');

/** The subgraph's schema as committed, plus `extra` SDL: what a developer adding a field would have. */
const schemaWith = (policy: SubgraphPolicy, extra: string) =>
  buildSubgraphSchema([{ typeDefs: parse(`${sdlOf(policy.name)}\n${extra}`) }]);

const check =
  (policy: SubgraphPolicy, schema = policy.schema(), denied = policy.intentionallyDenied) =>
  () =>
    assertRuleCoverage(policy, schema, policy.rules, denied);

const policy = (name: string) => SUBGRAPH_POLICIES.find((p) => p.name === name)!;

describe('rule coverage', () => {
  it.each(SUBGRAPH_POLICIES.map((p) => [p.name, p] as const))(
    '%s: every field has a rule or is listed as intentionally denied',
    (_name, subgraph) => {
      expect(check(subgraph)).not.toThrow();
    },
  );

  it('knows the one field payments leaves to the fallback on purpose', () => {
    const payments = policy('payments');
    expect(ruleCoverage(payments.schema(), payments.rules, {})).toEqual({
      unruled: ['Order.userId'],
      notInSchema: [],
      ruledAnyway: [],
    });
  });

  it.each(SUBGRAPH_POLICIES.map((p) => [p.name, p] as const))(
    '%s: a new root field without a rule fails, naming the field',
    (name, subgraph) => {
      const schema = schemaWith(subgraph, 'extend type Query { undecidedField: Int }');
      expect(check(subgraph, schema)).toThrow(
        `${name}: Query.undecidedField is reached only by the fallback rule. Give it a rule in ` +
          `${subgraph.rulesExport} (${subgraph.permissionsFile}), or list it in ${subgraph.intentionallyDeniedExport} with the reason.`,
      );
    },
  );

  it('a new field on a type whose rules are per field fails, naming it', () => {
    const inventory = policy('inventory');
    const schema = schemaWith(inventory, 'extend type Product { supplierCostCents: Int }');
    expect(check(inventory, schema)).toThrow(/inventory: Product\.supplierCostCents is reached only by the fallback rule/);
  });

  it('a new type names each of its fields', () => {
    const orders = policy('orders');
    const schema = schemaWith(orders, 'type Coupon { code: String! percentOff: Int! } extend type Query { coupon: Coupon }');
    expect(ruleCoverage(schema, orders.rules, {}).unruled).toEqual(['Query.coupon', 'Coupon.code', 'Coupon.percentOff']);
  });

  it('a new field on a type ruled as a whole takes that rule (Order: canReadOrder)', () => {
    const orders = policy('orders');
    const schema = schemaWith(orders, 'extend type Order { discountCents: Int }');
    expect(check(orders, schema)).not.toThrow();
  });

  it('passes once the field is listed as intentionally denied, with a reason', () => {
    const inventory = policy('inventory');
    const schema = schemaWith(inventory, 'extend type Product { supplierCostCents: Int }');
    expect(check(inventory, schema, { 'Product.supplierCostCents': 'not for the public graph yet' })).not.toThrow();
  });

  it('refuses a list entry that is not a field, or that a rule names anyway', () => {
    const inventory = policy('inventory');
    const run = check(inventory, inventory.schema(), { 'Product.gone': 'removed', 'Product.name': 'oops' });
    expect(run).toThrow(/Product\.gone is listed in inventoryIntentionallyDenied but is not a field of the schema/);
    expect(run).toThrow(/Product\.name is listed in inventoryIntentionallyDenied but a rule in inventoryRules names it/);
  });
});
