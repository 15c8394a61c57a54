/**
 * graphql-shield 7.6.5 (unmaintained) calls `util.isUndefined`, which Node 23 removed: its ESM
 * build then fails to load and its CommonJS build denies every `chain()` and `race()` field
 * silently. This rewrites that one call in both builds, once, at install time. It is plain
 * JavaScript with no dependencies so that it also runs in `npm ci --omit=dev` (the image).
 * `subgraphs/kit/src/shieldRuntime.test.ts` fails loudly if the patch is ever lost.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const EXPECTED_VERSION = '7.6.5';
const BUILDS = {
  'esm/rules.js': [
    [/^import \{ isUndefined \} from 'util';\n/m, ''],
    [/isUndefined\(rule\)/g, '(rule === undefined)'],
  ],
  'cjs/rules.js': [
    [/^const util_1 = require\("util"\);\n/m, ''],
    [/\(0, util_1\.isUndefined\)\(rule\)/g, '(rule === undefined)'],
  ],
};

function packageRoot() {
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve('graphql-shield/package.json'));
  } catch {
    return undefined;
  }
}

const root = packageRoot();
if (!root) {
  // Not installed (a partial install): nothing to patch.
  process.exit(0);
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (version !== EXPECTED_VERSION) {
  console.error(`graphql-shield ${version} is installed; the patch is written for ${EXPECTED_VERSION}. Review it.`);
  process.exit(1);
}
for (const [file, replacements] of Object.entries(BUILDS)) {
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`graphql-shield has no ${file}`);
  const original = readFileSync(path, 'utf8');
  if (!/isUndefined/.test(original)) continue;
  const patched = replacements.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), original);
  if (/isUndefined/.test(patched)) throw new Error(`graphql-shield ${file}: isUndefined is still used after patching`);
  writeFileSync(path, patched);
}
