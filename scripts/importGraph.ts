/**
 * The project's own import graph, read with the TypeScript compiler's import scanner: every
 * `import`, `import type`, `export ... from` and dynamic `import()` of a repository file, found
 * through relative paths and the `#name` aliases of package.json. Packages are left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Repository-relative paths, with forward slashes: `subgraphs/orders/src/rules.ts`. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const ALIASES: Readonly<Record<string, string>> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports;

function sourceFilesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.includes('node_modules'))
    .map((entry) => toRepoPath(join(entry.parentPath, entry.name)));
}

const toRepoPath = (absolute: string) => relative(ROOT, absolute).split('\\').join('/');

/** The repository file `specifier` names from `file`, or null for a package. */
export function resolveSpecifier(file: string, specifier: string): string | null {
  if (specifier.startsWith('.')) return toRepoPath(resolve(ROOT, dirname(file), specifier));
  const aliased = Object.hasOwn(ALIASES, specifier) ? ALIASES[specifier] : undefined;
  return aliased === undefined ? null : toRepoPath(resolve(ROOT, aliased));
}

export function importsOf(file: string): string[] {
  const scan = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  const targets = scan.importedFiles.map(({ fileName }) => resolveSpecifier(file, fileName));
  return [...new Set(targets.filter((target): target is string => target !== null))];
}

/** Every TypeScript file under `folders` and the repository files it imports. */
export function importGraph(folders: readonly string[]): ImportGraph {
  const files = folders.flatMap(sourceFilesUnder).sort();
  return new Map(files.map((file) => [file, importsOf(file)]));
}

/**
 * The import cycles of `graph`: each strongly connected component of two files or more (or a file
 * importing itself), as the files of one cycle through it, starting from its first file by name.
 */
export function importCycles(graph: ImportGraph): string[][] {
  return stronglyConnected(graph)
    .filter((component) => component.length > 1 || (graph.get(component[0]!) ?? []).includes(component[0]!))
    .map((component) => cycleThrough(graph, new Set(component)));
}

/** Tarjan's algorithm, iterative so a deep graph cannot overflow the stack. */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { file: string; edge: number }[] = [{ file: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = (graph.get(frame.file) ?? []).filter((target) => graph.has(target));
      if (frame.edge < edges.length) {
        const target = edges[frame.edge++]!;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ file: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.file, Math.min(low.get(frame.file)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) === index.get(frame.file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.file);
        components.push(component.sort());
      }
    }
  }
  return components;
}

/** A shortest way from the component's first file back to itself, for a message a reader can follow. */
function cycleThrough(graph: ImportGraph, component: ReadonlySet<string>): string[] {
  const [first] = [...component];
  const cameFrom = new Map<string, string>();
  const queue = [first!];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of graph.get(file) ?? []) {
      if (!component.has(target)) continue;
      if (target === first) {
        const path = [file];
        while (path[0] !== first) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, first!];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [first!, first!];
}
