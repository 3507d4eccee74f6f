import type { VisibilityRow } from '../store/store.js';
import { memoCodec, searchAttributesCodec } from './codec.js';
import { ExecutionStatus } from './enums.js';
import type { ExecutionState } from './state.js';
import { temporal } from '../../proto/index.js';

const { Memo } = temporal.api.common.v1;

/** Decodes indexed search-attribute payloads (json/plain) into the JSON stored for visibility queries. */
export function searchAttributeValues(packed: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attrs = searchAttributesCodec.unpack(packed);
  for (const [name, payload] of Object.entries(attrs?.indexedFields ?? {})) {
    const data = payload.data;
    if (!data || data.length === 0) continue;
    try {
      const value: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
      if (value !== null) out[name] = value;
    } catch {
      // Not JSON: not queryable, but kept in the execution's own search attributes.
    }
  }
  return out;
}

/** The visibility row of a run, derived from its mutable state. */
export function visibilityRow(state: ExecutionState): VisibilityRow {
  const closed = state.status !== ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  const memo = memoCodec.unpack(state.memo);
  return {
    namespace: state.namespace,
    run_id: state.runId,
    workflow_id: state.workflowId,
    workflow_type: state.workflowType,
    task_queue: state.taskQueue,
    status: state.status,
    start_time: state.startTime,
    execution_time: state.executionTime,
    close_time: closed ? state.closeTime : null,
    execution_duration: closed ? Math.max(0, state.closeTime - state.executionTime) : null,
    history_length: state.nextEventId - 1,
    history_size_bytes: state.historySizeBytes,
    parent_workflow_id: state.parentWorkflowId ?? null,
    parent_run_id: state.parentRunId ?? null,
    root_workflow_id: state.rootWorkflowId,
    root_run_id: state.rootRunId,
    search_attributes: JSON.stringify(searchAttributeValues(state.searchAttributes)),
    memo: memo ? Buffer.from(Memo.encode(memo).finish()) : null,
  };
}
