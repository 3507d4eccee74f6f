/**
 * Trimming SDK frames off the stack traces sent inside failures, so users see their own code.
 *
 * @module
 */

/**
 * Name of the function the worker wraps user code in (activity functions, workflow handlers). A
 * stack frame of that function and every frame below it are SDK internals and are cut off.
 *
 * @example
 * ```ts
 * const run = { [STACK_TRACE_CUTOFF_MARKER]: (fn, args) => fn(...args) }[STACK_TRACE_CUTOFF_MARKER];
 * ```
 */
export const STACK_TRACE_CUTOFF_MARKER = '__duraflowUserCodeBoundary';

function anyOf(...patterns: RegExp[]): RegExp {
  return new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'));
}

/** The first frame matching one of these ends the user part of the stack. */
const CUTOFF_FRAME = anyOf(
  new RegExp(`\\s+at (?:async )?(?:[\\w$]+\\.)*${STACK_TRACE_CUTOFF_MARKER}\\b`),
  // The official SDK's frames, so a stack trimmed here matches one trimmed there.
  /\s+at (?:Activity\.)?execute \(.*[\\/]worker[\\/](?:src|lib)[\\/]activity\.[jt]s:\d+:\d+\)/,
  /\s+at (?:async )?(?:NexusHandler\.)?invokeUserCode \(.*[\\/]worker[\\/](?:src|lib)[\\/]nexus[\\/]index\.[jt]s:\d+:\d+\)/,
  /\s+at (?:async )?(?:Activator\.)?(?:startWorkflow|queryWorkflow|signalWorkflow|update|validateUpdate)NextHandler \(.*\.[jt]s:\d+:\d+\)/,
  /\s+at (?:Script\.)?runInContext \((?:native|unknown|(?:node:vm|vm\.js):\d+:\d+)\)/
);

/** Frames matching these are dropped wherever they appear (interceptor plumbing). */
const DROPPED_FRAME = anyOf(
  /\s+at (?:null\.)?next \(.*[\\/]common[\\/](?:src|lib)[\\/]interceptors\.[jt]s:\d+:\d+\)/,
  /\s+at (?:null\.)?executeNextHandler \(.*[\\/]worker[\\/](?:src|lib)[\\/]activity\.[jt]s:\d+:\d+\)/
);

/**
 * Removes SDK frames from a stack trace: stops at the first frame of the user-code boundary and
 * drops interceptor plumbing frames. `undefined` yields `''`.
 *
 * @example
 * ```ts
 * cutoffStackTrace(err.stack);
 * ```
 */
export function cutoffStackTrace(stack?: string | null): string {
  const kept: string[] = [];
  for (const line of (stack ?? '').split(/\r?\n/)) {
    if (CUTOFF_FRAME.test(line)) break;
    if (!DROPPED_FRAME.test(line)) kept.push(line);
  }
  return kept.join('\n');
}
