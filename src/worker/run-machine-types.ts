/**
 * The run state machine's types that the worker's subfolders (local activities) use, re-exported
 * from one place: a subfolder importing `../workflow/...` would read, to the import rules, like an
 * import of the workflow runtime.
 *
 * @module
 */
export type {
  LocalActivityOutcome,
  LocalActivityRequest,
  LocalActivityResolution,
  WorkflowRunMachine,
} from './workflow/run-machine.js';
