/**
 * The operations of a run still waiting for their resolution job, by kind and `seq`. A run keeps one
 * map per kind it has used: most workflows use one or two kinds, and every cached run would
 * otherwise hold six empty maps.
 *
 * @module
 */
import type { SerializationContext } from '../../common/index.js';

/** How a pending operation (timer, activity, child, ...) is settled when its resolution job arrives. */
export interface Completion {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  /** Where workflow code started the operation (for the stack trace query). */
  origin: Error;
  /** Context for converting the resolution's payloads and failures. */
  context?: SerializationContext;
}

/** The kinds of pending operations, in the order {@link PendingCompletions.values} visits them. */
export const COMPLETION_KINDS = [
  'timer',
  'activity',
  'childWorkflowStart',
  'childWorkflowComplete',
  'signalWorkflow',
  'cancelWorkflow',
] as const;

/** A kind of pending operation; each kind numbers its operations (`seq`) on its own. */
export type CompletionKind = (typeof COMPLETION_KINDS)[number];

/** Pending operations of one run (see the module doc). */
export class PendingCompletions {
  readonly #byKind: { [K in CompletionKind]?: Map<number, Completion> } = {};

  /** Records pending operation `seq` of `kind`. */
  set(kind: CompletionKind, seq: number, completion: Completion): void {
    (this.#byKind[kind] ??= new Map()).set(seq, completion);
  }

  get(kind: CompletionKind, seq: number): Completion | undefined {
    return this.#byKind[kind]?.get(seq);
  }

  has(kind: CompletionKind, seq: number): boolean {
    return this.#byKind[kind]?.has(seq) ?? false;
  }

  /** Forgets pending operation `seq` of `kind`; whether it was pending. */
  delete(kind: CompletionKind, seq: number): boolean {
    return this.#byKind[kind]?.delete(seq) ?? false;
  }

  /** Removes and returns pending operation `seq` of `kind`, if any. */
  take(kind: CompletionKind, seq: number): Completion | undefined {
    const map = this.#byKind[kind];
    const completion = map?.get(seq);
    if (completion !== undefined) map?.delete(seq);
    return completion;
  }

  /** Every pending operation: kind by kind (in {@link COMPLETION_KINDS} order), each in the order it started. */
  *values(): IterableIterator<Completion> {
    for (const kind of COMPLETION_KINDS) {
      const map = this.#byKind[kind];
      if (map !== undefined) yield* map.values();
    }
  }

  /** Forgets every pending operation (they never settle). */
  clear(): void {
    for (const kind of COMPLETION_KINDS) this.#byKind[kind]?.clear();
  }
}
