/**
 * The local activities of one cached workflow run: the requests its state machines make are handed
 * to the worker's {@link LocalActivityManager}, and their resolutions wait here — possibly across
 * workflow tasks, when a task was answered as a heartbeat — until the run's next task applies them.
 *
 * @module
 */
import type { LocalActivityRequest, LocalActivityResolution } from '../run-machine-types.js';
import type { LocalActivityRun } from './local-activity-attempt.js';
import type { LocalActivityManager } from './local-activity-manager.js';

/** A resolution waiting to be applied to the run's machines. */
export interface PendingResolution {
  seq: number;
  resolution: LocalActivityResolution;
}

/**
 * One run's local activities.
 *
 * @example
 * ```ts
 * const las = new RunLocalActivities(manager, run);
 * las.dispatch(machine.takeLocalActivityRequests());
 * if (await las.waitForResolution(deadline)) for (const { seq, resolution } of las.takeResolved()) machine.resolveLocalActivity(seq, resolution);
 * ```
 */
export class RunLocalActivities {
  /** Started and not yet resolved, or resolved and not yet applied. */
  private readonly outstanding = new Set<number>();
  private resolved: PendingResolution[] = [];
  private wake: (() => void) | undefined;

  constructor(
    private readonly manager: LocalActivityManager,
    readonly run: LocalActivityRun
  ) {}

  /** Local activities started whose resolution the run has not taken yet. */
  get count(): number {
    return this.outstanding.size;
  }

  /** Carries out the machines' requests: start, cancel, or drop every one of the run's. */
  dispatch(requests: readonly LocalActivityRequest[]): void {
    for (const request of requests) {
      if (request.kind === 'start') {
        const { seq } = request.command;
        this.outstanding.add(seq);
        this.manager.start(this.run, request.command, (resolution) => this.deliver(seq, resolution));
      } else if (request.kind === 'cancel') {
        this.manager.cancel(this.run.runId, request.seq);
      } else {
        this.dispose();
      }
    }
  }

  /** The resolutions that arrived, in arrival order (each is taken once). */
  takeResolved(): PendingResolution[] {
    const taken = this.resolved;
    this.resolved = [];
    for (const { seq } of taken) this.outstanding.delete(seq);
    return taken;
  }

  /** Resolves true once a resolution is waiting, or false at `deadlineMs` (epoch ms). */
  waitForResolution(deadlineMs: number): Promise<boolean> {
    if (this.resolved.length > 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), Math.max(0, deadlineMs - Date.now()));
      const finish = (arrived: boolean): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(arrived);
      };
      this.wake = () => finish(true);
    });
  }

  /** Stops every local activity of the run; resolutions still to come are dropped. */
  dispose(): void {
    this.outstanding.clear();
    this.resolved = [];
    this.manager.cancelAll(this.run.runId);
    this.wake?.();
  }

  private deliver(seq: number, resolution: LocalActivityResolution): void {
    if (!this.outstanding.has(seq)) return;
    this.resolved.push({ seq, resolution });
    this.wake?.();
  }
}
