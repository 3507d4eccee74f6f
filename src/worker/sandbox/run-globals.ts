/**
 * The globals of the Compartments of a locked-down sandbox thread: the runtime script's and every
 * run's. One set serves them all; `Date`, `Math.random` and `console` act for the run whose code is
 * running ({@link ActiveRun}, switched by the run before its bundle is evaluated and before each
 * activation: only one run's code runs at a time). They are frozen, so no run can change them for
 * the others.
 *
 * Acting for the active run (through its {@link RunClock} and console sink):
 * - `Date`: workflow time. `Date()`, `new Date()` and `Date.now()` give the activation's timestamp;
 *   `new Date(x)`, `Date.parse`, `Date.UTC`, subclassing and `instanceof Date` work as usual. Built on
 *   SES's powerless `%SharedDate%`, so `new (new Date().constructor)()` throws instead of leaking
 *   real time.
 * - `Math`: `%SharedMath%`'s functions with `random` from the run's Alea PRNG.
 * - `console`: recorded and sent back as sink calls (see `workflow-console.ts`).
 *
 * The same for every run (hardened):
 * - `setTimeout`, `setInterval`, `setImmediate` and their `clear*`: throw a TypeError pointing to
 *   `sleep()` (a durable timer). They are ordinary writable globals, so a runtime that implements
 *   them with timer commands can replace them.
 * - `WeakRef`, `FinalizationRegistry`: constructing them throws a DeterminismViolationError
 *   (garbage collection is not deterministic).
 * - `queueMicrotask`: runs the callback as a promise reaction (an exception becomes an unhandled
 *   rejection of the run, not a crash of the thread).
 * - `Float32Array`, `Float64Array` (SES leaves them out of Compartments by default).
 * - `AsyncLocalStorage` (Node's): the runtime's per-run context storage, so `CancellationScope.current()`
 *   follows workflow code across `await`s.
 *
 * SES already provides the standard ECMAScript globals plus `TextEncoder`/`TextDecoder`; there is no
 * `process`, `require`, `Buffer`, `fetch`, `URL`, `Intl` or real timer. `global` and `self` are
 * aliases of the Compartment's `globalThis` (set by the run).
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptureOrigin } from '../../workflow/runtime/protocol.js';
import { makeWorkflowConsole, type ConsoleSink } from './workflow-console.js';

/** The run's clock and randomness, owned by the host side of the run. */
export interface RunClock {
  /** Workflow time in epoch ms (the activation's timestamp). */
  now: number;
  /** The run's current PRNG (replaced by `updateRandomSeed`). */
  random: () => number;
}

/** The run whose code is running in a thread (set by the run before its bundle is evaluated and before each activation). */
export interface ActiveRun {
  clock: RunClock;
  consoleSink: ConsoleSink;
}

/** What every run of a thread shares; built once per thread, after `lockdown()`. */
export interface ThreadIntrinsics {
  sharedDate: DateConstructor;
  /**
   * The platform's Date constructor, captured before lockdown and never exposed: it builds the
   * Dates of `new Date(…)` (always with explicit arguments). SES's Date constructors build every
   * Date for a `new.target` of their own, for which V8 makes each Date a map of its own (≈100
   * bytes more per Date a workflow keeps).
   */
  feralDate: DateConstructor;
  mathDescriptors: PropertyDescriptorMap;
  shared: Readonly<Record<string, unknown>>;
  active: ActiveRun;
}

/** The error WeakRef/FinalizationRegistry throw; branded so the runtime's `instanceof DeterminismViolationError` recognises it. */
function makeDeterminismError(): new (message: string) => Error {
  class DeterminismViolationError extends Error {}
  for (const name of ['DeterminismViolationError', 'WorkflowError']) {
    Object.defineProperty(DeterminismViolationError.prototype, Symbol.for(`__temporal_is${name}`), { value: true });
  }
  Object.defineProperty(DeterminismViolationError.prototype, 'name', { value: 'DeterminismViolationError', enumerable: true });
  // Reachable from every run through a caught error's `constructor`: no run may change it for the others.
  return harden(DeterminismViolationError);
}

/** A function (also usable with `new`) named `name` that always throws `makeError()`. */
function throwing(name: string, makeError: () => Error): unknown {
  const fn = function (): never {
    throw makeError();
  };
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** The shared, hardened globals (see the module doc). */
function makeSharedGlobals(): Record<string, unknown> {
  const DeterminismViolationError = makeDeterminismError();
  const shared: Record<string, unknown> = {};
  const timerHint = 'use sleep() from duraflow/workflow for a durable timer';
  for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate']) {
    shared[name] = throwing(name, () => new TypeError(`${name} is not available in workflow code (the sandbox has no real timers): ${timerHint}`));
  }
  for (const name of ['WeakRef', 'FinalizationRegistry']) {
    shared[name] = throwing(
      name,
      () => new DeterminismViolationError(`${name} cannot be used in workflow code: garbage collection is not deterministic`)
    );
  }
  shared['queueMicrotask'] = function queueMicrotask(callback: unknown): void {
    if (typeof callback !== 'function') throw new TypeError('queueMicrotask: the callback must be a function');
    void Promise.resolve().then(() => (callback as () => void)());
  };
  shared['Float32Array'] = Float32Array;
  shared['Float64Array'] = Float64Array;
  // The runtime keeps the current CancellationScope and update across awaits with it (as the official SDK does).
  shared['AsyncLocalStorage'] = AsyncLocalStorage;
  return harden(shared);
}

/**
 * The runtime script's {@link CaptureOrigin}: one stack capture on an object inheriting the shared
 * `Error.prototype`, where SES's tamed `Error` constructor captures twice. `FeralError` is the
 * platform's `Error`, taken before `lockdown()`; it never reaches workflow code (the result's
 * `constructor` is the shared, tamed one).
 */
export function makeCaptureOrigin(FeralError: ErrorConstructor): CaptureOrigin {
  return harden((message: string, below: (...args: never[]) => unknown): Error => {
    const origin = Object.create(FeralError.prototype) as Error;
    Object.defineProperty(origin, 'message', { value: message, writable: true, configurable: true });
    FeralError.captureStackTrace(origin, below);
    return origin;
  });
}

/** Builds what every run of this thread shares. Call once, after `lockdown()`, with the Date from before it. */
export function makeThreadIntrinsics(feralDate: DateConstructor): ThreadIntrinsics {
  // A fresh Compartment's Date and Math are SES's powerless shared ones (%SharedDate%, %SharedMath%).
  const powerless = new Compartment({ __options__: true }).globalThis as { Date: DateConstructor; Math: Math };
  return {
    sharedDate: powerless.Date,
    feralDate,
    mathDescriptors: Object.getOwnPropertyDescriptors(powerless.Math),
    shared: makeSharedGlobals(),
    active: { clock: { now: 0, random: () => 0 }, consoleSink: { isReplaying: true, records: [], dropped: 0 } },
  };
}

/** The run's `Date` constructor (see the module doc). */
export function makeWorkflowDate({ sharedDate: SharedDate, feralDate }: ThreadIntrinsics, clock: RunClock): DateConstructor {
  const FeralDate = feralDate as unknown as new (...args: unknown[]) => Date;
  function Date(this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return SharedDate.prototype.toString.call(new SharedDate(clock.now));
    const dateArgs = args.length === 0 ? [clock.now] : args;
    // Same prototype either way (SES keeps Date.prototype); see ThreadIntrinsics.feralDate.
    if (new.target === Date) return new FeralDate(...dateArgs);
    return Reflect.construct(SharedDate, dateArgs, new.target);
  }
  const now = { now: (): number => clock.now }.now;
  Object.defineProperties(Date, {
    prototype: { value: SharedDate.prototype, writable: false },
    now: { value: now, writable: true, configurable: true },
    parse: { value: SharedDate.parse, writable: true, configurable: true },
    UTC: { value: SharedDate.UTC, writable: true, configurable: true },
    length: { value: 7 },
  });
  return Object.freeze(Date) as unknown as DateConstructor;
}

/** The run's `Math`: the shared Math's properties with the run's `random`. */
export function makeWorkflowMath(intrinsics: ThreadIntrinsics, clock: RunClock): Math {
  const random = { random: (): number => clock.random() }.random;
  return Object.freeze(
    Object.create(Object.prototype, {
      ...intrinsics.mathDescriptors,
      random: { value: random, writable: false, enumerable: false, configurable: false },
    }) as Math
  );
}

/** Endowments that act for `clock` and `consoleSink`. */
function makeGlobals(intrinsics: ThreadIntrinsics, clock: RunClock, consoleSink: ConsoleSink): Record<string, unknown> {
  return {
    ...intrinsics.shared,
    Date: makeWorkflowDate(intrinsics, clock),
    Math: makeWorkflowMath(intrinsics, clock),
    console: makeWorkflowConsole(consoleSink),
  };
}

/** The thread's endowments, acting for the {@link ActiveRun}. */
export function makeThreadGlobals(intrinsics: ThreadIntrinsics): Record<string, unknown> {
  const { active } = intrinsics;
  const clock: RunClock = {
    get now(): number {
      return active.clock.now;
    },
    random: (): number => active.clock.random(),
  };
  const consoleSink: ConsoleSink = {
    get isReplaying(): boolean {
      return active.consoleSink.isReplaying;
    },
    get records() {
      return active.consoleSink.records;
    },
    get dropped(): number {
      return active.consoleSink.dropped;
    },
    set dropped(count: number) {
      active.consoleSink.dropped = count;
    },
  };
  return makeGlobals(intrinsics, clock, consoleSink);
}
