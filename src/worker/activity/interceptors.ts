/**
 * Activity interceptors: wrap the execution of activity functions (inbound) and adjust what the
 * activity context produces (outbound: log attributes). Same shape as the official SDK's.
 *
 * @module
 */
import type { Context } from '../../activity/context.js';
import type { Payload } from '../../common/proto-types.js';

/** What an activity function is called with. */
export interface ActivityExecuteInput {
  readonly args: unknown[];
  /** The activity task's header fields (encoded payloads), as set by the caller's interceptors. */
  readonly headers: Record<string, Payload>;
}

/** Wraps calls into activity code. */
export interface ActivityInboundCallsInterceptor {
  /** Calls the activity function (through `next`) and returns its result. */
  execute?: (input: ActivityExecuteInput, next: (input: ActivityExecuteInput) => Promise<unknown>) => Promise<unknown>;
}

/** Adjusts what the activity context produces. */
export interface ActivityOutboundCallsInterceptor {
  /** The attributes added to every entry of the activity's logger. */
  getLogAttributes?: (
    input: Record<string, unknown>,
    next: (input: Record<string, unknown>) => Record<string, unknown>
  ) => Record<string, unknown>;
}

/** The interceptors one factory returns for one activity execution. */
export interface ActivityInterceptors {
  inbound?: ActivityInboundCallsInterceptor;
  outbound?: ActivityOutboundCallsInterceptor;
}

/**
 * Called once per activity execution, with its context, to create its interceptors.
 *
 * @example
 * ```ts
 * const timing: ActivityInterceptorsFactory = (ctx) => ({
 *   inbound: {
 *     async execute(input, next) {
 *       const started = Date.now();
 *       try { return await next(input); } finally { ctx.log.info('took', { ms: Date.now() - started }); }
 *     },
 *   },
 * });
 * ```
 */
export type ActivityInterceptorsFactory = (ctx: Context) => ActivityInterceptors;

/**
 * Chains the `method` of each interceptor around `last`: the first interceptor is the outermost.
 *
 * @example
 * ```ts
 * const execute = composeInterceptors(inbound, 'execute', ({ args }) => fn(...args));
 * ```
 */
export function composeInterceptors<I, M extends keyof I, In, Out>(
  interceptors: readonly I[],
  method: M,
  last: (input: In) => Out
): (input: In) => Out {
  let next = last;
  for (let i = interceptors.length - 1; i >= 0; i--) {
    const fn = interceptors[i]?.[method] as ((input: In, next: (input: In) => Out) => Out) | undefined;
    if (typeof fn !== 'function') continue;
    const inner = next;
    const self = interceptors[i];
    next = (input) => fn.call(self, input, inner);
  }
  return next;
}
