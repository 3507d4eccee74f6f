/**
 * Replaying a whole history inside a sandbox thread (for `Worker.runReplayHistories`): the thread
 * decodes the history and drives the run's state machines itself, so the chain of activations a
 * history is made of costs no round trip to the main thread each. The machines, the nondeterminism
 * checks and the activations are the ones a live worker uses; only where they run differs.
 *
 * Loaded by a thread on its first replay request (it brings the protobuf root along), never by a
 * thread that only serves live activations.
 *
 * @module
 */
import type { ActivationCompletion, SinkCall, WorkflowActivation } from '../../workflow/runtime/protocol.js';
import { temporal } from '../../proto/index.js';
import { NondeterminismError } from '../workflow/errors.js';
import { WorkflowRunMachine } from '../workflow/run-machine.js';
import { lastWorkflowTaskStarted } from '../workflow-task-errors.js';
import type { ReplayOutcome, ReplayRequest } from './thread-messages.js';

/** What the replay needs from the thread: running one activation, and a command's origin stack. */
export interface ReplayThreadAccess {
  activate(activation: WorkflowActivation): Promise<ActivationCompletion>;
  commandStack(runId: string, index: number): string | undefined;
}

/**
 * Replays `request.history` (binary `History`) to its last workflow task. Workflow code failing an
 * activation and nondeterminism are outcomes; anything else (an invalid history) throws.
 *
 * @example
 * ```ts
 * const outcome = await replayHistory(request, { activate, commandStack });
 * if (outcome.kind === 'nondeterminism') console.log(outcome.details.expected);
 * ```
 */
export async function replayHistory(request: ReplayRequest, thread: ReplayThreadAccess): Promise<ReplayOutcome> {
  const events = temporal.api.history.v1.History.decode(request.history).events;
  const machine = new WorkflowRunMachine(request.run);
  machine.addWorkflowTask({ events, messages: [], startedEventId: lastWorkflowTaskStarted(events), previousStartedEventId: 0 });
  const sinkCalls: SinkCall[] = [];
  for (let activation = machine.nextActivation(); activation; activation = machine.nextActivation()) {
    const completion = await thread.activate(activation);
    if ('failed' in completion) return { kind: 'failed', failure: completion.failed.failure, sinkCalls };
    for (const call of completion.successful.sinkCalls) sinkCalls.push(call);
    try {
      machine.completeActivation(completion.successful);
    } catch (error) {
      if (!(error instanceof NondeterminismError)) throw error;
      const stack = error.commandIndex === undefined ? undefined : thread.commandStack(activation.runId, error.commandIndex);
      return { kind: 'nondeterminism', details: error.details, stack, sinkCalls };
    }
  }
  return { kind: 'replayed', sinkCalls };
}
