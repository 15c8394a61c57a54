/**
 * `npm run compose`: composes schema/<subgraph>.graphql into schema/supergraph.graphql.
 * `--check` only reports whether the committed supergraph is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { localUrlOf, SUBGRAPHS } from '#roster';

const schemaFile = (name: string) => new URL(`../schema/${name}.graphql`, import.meta.url);
export const SUPERGRAPH_FILE = schemaFile('supergraph');

export type Composition = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

export function composeSupergraph(
  sdlOf: (name: string) => string = (name) => readFileSync(schemaFile(name), 'utf8'),
): Composition {
  const result = composeServices(
    SUBGRAPHS.map((entry) => ({ name: entry.name, url: localUrlOf(entry), typeDefs: parse(sdlOf(entry.name)) })),
  );
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((hint) => hint.toString()) };
}

function main(): void {
  const composition = composeSupergraph();
  if (!composition.ok) {
    console.error(`Composition failed with ${composition.errors.length} error(s):`);
    for (const error of composition.errors) console.error(`  - ${error}`);
    process.exit(1);
  }
  for (const hint of composition.hints) console.warn(`hint: ${hint}`);
  const current = readFileSync(SUPERGRAPH_FILE, { encoding: 'utf8', flag: 'a+' });
  if (process.argv.includes('--check')) {
    if (current === composition.supergraphSdl) return console.log('schema/supergraph.graphql is up to date');
    console.error('schema/supergraph.graphql is stale: run npm run compose');
    process.exit(1);
  }
  writeFileSync(SUPERGRAPH_FILE, composition.supergraphSdl);
  console.log(`Composed ${SUBGRAPHS.map((s) => s.name).join(', ')} into schema/supergraph.graphql`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
