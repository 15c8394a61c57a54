/**
 * `npm run build [-- --source-maps] [--out-dir dist]`: every service compiled to JavaScript, and
 * beside it everything `node dist/<service>/src/main.js` reads: the files loaded at run time
 * (schema/*.graphql, each subgraph's migrations/ and seed.sql, at the same relative places as in
 * the source tree) and a package.json whose `imports` point `#kit`, `#identity`, ... at compiled code.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Folders and files read at run time, relative to the root; each lands at the same place in dist. */
const runtimeAssets = () => [
  'schema',
  ...readdirSync(resolve(root, 'subgraphs'))
    .filter((name) => name !== 'kit')
    .flatMap((name) => [`subgraphs/${name}/migrations`, `subgraphs/${name}/seed.sql`]),
];

/** The root's `imports` without the test helpers (not built), pointing at the compiled files. */
function distImports(): Record<string, string> {
  const { imports } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { imports: Record<string, string> };
  return Object.fromEntries(
    Object.entries(imports)
      .filter(([, target]) => !target.endsWith('/testing.ts'))
      .map(([name, target]) => [name, target.replace(/\.ts$/, '.js')]),
  );
}

const { values } = parseArgs({
  options: { 'source-maps': { type: 'boolean', default: false }, 'out-dir': { type: 'string', default: 'dist' } },
});
const outDir = resolve(root, values['out-dir']);
rmSync(outDir, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const maps = values['source-maps'] ? ['--sourceMap'] : [];
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, ...maps], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

// Sources that sit among the assets (schema/roster.ts) are compiled above, never copied.
const notSource = (path: string) => !path.endsWith('.ts');
for (const asset of runtimeAssets()) cpSync(resolve(root, asset), resolve(outDir, asset), { recursive: true, filter: notSource });
// Node reads the nearest package.json: this one makes dist/ ES modules with its own `#` imports.
const distPackage = { private: true, type: 'module', imports: distImports() };
writeFileSync(resolve(outDir, 'package.json'), `${JSON.stringify(distPackage, null, 2)}\n`);
