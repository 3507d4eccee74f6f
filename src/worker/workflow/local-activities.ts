/**
 * The run's local activity bookkeeping: requests to execute or cancel (handed to the worker),
 * which are executing, and resolutions pre-read from markers further ahead in history (applied in
 * marker order as soon as the workflow has scheduled the activity).
 *
 * @module
 */
import type { ScheduleLocalActivityCommand } from '../../workflow/runtime/protocol.js';
import type { LocalActivityResolution } from './machines/local-activity-machine.js';

/** What the worker must do about local activities: start one, or stop one (executing or retrying). */
export type LocalActivityRequest =
  | { kind: 'start'; command: ScheduleLocalActivityCommand }
  | { kind: 'cancel'; seq: number }
  /** The run is closing: stop every local activity of the run. */
  | { kind: 'cancelAll' };

/** Local activity requests, executions and pre-resolutions of one run. */
export class LocalActivityTracker {
  private newRequests: ScheduleLocalActivityCommand[] = [];
  private cancelRequests: number[] = [];
  /** Seqs started and not yet resolved (made on first use: most runs have no local activities). */
  private executing: Set<number> | undefined;
  private preresolutions: Array<[seq: number, resolution: LocalActivityResolution]> = [];
  private terminating = false;

  enqueue(request: ScheduleLocalActivityCommand): void {
    this.newRequests.push(request);
  }

  enqueueCancel(seq: number): void {
    this.cancelRequests.push(seq);
  }

  doneExecuting(seq: number): void {
    this.newRequests = this.newRequests.filter((r) => r.seq !== seq);
    this.executing?.delete(seq);
  }

  /** Drains the requests for the worker; the started ones count as executing until resolved. */
  takeRequests(): LocalActivityRequest[] {
    if (this.terminating) {
      const any = this.newRequests.length + this.cancelRequests.length + (this.executing?.size ?? 0) > 0;
      this.newRequests = [];
      this.cancelRequests = [];
      this.executing = undefined;
      return any ? [{ kind: 'cancelAll' }] : [];
    }
    const out: LocalActivityRequest[] = this.cancelRequests.map((seq) => ({ kind: 'cancel', seq }));
    for (const command of this.newRequests) {
      (this.executing ??= new Set()).add(command.seq);
      out.push({ kind: 'start', command });
    }
    this.cancelRequests = [];
    this.newRequests = [];
    return out;
  }

  /** Local activities requested or executing and not yet resolved. */
  outstandingCount(): number {
    return this.terminating ? 0 : (this.executing?.size ?? 0) + this.newRequests.length;
  }

  isExecuting(seq: number): boolean {
    return this.executing?.has(seq) ?? false;
  }

  insertPeeked(seq: number, resolution: LocalActivityResolution): void {
    this.preresolutions.push([seq, resolution]);
  }

  takePreresolution(seq: number): LocalActivityResolution | undefined {
    const i = this.preresolutions.findIndex(([s]) => s === seq);
    if (i < 0) return undefined;
    const [entry] = this.preresolutions.splice(i, 1);
    return entry?.[1];
  }

  peekPreresolutionSeq(): number | undefined {
    return this.preresolutions[0]?.[0];
  }

  /** Removes a request the worker has not taken yet; returns it if it was there. */
  removeFromQueue(seq: number): ScheduleLocalActivityCommand | undefined {
    const i = this.newRequests.findIndex((r) => r.seq === seq);
    if (i < 0) return undefined;
    return this.newRequests.splice(i, 1)[0];
  }

  /** The run is closing: nothing more to execute, executing activities stop mattering. */
  indicateTerminating(): void {
    this.terminating = true;
  }
}
