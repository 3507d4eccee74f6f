/**
 * Registering signal, query and update handlers.
 *
 * @module
 */
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '../common/index.js';
import {
  HandlerUnfinishedPolicy,
  type DefaultQueryHandler,
  type DefaultSignalHandler,
  type DefaultUpdateHandler,
  type QueryHandlerOptions,
  type SignalHandlerOptions,
  type UpdateHandlerOptions,
} from './interfaces.js';
import type { Activator } from './runtime/activator.js';
import { assertInWorkflowContext } from './runtime/current.js';
import type { AnyHandler } from './runtime/handler-registry.js';
import { throwIfReservedName } from './runtime/reserved-names.js';
import { dispatchBufferedSignals } from './runtime/signals.js';
import { dispatchBufferedUpdates } from './runtime/updates.js';

/** The handler type for a definition: signals return nothing, queries are synchronous. */
export type Handler<_Ret, _Args extends unknown[], T> =
  T extends UpdateDefinition<infer R, infer A>
    ? (...args: A) => R | Promise<R>
    : T extends SignalDefinition<infer A>
      ? (...args: A) => void | Promise<void>
      : T extends QueryDefinition<infer R, infer A>
        ? (...args: A) => R
        : never;

type AnyDefinition = SignalDefinition<never> | QueryDefinition<unknown, never> | UpdateDefinition<unknown, never>;

function checkHandler(handler: unknown): handler is AnyHandler {
  if (typeof handler === 'function') return true;
  if (handler === undefined || handler === null) return false;
  throw new TypeError(`Expected handler to be either a function or 'undefined'. Got: '${typeof handler}'`);
}

function setUpdateHandler(activator: Activator, name: string, handler: unknown, options: UpdateHandlerOptions<never[]> | undefined): void {
  const { updates } = activator.handlers;
  if (!checkHandler(handler)) {
    updates.delete(name);
    return;
  }
  const validator = options?.validator as AnyHandler | undefined;
  if (validator !== undefined && typeof validator !== 'function') throw new TypeError('Update validator must be a function');
  const unfinishedPolicy = options?.unfinishedPolicy ?? HandlerUnfinishedPolicy.WARN_AND_ABANDON;
  updates.set(name, { handler, validator, description: options?.description, unfinishedPolicy });
  dispatchBufferedUpdates(activator);
}

function setSignalHandler(activator: Activator, name: string, handler: unknown, options: SignalHandlerOptions | undefined): void {
  const { signals } = activator.handlers;
  if (!checkHandler(handler)) {
    signals.delete(name);
    return;
  }
  const unfinishedPolicy = options?.unfinishedPolicy ?? HandlerUnfinishedPolicy.WARN_AND_ABANDON;
  signals.set(name, { handler, description: options?.description, unfinishedPolicy });
  dispatchBufferedSignals(activator);
}

/**
 * Sets (or, with `undefined`, removes) the handler of a signal, query or update. Signals and updates
 * that arrived before their handler are delivered as soon as it is set.
 *
 * @example
 * ```ts
 * setHandler(approve, (by: string) => { approvedBy = by; });
 * setHandler(status, () => state);
 * setHandler(add, (n: number) => (total += n), { validator: (n) => { if (n < 0) throw new Error('negative'); } });
 * ```
 */
export function setHandler<Ret, Args extends unknown[], T extends QueryDefinition<Ret, Args>>(
  def: T,
  handler: Handler<Ret, Args, T> | undefined,
  options?: QueryHandlerOptions
): void;
export function setHandler<Ret, Args extends unknown[], T extends SignalDefinition<Args>>(
  def: T,
  handler: Handler<Ret, Args, T> | undefined,
  options?: SignalHandlerOptions
): void;
export function setHandler<Ret, Args extends unknown[], T extends UpdateDefinition<Ret, Args>>(
  def: T,
  handler: Handler<Ret, Args, T> | undefined,
  options?: UpdateHandlerOptions<Args>
): void;
export function setHandler(
  def: AnyDefinition,
  handler: unknown,
  options?: QueryHandlerOptions | SignalHandlerOptions | UpdateHandlerOptions<never[]>
): void {
  const activator = assertInWorkflowContext('Workflow.setHandler(...) may only be used from a Workflow Execution.');
  if (def === null || typeof def !== 'object' || typeof def.name !== 'string') {
    throw new TypeError('setHandler expects a definition from defineSignal, defineQuery or defineUpdate');
  }
  throwIfReservedName(def.type, def.name);
  if (def.type === 'update') {
    setUpdateHandler(activator, def.name, handler, options as UpdateHandlerOptions<never[]> | undefined);
  } else if (def.type === 'signal') {
    setSignalHandler(activator, def.name, handler, options as SignalHandlerOptions | undefined);
  } else if (def.type === 'query') {
    if (checkHandler(handler)) activator.handlers.queries.set(def.name, { handler, description: options?.description });
    else activator.handlers.queries.delete(def.name);
  } else {
    throw new TypeError(`Invalid definition type: ${String((def as { type: unknown }).type)}`);
  }
}

/**
 * Sets (or removes) the handler of every signal without a handler of its own; buffered signals are
 * delivered to it at once.
 *
 * @example
 * ```ts
 * setDefaultSignalHandler((name, ...args) => { received.push({ name, args }); });
 * ```
 */
export function setDefaultSignalHandler(handler: DefaultSignalHandler | undefined): void {
  const activator = assertInWorkflowContext('Workflow.setDefaultSignalHandler(...) may only be used from a Workflow Execution.');
  if (checkHandler(handler)) {
    activator.handlers.defaultSignal = handler;
    dispatchBufferedSignals(activator);
  } else {
    activator.handlers.defaultSignal = undefined;
  }
}

/**
 * Sets (or removes) the handler of every update without a handler of its own.
 *
 * @example
 * ```ts
 * setDefaultUpdateHandler((name, ...args) => ({ name, args }));
 * ```
 */
export function setDefaultUpdateHandler(handler: DefaultUpdateHandler | undefined): void {
  const activator = assertInWorkflowContext('Workflow.setDefaultUpdateHandler(...) may only be used from a Workflow Execution.');
  if (checkHandler(handler)) {
    activator.handlers.defaultUpdate = handler;
    dispatchBufferedUpdates(activator);
  } else {
    activator.handlers.defaultUpdate = undefined;
  }
}

/**
 * Sets (or removes) the handler of every query without a handler of its own.
 *
 * @example
 * ```ts
 * setDefaultQueryHandler((name) => state[name]);
 * ```
 */
export function setDefaultQueryHandler(handler: DefaultQueryHandler | undefined): void {
  const activator = assertInWorkflowContext('Workflow.setDefaultQueryHandler(...) may only be used from a Workflow Execution.');
  activator.handlers.defaultQuery = checkHandler(handler) ? handler : undefined;
}

/**
 * Whether no signal or update handler is still running; wait on it before returning so that
 * handlers are not abandoned.
 *
 * @example
 * ```ts
 * await condition(allHandlersFinished);
 * ```
 */
export function allHandlersFinished(): boolean {
  const activator = assertInWorkflowContext('allHandlersFinished() may only be used from a Workflow Execution.');
  return activator.handlers.allFinished();
}
