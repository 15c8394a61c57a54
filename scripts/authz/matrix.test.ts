import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_RULE_MESSAGE, SIGN_IN_REQUIRED } from '#kit';
import { SUBGRAPH_NAMES } from '#roster';
import { contractDisagreements } from './contract.ts';
import { buildPermissionMatrix, MATRIX_FILE, type PermissionMatrix } from './matrix.ts';
import { splitCoordinate } from './model.ts';
import { renderJson, renderMarkdown } from './render.ts';
import { ruleOf, wordsUnder } from './ruleMap.ts';
import { CONTRACT_EXPECTATIONS, SUBGRAPH_POLICIES } from './subgraphs.ts';

let matrix: PermissionMatrix;

// Three in-memory databases: slower than one, so more time than the default hook timeout.
beforeAll(async () => {
  matrix = await buildPermissionMatrix();
}, 180_000);

describe('docs/permissions.md', () => {
  it('is what the rules say today (run npm run authz:matrix if this fails)', () => {
    const committed = readFileSync(MATRIX_FILE, 'utf8');
    expect(committed, 'docs/permissions.md is stale: run npm run authz:matrix and commit it').toBe(renderMarkdown(matrix));
  });

  it('agrees with the who-may-do-what table of the contract, field by field', () => {
    expect(contractDisagreements(matrix, CONTRACT_EXPECTATIONS)).toEqual([]);
  });

  it('has a table per subgraph of the roster, in its order, with a row per field', () => {
    const markdown = renderMarkdown(matrix);
    for (const subgraph of matrix.subgraphs) {
      expect(markdown).toContain(`## ${subgraph.name}`);
      for (const row of subgraph.rows) expect(markdown).toContain(`| \`${row.field}\` |`);
    }
    expect(matrix.subgraphs.map((s) => s.name)).toEqual(SUBGRAPH_NAMES);
  });

  it('has a JSON form with every representative resource answered', () => {
    const parsed = JSON.parse(renderJson(matrix)) as PermissionMatrix;
    const cancel = parsed.subgraphs[0]!.rows.find((row) => row.field === 'Mutation.cancelOrder')!;
    expect(cancel.cells.owner.samples).toEqual([
      { sample: "the owner's PENDING order, placed 5 minutes ago", allowed: true },
      {
        sample: "the owner's PENDING order, placed 2 hours ago",
        allowed: false,
        code: 'FORBIDDEN',
        message: 'An order can only be cancelled within 30 minutes of being placed',
        deniedAt: 'Mutation.cancelOrder',
      },
      {
        sample: "the owner's PROCESSED order, placed 5 minutes ago",
        allowed: false,
        code: 'FORBIDDEN',
        message: 'Only a pending order can be cancelled',
        deniedAt: 'Mutation.cancelOrder',
      },
    ]);
    expect(cancel.cells.anonymous.samples.every((s) => s.code === 'UNAUTHENTICATED')).toBe(true);
  });
});

describe('one language for matrix, errors and logs', () => {
  it('every denial the rules produce carries the words of a rule on its path', () => {
    for (const subgraph of matrix.subgraphs) {
      const policy = SUBGRAPH_POLICIES.find((p) => p.name === subgraph.name)!;
      for (const row of subgraph.rows) {
        for (const cell of Object.values(row.cells)) {
          for (const outcome of cell.samples.filter((s) => !s.allowed)) {
            const [type, field] = splitCoordinate(outcome.deniedAt!);
            const words = [
              ...wordsUnder(ruleOf(policy.rules, type, field).rule),
              ...(policy.deferredWords ?? []),
              SIGN_IN_REQUIRED,
              NO_RULE_MESSAGE,
            ];
            expect(words, `${subgraph.name} ${row.field}: "${outcome.message}"`).toContain(outcome.message);
          }
        }
      }
    }
  });

  it('names rules by their words, not by their cache names', () => {
    const read = matrix.subgraphs[0]!.rows.find((row) => row.field === 'Query.order')!;
    expect(read.rule).toBe(
      `"You must be signed in", then "Only the order's owner, warehouse staff and admins can read an order"`,
    );
    expect(read.cells.customer.words).toEqual(["Only the order's owner, warehouse staff and admins can read an order"]);
  });
});

describe('the contract check', () => {
  it('reports a cell that disagrees, a field without a row and a row without a field', () => {
    const tampered: PermissionMatrix = {
      ...matrix,
      subgraphs: matrix.subgraphs.map((subgraph) =>
        subgraph.name !== 'inventory'
          ? subgraph
          : {
              ...subgraph,
              rows: subgraph.rows
                .filter((row) => row.field !== 'Product.inStock')
                .map((row) =>
                  row.field === 'Product.quantityOnHand'
                    ? { ...row, cells: { ...row.cells, customer: { verdict: 'allow', words: [], samples: [] } } }
                    : row.field === 'Product.name'
                      ? { ...row, field: 'Product.title' as const }
                      : row,
                ),
            },
      ),
    };
    const problems = contractDisagreements(tampered, CONTRACT_EXPECTATIONS);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/inventory Product\.quantityOnHand, customer: the rules say "allow".*says "deny"/);
    expect(problems.join('\n')).toMatch(/inventory Product\.title: no expected row/);
    expect(problems.join('\n')).toMatch(/inventory Product\.name: .* no such field/);
    expect(problems.join('\n')).toMatch(/inventory Product\.inStock: .* no such field/);
  });
});
