/**
 * What a payload or failure is being converted for, passed to converters and codecs that want to
 * vary their behaviour (e.g. pick an encryption key per workflow).
 *
 * @experimental
 * @module
 */

/** Conversion of a workflow's own data (arguments, results, signals, queries, updates, memo). */
export interface WorkflowSerializationContext {
  type: 'workflow';
  namespace: string;
  workflowId: string;
}

/** Conversion of an activity's data (arguments, results, heartbeat details, failures). */
export interface ActivitySerializationContext {
  type: 'activity';
  namespace: string;
  activityId?: string;
  workflowId?: string;
  isLocal: boolean;
}

/** Either serialization context. */
export type SerializationContext = WorkflowSerializationContext | ActivitySerializationContext;
