/**
 * An empty, initialised PGlite cluster, made once at install time; every new embedded database is
 * a copy of it (subgraphs/kit/src/pgliteTemplate.ts). Running initdb inside each subgraph took
 * 3-4 s and left the process at about 600 MB resident; a copy takes a fraction of a second and the
 * process holds no more than on a restart. It lives in node_modules/.cache/pglite-template/<PGlite
 * version>/, so a new PGlite version gets a new template. Plain JavaScript with no dependencies of
 * its own, so that it also runs in `npm ci --omit=dev` (the image). Nothing here is required: when
 * the template cannot be made, it says so in one line and each database runs initdb itself.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<node_modules>/.cache/pglite-template/<version>`, beside the PGlite that is installed. */
export function templateDir() {
  const require = createRequire(import.meta.url);
  // The package's exports list no package.json: its entry point sits at <package>/dist/index.cjs.
  const packageRoot = dirname(dirname(require.resolve('@electric-sql/pglite')));
  const { version } = require(join(packageRoot, 'package.json'));
  return join(packageRoot, '..', '..', '.cache', 'pglite-template', version);
}

/** Makes the template unless it is there; built beside its place and renamed, so it is never seen half-made. */
export async function makeTemplate(target = templateDir()) {
  if (existsSync(join(target, 'PG_VERSION'))) return target;
  const { PGlite } = await import('@electric-sql/pglite');
  const building = `${target}.building-${process.pid}`;
  mkdirSync(dirname(target), { recursive: true });
  try {
    const db = await PGlite.create(building);
    await db.close();
    renameSync(building, target);
  } catch (error) {
    // Another install made it meanwhile.
    if (!existsSync(join(target, 'PG_VERSION'))) throw error;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await makeTemplate(process.argv[2]);
  } catch (error) {
    console.warn(`No PGlite template (${error.message}): each embedded database will run initdb on its first start.`);
  }
}
