/**
 * The peers and what they may stand on: the gateway and the subgraph kit both on the identity
 * protocol and the shared plumbing; those two on nothing of either peer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const pattern = /(?:^import[^'";]*?from\s*|^export[^'";]*?from\s*|import\()\s*['"]([^'"]+)['"]/gm;
  return [...text.matchAll(pattern)].map((match) => match[1]!);
}

/** The project folder a specifier lands in (`#kit` and relative paths resolved), or undefined for a package. */
function folderOf(file: string, specifier: string): string | undefined {
  const aliases: Record<string, string> = {
    '#kit': 'subgraphs',
    '#identity': 'identity',
    '#platform': 'platform',
    '#roster': 'schema',
  };
  const alias = Object.keys(aliases).find((name) => specifier === name || specifier.startsWith(`${name}/`));
  if (alias) return aliases[alias];
  if (!specifier.startsWith('.')) return undefined;
  return relative(ROOT, join(ROOT, file, '..', specifier)).split('/')[0];
}

const rules: Array<[folder: string, forbidden: string[]]> = [
  ['gateway', ['subgraphs']],
  ['identity', ['gateway', 'subgraphs', 'platform']],
  ['platform', ['gateway', 'subgraphs', 'identity']],
  ['schema', ['gateway', 'subgraphs', 'identity', 'platform']],
];

describe.each(rules)('%s', (folder, forbidden) => {
  it(`imports nothing from ${forbidden.join(', ')}`, () => {
    const crossings = sourceFiles(folder).flatMap((file) =>
      specifiersOf(file)
        .filter((specifier) => forbidden.includes(folderOf(file, specifier) ?? ''))
        .map((specifier) => `${file} -> ${specifier}`),
    );
    expect(crossings).toEqual([]);
  });
});
