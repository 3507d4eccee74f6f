/** What every workflow and update handle needs: the connection, namespace, identity and converter. */
import type { Connection } from './connection.js';
import type { ClientDataConverter } from './data-conversion.js';

/** When a query is rejected instead of answered. */
export const QueryRejectCondition = {
  NONE: 'NONE',
  NOT_OPEN: 'NOT_OPEN',
  NOT_COMPLETED_CLEANLY: 'NOT_COMPLETED_CLEANLY',
} as const;
export type QueryRejectCondition = (typeof QueryRejectCondition)[keyof typeof QueryRejectCondition];

/** Shared by a WorkflowClient and the handles it creates. */
export interface HandleContext {
  readonly connection: Connection;
  readonly namespace: string;
  readonly identity: string;
  readonly converter: ClientDataConverter;
  readonly queryRejectCondition: QueryRejectCondition;
}
