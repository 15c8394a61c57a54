/**
 * A misspelt variable is silently ignored, and its default used instead: `JWT_ALGORITHM=RS256`
 * leaves the allow-list open. Names under the project's prefixes that no service reads, and names
 * one typo away from a known one, are said at start-up with the known name they most resemble.
 */
export interface KnownVariables {
  /** Every variable a service of the project reads (all of them: services often share one environment). */
  names: readonly string[];
  /** Prefixes only the project's variables use (`JWT_`): any other name under them is a mistake. */
  prefixes: readonly string[];
}

export function unknownVariableWarnings(env: NodeJS.ProcessEnv, known: KnownVariables): string[] {
  const names = new Set(known.names);
  return Object.keys(env)
    .filter((name) => !names.has(name))
    .sort()
    .flatMap((name) => {
      const closest = closestOf(name, known.names);
      const underPrefix = known.prefixes.some((prefix) => name.startsWith(prefix));
      if (!closest || !(underPrefix || looksLikeTypo(name, closest.distance))) return [];
      return [`${name} is not a variable this project reads: did you mean ${closest.name}?`];
    });
}

/** Only names shaped like ours (SNAKE_CASE) count, so HOME is never taken for HOST. */
function looksLikeTypo(name: string, distance: number): boolean {
  return name.includes('_') && /^[A-Z0-9_]+$/.test(name) && distance <= (name.length >= 10 ? 2 : 1);
}

function closestOf(name: string, candidates: readonly string[]): { name: string; distance: number } | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: optimal string alignment. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = distance;
    }
  }
  return rows[a.length]![b.length]!;
}
