/**
 * The bench stands on the product, never the other way round: no production module, script or
 * test outside bench/ imports from it, so the benchmark can change without touching what it measures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TREES = ['gateway', 'subgraphs', 'identity', 'platform', 'schema', 'scripts', 'e2e'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('bench/', () => {
  it('is imported by nothing outside it', () => {
    const importers = TREES.flatMap((tree) => sourceFiles(join(ROOT, tree)))
      .filter((file) => /from '(\.\.\/)+bench\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(importers).toEqual([]);
  });
});
