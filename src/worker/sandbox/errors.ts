/**
 * Errors of the workflow sandbox host.
 *
 * @module
 */
import { markErrorClass } from '../../common/type-helpers.js';

/**
 * The sandbox thread that held a run was restarted (after a potential deadlock or a crash), so the
 * run's state is gone. Replay the run from its history (an activation with `initializeWorkflow`).
 *
 * @example
 * ```ts
 * try { await sandbox.activate(activation); }
 * catch (e) { if (e instanceof SandboxRunLostError) await replayFromHistory(e.runId); else throw e; }
 * ```
 */
export class SandboxRunLostError extends Error {
  constructor(
    public readonly runId: string,
    reason: string,
    options?: ErrorOptions
  ) {
    super(`Workflow run ${runId} is no longer in the sandbox (${reason}): replay it from its history`, options);
  }
}
markErrorClass(SandboxRunLostError, 'SandboxRunLostError');

/** The sandbox was closed; nothing more can run in it. */
export class SandboxClosedError extends Error {
  constructor() {
    super('The workflow sandbox is closed');
  }
}
markErrorClass(SandboxClosedError, 'SandboxClosedError');
