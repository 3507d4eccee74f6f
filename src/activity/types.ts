/**
 * Types of activity functions and of the records a worker registers them in.
 *
 * @module
 */

/**
 * An activity implementation: any function whose arguments and result the data converter can
 * handle. Synchronous functions are accepted too; their result is used as is.
 *
 * @example
 * ```ts
 * const greet: ActivityFunction<[string], string> = async (name) => `Hello, ${name}!`;
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ActivityFunction<P extends any[] = any[], R = any> {
  (...args: P): Promise<R>;
}

/** Activities by type name, as given to a worker. */
export type UntypedActivities = Record<string, ActivityFunction>;
