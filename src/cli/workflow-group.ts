/**
 * `duraflow workflow …`: start, inspect, message and end workflow executions.
 *
 * @example
 * ```ts
 * await runGroup(WORKFLOW_GROUP, ['list', '--address', 'localhost:7233', '-o', 'json']);
 * ```
 */
import { CLIENT_FLAGS } from './client-flags.js';
import type { CommandGroup } from './command.js';
import { WORKFLOW_CANCEL, WORKFLOW_DELETE, WORKFLOW_TERMINATE } from './workflow-control.js';
import { WORKFLOW_RESET } from './workflow-reset.js';
import { WORKFLOW_COUNT, WORKFLOW_DESCRIBE, WORKFLOW_LIST, WORKFLOW_RESULT, WORKFLOW_SHOW } from './workflow-inspect.js';
import { WORKFLOW_QUERY, WORKFLOW_SIGNAL, WORKFLOW_UPDATE, WORKFLOW_UPDATE_EXECUTE, WORKFLOW_UPDATE_START } from './workflow-messages.js';
import { WORKFLOW_EXECUTE, WORKFLOW_START } from './workflow-start.js';

export const WORKFLOW_GROUP: CommandGroup = {
  name: 'workflow',
  summary: 'Start, list and operate on workflow executions',
  commands: [
    WORKFLOW_START,
    WORKFLOW_EXECUTE,
    WORKFLOW_LIST,
    WORKFLOW_COUNT,
    WORKFLOW_DESCRIBE,
    WORKFLOW_SHOW,
    WORKFLOW_SIGNAL,
    WORKFLOW_QUERY,
    WORKFLOW_UPDATE,
    WORKFLOW_UPDATE_EXECUTE,
    WORKFLOW_UPDATE_START,
    WORKFLOW_CANCEL,
    WORKFLOW_TERMINATE,
    WORKFLOW_DELETE,
    WORKFLOW_RESET,
    WORKFLOW_RESULT,
  ],
  sharedFlags: CLIENT_FLAGS,
  sharedFlagsTitle: 'Connection and output flags (all commands)',
};
