import { TaskKind, type Store } from '../store/store.js';
import type { StickyPollers } from '../matching/sticky-pollers.js';
import { notFound, type RpcError } from '../errors.js';
import { Effects } from './effects.js';
import { Run } from './run.js';
import { activityKey, type ExecutionState } from './state.js';
import { dispatchPriorityKey, mergePriority } from './priority.js';
import type { FairnessPasses } from '../matching/fairness-passes.js';
import { visibilityRow } from './visibility-row.js';
import { namespaceSearchAttributes } from './search-attributes.js';
import type { IWorkflowExecution } from './proto-types.js';

/** A monotonically increasing id source shared by all transactions (HistoryEvent.task_id). */
export interface Sequence {
  next(): number;
}

/**
 * The unit of work of one RPC or timer: loads runs, collects their changes, and saves them when the
 * surrounding store transaction commits. Created by {@link Engine.write}.
 */
export class Tx {
  readonly effects = new Effects();
  private readonly runs = new Map<string, Run>();
  /** Runs to delete (instead of save) when the transaction commits. */
  private readonly deleted = new Set<Run>();
  private deferred: RpcError | undefined;

  constructor(
    readonly store: Store,
    readonly now: number,
    private readonly taskIds: Sequence,
    /** Which sticky queues have pollers (absent in read-only transactions: none has). */
    private readonly stickyPollers?: StickyPollers,
    /** The fairness passes of new tasks (absent in read-only transactions, which add none). */
    private readonly fairness?: FairnessPasses,
  ) {}

  /** Whether a sticky queue has a poller now or had one very recently (else its tasks go to the normal queue). */
  stickyQueueAvailable(namespace: string, queue: string): boolean {
    return this.stickyPollers?.isAvailable(namespace, queue) ?? false;
  }

  nextTaskId(): number {
    return this.taskIds.next();
  }

  /** Loads a run by id (undefined if unknown). Loading twice in one transaction gives the same object. */
  loadRun(namespace: string, runId: string): Run | undefined {
    const key = `${namespace}\u0000${runId}`;
    const cached = this.runs.get(key);
    if (cached) return cached;
    const json = this.store.getExecutionState(namespace, runId);
    if (json === undefined) return undefined;
    const run = new Run(this, JSON.parse(json) as ExecutionState);
    this.runs.set(key, run);
    return run;
  }

  /** The current (latest) run of a workflow id, if any. */
  currentRun(namespace: string, workflowId: string): Run | undefined {
    const runId = this.store.getCurrentRunId(namespace, workflowId);
    return runId === undefined ? undefined : this.loadRun(namespace, runId);
  }

  /**
   * Resolves `{workflowId, runId?}`: the given run, or the current run when runId is empty.
   * Throws NOT_FOUND with Temporal's message when there is none.
   */
  resolveRun(namespace: string, execution: IWorkflowExecution | null | undefined): Run {
    const workflowId = execution?.workflowId ?? '';
    const runId = execution?.runId ?? '';
    const run = runId ? this.loadRun(namespace, runId) : this.currentRun(namespace, workflowId);
    if (!run || (workflowId !== '' && run.state.workflowId !== workflowId)) {
      throw notFound(`workflow execution not found for workflow ID "${workflowId}" and run ID "${runId}"`);
    }
    return run;
  }

  /** Registers a brand-new run and makes it the current run of its workflow id. */
  createRun(state: ExecutionState): Run {
    const run = new Run(this, state);
    this.runs.set(`${state.namespace}\u0000${state.runId}`, run);
    this.store.setCurrentRunId(state.namespace, state.workflowId, state.runId);
    return run;
  }

  /**
   * Queues a workflow task or an activity task of the run, dispatched by the run's (and the activity's)
   * priority key and fairness key. A sticky queue (one worker's) needs no fairness.
   */
  addTask(run: Run, kind: TaskKind, taskQueue: string, ref: number, attempt: number): void {
    const own = kind === TaskKind.Activity ? run.state.activities[activityKey(ref)]?.priority : undefined;
    const merged = mergePriority(run.state.priority, own);
    const priority = dispatchPriorityKey(merged);
    const sticky = kind === TaskKind.Workflow && taskQueue !== run.state.taskQueue;
    const queue = { namespace: run.namespace, taskQueue, kind };
    const pass = sticky ? 0 : (this.fairness?.next(queue, priority, merged?.fairnessKey ?? '', merged?.fairnessWeight ?? 0) ?? 0);
    this.store.insertTask(run.namespace, taskQueue, kind, run.state.runId, ref, attempt, priority, pass);
    this.effects.taskAdded(run.namespace, taskQueue, kind);
  }

  addTimer(run: Run, fireAt: number, kind: string, data: Record<string, unknown>): void {
    this.store.insertTimer(fireAt, run.namespace, run.state.runId, kind, data);
    this.effects.timersChanged = true;
  }

  /** Drops every pending task and timer of a run (it closed). */
  dropTasksAndTimers(run: Run): void {
    this.store.deleteTasksOfRun(run.namespace, run.state.runId);
    this.store.deleteTimersOfRun(run.namespace, run.state.runId);
    this.effects.timersChanged = true;
  }

  /** Deletes a closed run with everything stored about it when this transaction commits. */
  deleteRun(run: Run): void {
    if (run.isOpen) throw new Error(`run ${run.state.runId} is open; only a closed run can be deleted`);
    this.deleted.add(run);
  }

  /** Commits this transaction's writes, then fails the RPC with `error` (e.g. UnhandledCommand). */
  failAfterCommit(error: RpcError): void {
    this.deferred = error;
  }

  get deferredError(): RpcError | undefined {
    return this.deferred;
  }

  /** Persists every loaded run that changed. Called inside the store transaction, last. */
  save(): void {
    for (const run of this.runs.values()) {
      const state = run.state;
      if (this.deleted.has(run)) {
        this.store.deleteExecution(state.namespace, state.runId, state.workflowId);
        // Wake history long polls and result waiters: they read the run again and find it gone.
        this.effects.runChanged(state.namespace, state.runId);
        this.effects.runClosed(state.namespace, state.runId);
        this.effects.timersChanged = true;
        this.effects.busy.set(`${state.namespace}\u0000${state.runId}`, false);
        continue;
      }
      state.historySizeBytes += this.store.appendEvents(state.namespace, state.runId, run.newEvents);
      this.store.putExecutionState(state.namespace, state.runId, state.workflowId, JSON.stringify(state));
      this.store.putVisibility(visibilityRow(state, namespaceSearchAttributes(this.store, state.namespace)));
      if (run.newEvents.length > 0) {
        this.effects.runChanged(state.namespace, state.runId);
        if (!run.isOpen) this.effects.runClosed(state.namespace, state.runId);
      }
      this.effects.busy.set(`${state.namespace}\u0000${state.runId}`, run.hasWorkInFlight);
    }
  }
}
