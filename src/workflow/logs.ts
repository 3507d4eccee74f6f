/**
 * The workflow logger: a replay-aware sink named `__temporal_logger`, as in the official SDK.
 *
 * @module
 */
import { composeInterceptors } from './interceptors.js';
import type { WorkflowInfo } from './interfaces.js';
import type { Activator } from './runtime/activator.js';
import { assertInWorkflowContext } from './runtime/current.js';
import { recordSinkCall, type Sink } from './sinks.js';

/** The sink name the worker's logger is registered under. */
export const LOGGER_SINK_NAME = '__temporal_logger';

/** The levels of {@link log}. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The logger interface of {@link log}. */
export interface WorkflowLogger extends Sink {
  trace(message: string, attrs?: Record<string, unknown>): void;
  debug(message: string, attrs?: Record<string, unknown>): void;
  info(message: string, attrs?: Record<string, unknown>): void;
  warn(message: string, attrs?: Record<string, unknown>): void;
  error(message: string, attrs?: Record<string, unknown>): void;
}

/**
 * The attributes every workflow log entry carries: namespace, task queue, workflow id, run id and
 * type, plus the update id and name inside an update handler.
 */
export function workflowLogAttributes(info: WorkflowInfo, activator?: Activator): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    namespace: info.namespace,
    taskQueue: info.taskQueue,
    workflowId: info.workflowId,
    runId: info.runId,
    workflowType: info.workflowType,
  };
  const update = activator?.context.current().update;
  if (update) {
    attributes['updateId'] = update.id;
    attributes['updateName'] = update.name;
  }
  return attributes;
}

/** Records a log entry unless the run is replaying history (the entry was logged the first time). */
export function logWith(activator: Activator, level: LogLevel, message: string, attrs?: Record<string, unknown>): void {
  if (activator.info.unsafe.isReplayingHistoryEvents) return;
  const getLogAttributes = composeInterceptors(activator.interceptors.outbound, 'getLogAttributes', (a) => a);
  recordSinkCall(activator, LOGGER_SINK_NAME, level, [
    String(message),
    { sdkComponent: 'workflow', ...getLogAttributes(workflowLogAttributes(activator.info, activator)), ...attrs },
  ]);
}

function level(name: LogLevel): (message: string, attrs?: Record<string, unknown>) => void {
  return (message, attrs) => {
    const activator = assertInWorkflowContext('Workflow.log(...) may only be used from workflow context.');
    logWith(activator, name, message, attrs);
  };
}

/**
 * The workflow logger. Entries go to the worker's logger through a sink, carry the workflow's
 * attributes, and are not recorded while the run replays history.
 *
 * @example
 * ```ts
 * log.info('order placed', { orderId });
 * ```
 */
export const log: WorkflowLogger = {
  trace: level('trace'),
  debug: level('debug'),
  info: level('info'),
  warn: level('warn'),
  error: level('error'),
};
