/**
 * `npm run operations`: builds operations/manifest.json, the trusted documents manifest, from
 * operations/<Name>.graphql (one named operation per file, named like its file). Each entry is
 * sha256(document) -> document, the document being the file's text without surrounding
 * whitespace: the text a client sends, and the hash Automatic Persisted Queries send.
 * `--check` only reports whether the committed manifest is stale.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, Kind, parse, validate, type GraphQLSchema } from 'graphql';
import { documentHash } from '../gateway/src/trustedDocuments/manifest.ts';
import { SUPERGRAPH_FILE } from './compose.ts';

export const OPERATIONS_DIR = new URL('../operations/', import.meta.url);
export const MANIFEST_FILE = new URL('manifest.json', OPERATIONS_DIR);

export type ManifestBuild = { ok: true; text: string; documents: number } | { ok: false; errors: string[] };

export function buildManifest(
  files: Record<string, string> = readOperationFiles(),
  schema: GraphQLSchema = buildSchema(readFileSync(SUPERGRAPH_FILE, 'utf8')),
): ManifestBuild {
  const errors: string[] = [];
  const entries: [string, string][] = [];
  for (const [file, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const document = text.trim();
    const problems = problemsOf(file, document, schema);
    if (problems.length > 0) errors.push(...problems.map((problem) => `${file}: ${problem}`));
    else entries.push([documentHash(document), document]);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, text: `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`, documents: entries.length };
}

function problemsOf(file: string, document: string, schema: GraphQLSchema): string[] {
  let parsed;
  try {
    parsed = parse(document);
  } catch (error) {
    return [(error as Error).message];
  }
  const operations = parsed.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const expected = file.replace(/\.graphql$/, '');
  if (operations.length !== 1) return [`holds ${operations.length} operations; one per file`];
  if (operations[0]!.name?.value !== expected) return [`its operation must be named ${expected}, like the file`];
  return validate(schema, parsed).map((error) => error.message);
}

function readOperationFiles(): Record<string, string> {
  const names = readdirSync(OPERATIONS_DIR).filter((name) => name.endsWith('.graphql'));
  return Object.fromEntries(names.map((name) => [name, readFileSync(new URL(name, OPERATIONS_DIR), 'utf8')]));
}

function main(): void {
  const build = buildManifest();
  if (!build.ok) {
    console.error(`operations/ has ${build.errors.length} problem(s):`);
    for (const error of build.errors) console.error(`  - ${error}`);
    process.exit(1);
  }
  const current = readFileSync(MANIFEST_FILE, { encoding: 'utf8', flag: 'a+' });
  if (process.argv.includes('--check')) {
    if (current === build.text) return console.log('operations/manifest.json is up to date');
    console.error('operations/manifest.json is stale: run npm run operations');
    process.exit(1);
  }
  writeFileSync(MANIFEST_FILE, build.text);
  console.log(`Wrote ${build.documents} trusted documents to operations/manifest.json`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
