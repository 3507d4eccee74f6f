/**
 * The time-skipping model of Temporal's test server: with no explicit lock held and no work in
 * flight (a workflow task, or an activity that is scheduled or running), the clock jumps to the
 * earliest pending timer or sleeper. User timers and activity retry backoffs do not hold time.
 * A pending sticky workflow task is work in flight like any workflow task, and its schedule-to-start
 * timeout (worker liveness, not workflow time) is never a skip target (see dev-server.ts).
 */
import { MAX_TIMER_MS } from '../clock.js';
import { failedPrecondition } from '../errors.js';
import type { SkippingClock } from './skipping-clock.js';

interface Sleeper {
  target: number;
  resolve: () => void;
  timer: NodeJS.Timeout | undefined;
}

export class TimeSkipper {
  private locks: number;
  private readonly busyRuns = new Set<string>();
  private readonly sleepers = new Set<Sleeper>();
  private evaluating = false;

  /**
   * @param nextTimerAt the earliest pending durable timer time may skip to (engine store)
   * @param fireDue fires every due durable timer (engine)
   */
  constructor(
    readonly clock: SkippingClock,
    startLocked: boolean,
    private readonly nextTimerAt: () => number | undefined,
    private readonly fireDue: () => void,
  ) {
    this.locks = startLocked ? 1 : 0;
  }

  lock(): void {
    this.locks++;
  }

  unlock(): void {
    if (this.locks === 0) throw failedPrecondition('UnlockTimeSkipping called more often than LockTimeSkipping.');
    this.locks--;
    this.evaluate();
  }

  /** Records whether a run has work in flight (called for every run a transaction saved). */
  setBusy(key: string, busy: boolean): void {
    if (busy) this.busyRuns.add(key);
    else this.busyRuns.delete(key);
  }

  get isSkipping(): boolean {
    return this.locks === 0 && this.busyRuns.size === 0;
  }

  /** Resolves once server time reaches `target` (skipped or by wall time). */
  sleepUntil(target: number): Promise<void> {
    if (this.clock.now() >= target) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        target,
        resolve: () => {
          clearTimeout(sleeper.timer);
          this.sleepers.delete(sleeper);
          resolve();
        },
        timer: undefined,
      };
      this.sleepers.add(sleeper);
      this.armWallTimer(sleeper);
      this.evaluate();
    });
  }

  /** Wakes the sleeper by wall time when nothing skips to its target (re-armed past the timer limit). */
  private armWallTimer(sleeper: Sleeper): void {
    const delay = Math.max(0, sleeper.target - this.clock.now());
    sleeper.timer = setTimeout(() => {
      this.evaluate();
      if (this.sleepers.has(sleeper)) this.armWallTimer(sleeper);
    }, Math.min(delay, MAX_TIMER_MS));
  }

  /** Wakes sleepers whose time came, and skips ahead while nothing holds time. */
  evaluate(): void {
    if (this.evaluating) return;
    this.evaluating = true;
    try {
      for (let guard = 0; guard < 10_000; guard++) {
        this.wakeSleepers();
        if (!this.isSkipping) return;
        const next = this.earliest();
        if (next === undefined || next <= this.clock.now()) return;
        this.clock.advanceTo(next);
        this.fireDue();
      }
    } finally {
      this.evaluating = false;
    }
  }

  private earliest(): number | undefined {
    let next = this.nextTimerAt();
    for (const s of this.sleepers) if (next === undefined || s.target < next) next = s.target;
    return next;
  }

  private wakeSleepers(): void {
    const now = this.clock.now();
    for (const s of [...this.sleepers]) if (s.target <= now) s.resolve();
  }

  close(): void {
    for (const s of [...this.sleepers]) s.resolve();
  }
}
