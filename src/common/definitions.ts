/**
 * Name-only definitions of signals, queries and updates. The phantom type parameters let
 * `handle.signal(def, ...args)` and friends check argument and result types at compile time.
 */

/** A signal: a name plus the argument types it takes. */
export interface SignalDefinition<Args extends unknown[] = [], Name extends string = string> {
  type: 'signal';
  name: Name;
  /** Never set: carries `Args` for type inference. */
  __signalArgs?: Args;
}

/** A query: a name plus its argument and result types. */
export interface QueryDefinition<Ret, Args extends unknown[] = [], Name extends string = string> {
  type: 'query';
  name: Name;
  /** Never set: carries `Args` for type inference. */
  __queryArgs?: Args;
  /** Never set: carries `Ret` for type inference. */
  __queryRet?: Ret;
}

/** An update: a name plus its argument and result types. */
export interface UpdateDefinition<Ret, Args extends unknown[] = [], Name extends string = string> {
  type: 'update';
  name: Name;
  /** Never set: carries `Args` for type inference. */
  __updateArgs?: Args;
  /** Never set: carries `Ret` for type inference. */
  __updateRet?: Ret;
}

/** Any workflow function; its parameters and resolved return type type the client calls. */
export type Workflow = (...args: any[]) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The resolved result type of workflow `T`. */
export type WorkflowResultType<T extends Workflow> = Awaited<ReturnType<T>>;

/**
 * Defines a signal by name.
 *
 * @example
 * ```ts
 * import { defineSignal } from 'duraflow/workflow';
 * export const unblock = defineSignal<[string]>('unblock');
 * await handle.signal(unblock, 'now');
 * ```
 */
export function defineSignal<Args extends unknown[] = [], Name extends string = string>(
  name: Name,
): SignalDefinition<Args, Name> {
  return { type: 'signal', name };
}

/**
 * Defines a query by name.
 *
 * @example
 * ```ts
 * import { defineQuery } from 'duraflow/workflow';
 * export const status = defineQuery<string>('status');
 * const s: string = await handle.query(status);
 * ```
 */
export function defineQuery<Ret, Args extends unknown[] = [], Name extends string = string>(
  name: Name,
): QueryDefinition<Ret, Args, Name> {
  return { type: 'query', name };
}

/**
 * Defines an update by name.
 *
 * @example
 * ```ts
 * import { defineUpdate } from 'duraflow/workflow';
 * export const add = defineUpdate<number, [number]>('add');
 * const total: number = await handle.executeUpdate(add, { args: [2] });
 * ```
 */
export function defineUpdate<Ret, Args extends unknown[] = [], Name extends string = string>(
  name: Name,
): UpdateDefinition<Ret, Args, Name> {
  return { type: 'update', name };
}
