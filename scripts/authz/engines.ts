/**
 * A subgraph's rows written several ways must agree: its in-code rules (the document's table) are
 * the reference, and every policy engine that can run here is evaluated on the same fixtures, for
 * every field, caller and representative resource. A difference in allow/deny, code or words is
 * reported.
 */
import { createOpaEngine, type PolicyEngine } from '#kit';
import { evaluateSubgraph, type SubgraphMatrix } from './evaluate.ts';
import type { EngineRows } from './model.ts';

export interface EngineUnderTest {
  readonly name: string;
  create(): PolicyEngine;
}

export interface EngineComparison {
  readonly engine: string;
  /** Field x caller x resource answers compared. */
  readonly compared: number;
  readonly disagreements: readonly string[];
}

/** Every answer of `candidate` that is not `reference`'s, in words a reviewer can act on. */
export function engineDisagreements(reference: SubgraphMatrix, candidate: SubgraphMatrix, engine: string): string[] {
  const problems: string[] = [];
  const rows = new Map(candidate.rows.map((row) => [row.field, row]));
  for (const row of reference.rows) {
    const other = rows.get(row.field);
    if (other === undefined) {
      problems.push(`${row.field}: no row with ${engine}`);
      continue;
    }
    for (const [principal, cell] of Object.entries(row.cells)) {
      const theirs = other.cells[principal as keyof typeof other.cells];
      cell.samples.forEach((sample, index) => {
        const answer = JSON.stringify(sample);
        const their = JSON.stringify(theirs?.samples[index]);
        if (answer !== their) problems.push(`${row.field}, ${principal}: shield answers ${answer}, ${engine} ${their}`);
      });
    }
  }
  return problems;
}

const answers = (matrix: SubgraphMatrix) =>
  matrix.rows.reduce((sum, row) => sum + Object.values(row.cells).reduce((n, cell) => n + cell.samples.length, 0), 0);

/** `reference`: the subgraph's table as its in-code rules answer it. */
export async function compareEngines(
  rows: EngineRows,
  engines: readonly EngineUnderTest[],
  reference: SubgraphMatrix,
): Promise<EngineComparison[]> {
  const comparisons: EngineComparison[] = [];
  for (const engine of engines) {
    const candidate = await evaluateSubgraph(rows.decidedBy(engine.create));
    comparisons.push({
      engine: engine.name,
      compared: answers(reference),
      disagreements: engineDisagreements(reference, candidate, engine.name),
    });
  }
  return comparisons;
}

/** OPA serving `packagePath`, when `url` answers its health check within a second; otherwise why not. */
export async function reachableOpa(url: string | undefined, packagePath: string): Promise<EngineUnderTest | string> {
  if (!url) return 'OPA_URL is not set';
  try {
    const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(1000) });
    if (!response.ok) return `${url} answered HTTP ${response.status}`;
  } catch {
    return `${url} does not answer`;
  }
  return { name: 'opa', create: () => createOpaEngine({ url, packagePath, timeoutMs: 2000 }) };
}

/** The engines that can decide `rows` on this machine, and why any other was left out. */
export async function enginesHere(
  rows: EngineRows,
  env = process.env,
): Promise<{ engines: EngineUnderTest[]; skipped: string[] }> {
  const cedar: EngineUnderTest = { name: 'cedar', create: () => rows.cedar() };
  const opa = await reachableOpa(env.OPA_URL, rows.opaPackage);
  return typeof opa === 'string'
    ? { engines: [cedar], skipped: [`opa skipped: ${opa}`] }
    : { engines: [cedar, opa], skipped: [] };
}
