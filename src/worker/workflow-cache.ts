/**
 * The cache of live workflow runs: a least-recently-used map bounded by `maxCachedWorkflows`. A run
 * that is processing a task is never chosen for eviction; the cache may briefly exceed its bound
 * when every run in it is busy.
 */
export class WorkflowCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    readonly maxSize: number,
    private readonly isBusy: (value: T) => boolean,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The run, marked as most recently used. */
  get(runId: string): T | undefined {
    const value = this.entries.get(runId);
    if (value !== undefined) {
      this.entries.delete(runId);
      this.entries.set(runId, value);
    }
    return value;
  }

  has(runId: string): boolean {
    return this.entries.has(runId);
  }

  /** Adds or refreshes a run; returns the runs pushed out to respect the bound (oldest first). */
  set(runId: string, value: T): Array<[string, T]> {
    this.entries.delete(runId);
    this.entries.set(runId, value);
    const evicted: Array<[string, T]> = [];
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxSize) break;
      if (id === runId || this.isBusy(entry)) continue;
      this.entries.delete(id);
      evicted.push([id, entry]);
    }
    return evicted;
  }

  delete(runId: string): T | undefined {
    const value = this.entries.get(runId);
    this.entries.delete(runId);
    return value;
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }
}
