/**
 * Core's internal flags: behaviour changes that would break the replay of older histories are
 * switched on per run, and recorded in each WorkflowTaskCompleted event's `sdkMetadata`, so that a
 * replay knows which behaviour produced the history. Same numbers and semantics as Temporal's Core
 * SDK, so histories move freely between duraflow and the official SDKs.
 *
 * @module
 */
import type { ProtoTypes } from '../../proto/index.js';

type CompletedAttributes = ProtoTypes.temporal.api.history.v1.IWorkflowTaskCompletedEventAttributes;
type CompletedMetadata = ProtoTypes.temporal.api.sdk.v1.IWorkflowTaskCompletedMetadata;

/** The core flags (values are stable forever; they are written to histories). */
export const CoreFlag = {
  /** Activity, local activity and child workflow ids and types are compared on replay. */
  IdAndTypeDeterminismChecks: 1,
  /** Each patch also upserts the TemporalChangeVersion search attribute; upserts are checked. */
  UpsertSearchAttributeOnPatch: 2,
  /** Non-terminal commands issued after a terminal one are kept (moved before it), not truncated. */
  MoveTerminalCommands: 3,
} as const;
export type CoreFlag = (typeof CoreFlag)[keyof typeof CoreFlag];

const ALL_CORE_FLAGS: readonly CoreFlag[] = Object.values(CoreFlag);

/** Adds `flag` to a small sorted list of flags (made on first use). */
function withFlag(flags: number[] | undefined, flag: number): number[] {
  if (flags === undefined) return [flag];
  if (!flags.includes(flag)) {
    flags.push(flag);
    flags.sort((a, b) => a - b);
  }
  return flags;
}

/**
 * Flags seen in history so far, plus the ones used since the last task completion. A run holds a
 * handful of flags at most, so they are kept in short sorted arrays (a cached run keeps these for
 * its lifetime; an empty `Set` alone is ≈170 bytes in V8).
 */
export class InternalFlags {
  private core: number[] | undefined;
  private lang: number[] | undefined;
  private coreSinceLastComplete: number[] | undefined;

  /** @param canWriteSdkMetadata whether the server records `sdkMetadata` (its `sdk_metadata` capability) */
  constructor(private readonly canWriteSdkMetadata: boolean) {}

  /** Learns the flags a WorkflowTaskCompleted event recorded. */
  addFromCompleted(attributes: CompletedAttributes | null | undefined): void {
    const metadata = attributes?.sdkMetadata;
    if (!metadata) return;
    for (const flag of metadata.coreUsedFlags ?? []) this.core = withFlag(this.core, flag);
    for (const flag of metadata.langUsedFlags ?? []) this.lang = withFlag(this.lang, flag);
  }

  /**
   * Whether `flag` applies. When `shouldRecord` (the task is new, not a replay of an older one) the
   * flag is used and recorded, if the server can record it; otherwise it applies only if history
   * recorded it.
   */
  tryUse(flag: CoreFlag, shouldRecord: boolean): boolean {
    if (!shouldRecord) return this.core?.includes(flag) ?? false;
    if (!this.canWriteSdkMetadata) return false;
    this.coreSinceLastComplete = withFlag(this.coreSinceLastComplete, flag);
    return true;
  }

  /** Records every known flag for the task about to be completed (only for tasks that are not replays). */
  writeAllKnown(): void {
    if (!this.canWriteSdkMetadata) return;
    for (const flag of ALL_CORE_FLAGS) this.coreSinceLastComplete = withFlag(this.coreSinceLastComplete, flag);
  }

  /** The lang flags history recorded, in ascending order. */
  langFlags(): number[] {
    return [...(this.lang ?? [])];
  }

  /** The metadata to send with the task completion: core flags not recorded before. */
  gatherForCompletion(): CompletedMetadata {
    if (!this.canWriteSdkMetadata) return {};
    const used = this.coreSinceLastComplete ?? [];
    this.coreSinceLastComplete = undefined;
    const newlyUsed = used.filter((f) => !this.core?.includes(f));
    for (const flag of newlyUsed) this.core = withFlag(this.core, flag);
    return newlyUsed.length > 0 ? { coreUsedFlags: newlyUsed } : {};
  }
}
