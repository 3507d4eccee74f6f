import type { VisibilityRow } from '../store/store.js';
import { memoCodec } from './codec.js';
import { storedSearchAttributes } from './search-attributes.js';
import type { SearchAttributeType } from '../visibility/index.js';
import { ExecutionStatus } from './enums.js';
import type { ExecutionState } from './state.js';
import { temporal } from '../../proto/index.js';

const { Memo } = temporal.api.common.v1;

/** The visibility row of a run, derived from its mutable state. */
export function visibilityRow(state: ExecutionState, types: ReadonlyMap<string, SearchAttributeType>): VisibilityRow {
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
    search_attributes: JSON.stringify(storedSearchAttributes(types, state.searchAttributes)),
    memo: memo ? Buffer.from(Memo.encode(memo).finish()) : null,
  };
}
