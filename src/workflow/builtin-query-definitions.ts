/**
 * Definitions of the queries every workflow answers, for clients that want typed results.
 *
 * @module
 */
import { defineQuery } from '../common/definitions.js';
import { ENHANCED_STACK_TRACE_QUERY_NAME, STACK_TRACE_QUERY_NAME, WORKFLOW_METADATA_QUERY_NAME } from './runtime/reserved-names.js';

/** The stacks of the calls the workflow is waiting on, as text. */
export const stackTraceQuery = defineQuery<string>(STACK_TRACE_QUERY_NAME);
/** Not answered by duraflow yet (the official SDK returns structured stacks with sources). */
export const enhancedStackTraceQuery = defineQuery<unknown>(ENHANCED_STACK_TRACE_QUERY_NAME);
/** The workflow's type, its handlers with their descriptions, and its current details. */
export const workflowMetadataQuery = defineQuery<unknown>(WORKFLOW_METADATA_QUERY_NAME);
