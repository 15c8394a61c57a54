/** Where the generated matrix and the contract's expected rows part ways, one sentence each. */
import type { Cell, Verdict } from './evaluate.ts';
import type { PermissionMatrix } from './matrix.ts';
import type { ExpectedRow } from './model.ts';
import { PRINCIPALS, type PrincipalId } from './principals.ts';
import { renderCell } from './render.ts';

function expectedCell(row: ExpectedRow, principal: PrincipalId): { verdict: Verdict; words?: readonly string[] } {
  const depends = row.depends?.[principal];
  if (depends) return { verdict: 'depends', words: depends };
  return { verdict: row.allow.includes(principal) ? 'allow' : 'deny' };
}

const agrees = (cell: Cell, expected: { verdict: Verdict; words?: readonly string[] }) =>
  cell.verdict === expected.verdict &&
  (expected.verdict !== 'depends' || JSON.stringify(cell.words) === JSON.stringify(expected.words));

const show = (expected: { verdict: Verdict; words?: readonly string[] }) =>
  expected.verdict === 'depends' ? `depends: ${expected.words!.join('; ')}` : expected.verdict;

export function contractDisagreements(matrix: PermissionMatrix, expectations: readonly ExpectedRow[]): string[] {
  const problems: string[] = [];
  for (const subgraph of matrix.subgraphs) {
    const rows = expectations.filter((row) => row.subgraph === subgraph.name);
    for (const { field, cells } of subgraph.rows) {
      const governing = rows.filter((row) => row.fields.includes(field));
      if (governing.length !== 1) {
        problems.push(
          governing.length === 0
            ? `${subgraph.name} ${field}: no expected row says who may use it; add one to subgraphs/${subgraph.name}/src/permissions.contract.ts`
            : `${subgraph.name} ${field}: ${governing.length} expected rows name it; keep one`,
        );
        continue;
      }
      const row = governing[0]!;
      for (const { id } of PRINCIPALS) {
        const expected = expectedCell(row, id);
        if (!agrees(cells[id], expected)) {
          problems.push(
            `${subgraph.name} ${field}, ${id}: the rules say "${renderCell(cells[id])}", ` +
              `the ${row.source} row ${row.row} (${row.allowed}) says "${show(expected)}"`,
          );
        }
      }
    }
    const known = new Set(subgraph.rows.map((row) => row.field));
    for (const row of rows) {
      for (const field of row.fields.filter((f) => !known.has(f))) {
        problems.push(`${subgraph.name} ${field}: the row ${row.row} names it, but the schema has no such field`);
      }
    }
  }
  return problems;
}
