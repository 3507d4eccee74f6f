import type { Clock } from '../clock.js';

/** A clock that follows wall time plus an offset that only grows: time skipping moves it forward. */
export class SkippingClock implements Clock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  /** Jumps forward to `time` (never backward). */
  advanceTo(time: number): void {
    const now = this.now();
    if (time > now) this.offset += time - now;
  }
}
