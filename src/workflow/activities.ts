/**
 * Calling activities from a workflow: `proxyActivities`, `proxyLocalActivities` and the
 * scheduling behind them.
 *
 * @module
 */
import type { ActivitySerializationContext } from '../common/index.js';
import {
  compileActivityOptions,
  compileLocalActivityOptions,
  mergeActivityOptions,
  validateActivityOptions,
  type ActivityOptions,
  type LocalActivityOptions,
} from './activity-options.js';
import { LocalActivityDoBackoff } from './errors.js';
import { composeInterceptors, type ActivityInput, type LocalActivityInput } from './interceptors.js';
import type { Activator } from './runtime/activator.js';
import { assertInWorkflowContext, getActivator } from './runtime/current.js';
import { linkToScope } from './scope-link.js';
import { sleep } from './timers.js';
import { captureOrigin } from './runtime/origin.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActivityFunction = (...args: any[]) => Promise<any>;

/** An activity function of the proxy, plus `executeWithOptions` to override options per call. */
export type ActivityFunctionWithOptions<T extends ActivityFunction> = T & {
  executeWithOptions(options: ActivityOptions, args: Parameters<T>): Promise<Awaited<ReturnType<T>>>;
};

/** A local activity function of the proxy, plus `executeWithOptions`. */
export type LocalActivityFunctionWithOptions<T extends ActivityFunction> = T & {
  executeWithOptions(options: LocalActivityOptions, args: Parameters<T>): Promise<Awaited<ReturnType<T>>>;
};

/** Marks members of an activities type that are not activity functions. */
export const NotAnActivityMethod = Symbol.for('__TEMPORAL_NOT_AN_ACTIVITY_METHOD');

/** The proxy type of `proxyActivities<A>()`. */
export type ActivityInterfaceFor<T> = {
  [K in keyof T]: T[K] extends ActivityFunction ? ActivityFunctionWithOptions<T[K]> : typeof NotAnActivityMethod;
};

/** The proxy type of `proxyLocalActivities<A>()`. */
export type LocalActivityInterfaceFor<T> = {
  [K in keyof T]: T[K] extends ActivityFunction ? LocalActivityFunctionWithOptions<T[K]> : typeof NotAnActivityMethod;
};

/** Activities known only by name. */
export type UntypedActivities = Record<string, ActivityFunction>;

function activityContext(activator: Activator, activityId: string, isLocal: boolean): ActivitySerializationContext {
  const { namespace, workflowId } = activator.info;
  return { type: 'activity', namespace, activityId, workflowId, isLocal };
}

function scheduleActivityNextHandler(input: ActivityInput, origin: Error): Promise<unknown> {
  const activator = getActivator();
  const { options, seq, activityType, args, headers } = input;
  validateActivityOptions(options);
  const activityId = options.activityId ?? String(seq);
  const context = activityContext(activator, activityId, false);
  return linkToScope(
    (resolve, reject) => {
      const command = {
        kind: 'scheduleActivity' as const,
        seq,
        activityId,
        activityType,
        taskQueue: options.taskQueue || activator.info.taskQueue,
        arguments: activator.toPayloads(args, context),
        headers,
        summary: options.summary === undefined ? undefined : activator.toPayload(options.summary, context),
        ...compileActivityOptions(options),
      };
      activator.pushCommand(command, origin);
      activator.completions.set('activity', seq, { resolve, reject, origin, context });
    },
    (reason) => {
      if (!activator.completions.has('activity', seq)) return; // resolved already
      activator.pushCommand({ kind: 'requestCancelActivity', seq }, reason instanceof Error ? reason : undefined);
    }
  );
}

/**
 * Schedules activity `activityType` through the outbound interceptors; what `proxyActivities`
 * functions call.
 *
 * @example
 * ```ts
 * const result = await scheduleActivity<string>('greet', ['Ada'], { startToCloseTimeout: '1m' });
 * ```
 */
export function scheduleActivity<R>(activityType: string, args: unknown[], options: ActivityOptions): Promise<R> {
  const activator = assertInWorkflowContext('Workflow.scheduleActivity(...) may only be used from a Workflow Execution');
  if (options === undefined) throw new TypeError('Got empty activity options');
  const origin = captureOrigin('scheduleActivity');
  const seq = activator.nextSeqs.activity++;
  const execute = composeInterceptors(activator.interceptors.outbound, 'scheduleActivity', (input) =>
    scheduleActivityNextHandler(input, origin)
  );
  return execute({ activityType, headers: {}, options, args, seq }) as Promise<R>;
}

function scheduleLocalActivityNextHandler(input: LocalActivityInput, origin: Error): Promise<unknown> {
  const activator = getActivator();
  const { options, seq, activityType, args, headers, attempt, originalScheduleTimeMs } = input;
  validateActivityOptions(options);
  const activityId = String(seq);
  const context = activityContext(activator, activityId, true);
  return linkToScope(
    (resolve, reject) => {
      const command = {
        kind: 'scheduleLocalActivity' as const,
        seq,
        activityId,
        activityType,
        attempt,
        originalScheduleTimeMs,
        arguments: activator.toPayloads(args, context),
        headers,
        summary: options.summary,
        ...compileLocalActivityOptions(options),
      };
      activator.pushCommand(command, origin);
      activator.completions.set('activity', seq, { resolve, reject, origin, context });
    },
    (reason) => {
      if (!activator.completions.has('activity', seq)) return;
      activator.pushCommand({ kind: 'requestCancelLocalActivity', seq }, reason instanceof Error ? reason : undefined);
    }
  );
}

/**
 * Runs local activity `activityType` through the outbound interceptors, sleeping on a durable timer
 * and rescheduling whenever the worker asks for a backoff.
 *
 * @example
 * ```ts
 * const v = await scheduleLocalActivity<number>('compute', [1], { startToCloseTimeout: '5s' });
 * ```
 */
export async function scheduleLocalActivity<R>(activityType: string, args: unknown[], options: LocalActivityOptions): Promise<R> {
  const activator = assertInWorkflowContext('Workflow.scheduleLocalActivity(...) may only be used from a Workflow Execution');
  if (options === undefined) throw new TypeError('Got empty activity options');
  let attempt = 1;
  let originalScheduleTimeMs: number | undefined;
  for (;;) {
    const origin = captureOrigin('scheduleLocalActivity');
    const seq = activator.nextSeqs.activity++;
    const execute = composeInterceptors(activator.interceptors.outbound, 'scheduleLocalActivity', (input) =>
      scheduleLocalActivityNextHandler(input, origin)
    );
    try {
      return (await execute({ activityType, headers: {}, options, args, seq, attempt, originalScheduleTimeMs })) as R;
    } catch (err) {
      if (!(err instanceof LocalActivityDoBackoff)) throw err;
      await sleep(err.backoffMs);
      attempt = err.attempt;
      originalScheduleTimeMs = err.originalScheduleTimeMs;
    }
  }
}

function makeProxy<O extends object>(options: O, schedule: (type: string, args: unknown[], options: O) => Promise<unknown>): object {
  return new Proxy(
    {},
    {
      get(_target, activityType) {
        if (typeof activityType !== 'string') {
          throw new TypeError(`Only strings are supported for Activity types, got: ${String(activityType)}`);
        }
        const call = (...args: unknown[]): Promise<unknown> => schedule(activityType, args, options);
        call.executeWithOptions = (override: Partial<O>, args: unknown[]): Promise<unknown> =>
          schedule(activityType, args, mergeActivityOptions(options, override));
        return call;
      },
    }
  );
}

/**
 * A proxy whose every property is an activity function: calling it schedules the activity of that
 * name with `options`.
 *
 * @throws TypeError when neither `startToCloseTimeout` nor `scheduleToCloseTimeout` is set
 * @example
 * ```ts
 * const { greet } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });
 * const text = await greet('Ada');
 * const again = await greet.executeWithOptions({ taskQueue: 'other' }, ['Bob']);
 * ```
 */
export function proxyActivities<A = UntypedActivities>(options: ActivityOptions): ActivityInterfaceFor<A> {
  validateActivityOptions(options);
  return makeProxy(options, scheduleActivity) as ActivityInterfaceFor<A>;
}

/**
 * Like {@link proxyActivities}, for local activities: run by the worker that runs the workflow and
 * recorded as markers.
 *
 * @example
 * ```ts
 * const { validate } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '5s' });
 * await validate(order);
 * ```
 */
export function proxyLocalActivities<A = UntypedActivities>(options: LocalActivityOptions): LocalActivityInterfaceFor<A> {
  validateActivityOptions(options);
  return makeProxy(options, scheduleLocalActivity) as LocalActivityInterfaceFor<A>;
}
