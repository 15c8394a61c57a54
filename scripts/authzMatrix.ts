/**
 * `npm run authz:matrix`: evaluates every subgraph's shield rules for each kind of caller and
 * writes docs/permissions.md. `--check` only reports whether the committed file is stale (exit 1);
 * `--json` prints the matrix, with every representative resource's answer, as JSON instead.
 * The rows of a subgraph that can hand them to a policy engine (orders) are then evaluated with each
 * engine that runs here (Cedar; OPA when OPA_URL answers) and any answer that differs from the
 * in-code rules' fails the run (exit 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareEngines, enginesHere } from './authz/engines.ts';
import { buildPermissionMatrix, MATRIX_FILE } from './authz/matrix.ts';
import { renderJson, renderMarkdown } from './authz/render.ts';
import { SUBGRAPH_POLICIES } from './authz/subgraphs.ts';

const matrix = await buildPermissionMatrix();
const file = fileURLToPath(MATRIX_FILE);

if (process.argv.includes('--json')) {
  process.stdout.write(renderJson(matrix));
} else {
  const markdown = renderMarkdown(matrix);
  const committed = readFileSync(MATRIX_FILE, { encoding: 'utf8', flag: 'a+' });
  if (process.argv.includes('--check')) {
    if (committed !== markdown) {
      console.error(`${file} is stale: run npm run authz:matrix and commit the result.`);
      process.exit(1);
    }
    console.log(`${file} is up to date.`);
  } else {
    writeFileSync(MATRIX_FILE, markdown);
    console.log(committed === markdown ? `${file} was already up to date.` : `Wrote ${file}.`);
  }
}

for (const policy of SUBGRAPH_POLICIES) {
  if (!policy.engines) continue;
  const { engines, skipped } = await enginesHere(policy.engines);
  const reference = matrix.subgraphs.find((subgraph) => subgraph.name === policy.name)!;
  for (const comparison of await compareEngines(policy.engines, engines, reference)) {
    const verdict = comparison.disagreements.length === 0 ? 'agrees with the in-code rules' : 'DISAGREES with the in-code rules';
    console.error(`${policy.name} on ${comparison.engine}: ${verdict} (${comparison.compared} answers compared)`);
    for (const problem of comparison.disagreements) console.error(`  - ${problem}`);
    if (comparison.disagreements.length > 0) process.exitCode = 1;
  }
  for (const reason of skipped) console.error(`${policy.name} on ${reason}`);
}
