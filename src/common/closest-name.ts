/**
 * "Did you mean …?" for misspelt option names.
 *
 * @module
 */

/** Edit distance (insertions, deletions, substitutions) between two strings, case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/**
 * The candidate closest to `name` when it is close enough to be a likely misspelling (at most a
 * third of the name's length apart, ignoring case), else `undefined`.
 *
 * @example
 * ```ts
 * closestName('taskqueue', ['taskQueue', 'namespace']); // 'taskQueue'
 * closestName('retries', ['taskQueue', 'namespace']); // undefined
 * ```
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
