/**
 * Versioning with patches: `patched` and `deprecatePatch`, recorded as patch markers in history.
 *
 * @module
 */
import { IllegalStateError } from '../common/index.js';
import type { Activator } from './runtime/activator.js';
import { assertInWorkflowContext } from './runtime/current.js';

const NOT_IN_WORKFLOW = 'Workflow.patch(...) and Workflow.deprecatePatch may only be used from a Workflow Execution.';

/** Decides a patch once per run and records its marker the first time it is used. */
export function patchInternal(activator: Activator, patchId: string, deprecated: boolean): boolean {
  if (typeof patchId !== 'string' || patchId.length === 0) throw new TypeError('patchId must be a non-empty string');
  if (activator.workflow === undefined) throw new IllegalStateError('Patches cannot be used before Workflow starts');
  const { known, sent, decisions } = activator.patches;
  const previous = decisions.get(patchId);
  if (previous !== undefined) return previous;
  // While replaying, a patch is active only if history recorded its marker. A missing marker is not
  // final: the run may reach new (non-replayed) code where the patch becomes active.
  if (activator.info.unsafe.isReplaying && !known.has(patchId)) return false;
  decisions.set(patchId, true);
  if (!sent.has(patchId)) {
    activator.pushCommand({ kind: 'setPatchMarker', patchId, deprecated });
    sent.add(patchId);
  }
  return true;
}

/**
 * Whether this run takes the new code path of patch `patchId`: true unless the run is replaying a
 * history recorded without the patch. The first call records a patch marker.
 *
 * @example
 * ```ts
 * if (patched('use-v2-pricing')) await priceV2(); else await priceV1();
 * ```
 */
export function patched(patchId: string): boolean {
  return patchInternal(assertInWorkflowContext(NOT_IN_WORKFLOW), patchId, false);
}

/**
 * States that every run still open went through `patched(patchId)`, so the old code path is gone;
 * records a deprecated patch marker.
 *
 * @example
 * ```ts
 * deprecatePatch('use-v2-pricing');
 * await priceV2();
 * ```
 */
export function deprecatePatch(patchId: string): void {
  patchInternal(assertInWorkflowContext(NOT_IN_WORKFLOW), patchId, true);
}
