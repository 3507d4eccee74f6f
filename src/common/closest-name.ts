/**
 * Option names checked against the names an options object may have: "did you mean …?" for a
 * misspelling, and the reason for a name of the official SDK's that duraflow does not support, instead
 * of silently ignoring either.
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

/**
 * Why an options object's names are not acceptable, or undefined when they are: the first name that
 * is neither in `known` nor, when given (not undefined, not an empty list), in `unsupported`.
 * `describe` names an option in the message (`Worker option 'x'`, `WorkflowOptions 'x'`).
 *
 * @example
 * ```ts
 * optionNamesProblem({ retryPolicy: {} }, { retry: true, memo: true }, {}, (n) => `WorkflowOptions '${n}'`);
 * // "Unknown WorkflowOptions 'retryPolicy'"
 * ```
 */
export function optionNamesProblem(
  options: object,
  known: Readonly<Record<string, unknown>>,
  unsupported: Readonly<Record<string, string>>,
  describe: (name: string) => string,
): string | undefined {
  for (const [name, value] of Object.entries(options)) {
    if (Object.prototype.hasOwnProperty.call(known, name)) continue;
    const reason = Object.prototype.hasOwnProperty.call(unsupported, name) ? unsupported[name] : undefined;
    if (reason !== undefined) {
      const given = value !== undefined && !(Array.isArray(value) && value.length === 0);
      if (given) return `${describe(name)} is not supported: ${reason}`;
      continue;
    }
    const suggestion = closestName(name, Object.keys(known));
    return `Unknown ${describe(name)}${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`;
  }
  return undefined;
}
