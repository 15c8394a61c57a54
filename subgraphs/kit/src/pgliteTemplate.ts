/**
 * A new embedded database starts as a copy of the empty cluster that
 * scripts/postinstall/pgliteTemplate.mjs made at install time, instead of running initdb in the
 * subgraph's own process (3-4 s, and about 600 MB resident afterwards, against a fraction of a
 * second and the memory of a restart). Without a template (an install with --ignore-scripts),
 * PGlite runs initdb as before. The two files agree on the place; a test holds them to it.
 */
import { cpSync, existsSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `<node_modules>/.cache/pglite-template/<PGlite version>`. */
export function pgliteTemplateDir(): string {
  const require = createRequire(import.meta.url);
  // The package's exports list no package.json: its entry point sits at <package>/dist/index.cjs.
  const packageRoot = dirname(dirname(require.resolve('@electric-sql/pglite')));
  const { version } = require(join(packageRoot, 'package.json')) as { version: string };
  return join(packageRoot, '..', '..', '.cache', 'pglite-template', version);
}

/**
 * Fills an empty `dataDir` with the template, whole or not at all: it is copied beside the folder
 * and renamed into place, so a crash mid-copy leaves an empty folder, never half a cluster. The
 * caller holds the folder's lock. Returns false, touching nothing, when the folder is not empty
 * or there is no template it can copy.
 */
export function startFromTemplate(dataDir: string, template = pgliteTemplateDir()): boolean {
  if (readdirSync(dataDir).length > 0 || !existsSync(join(template, 'PG_VERSION'))) return false;
  const staging = `${dataDir}.template-${process.pid}`;
  try {
    cpSync(template, staging, { recursive: true });
  } catch {
    // A template that cannot be copied (unreadable, say) is no reason not to start: initdb runs.
    rmSync(staging, { recursive: true, force: true });
    return false;
  }
  try {
    rmdirSync(dataDir);
    renameSync(staging, dataDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return true;
}
