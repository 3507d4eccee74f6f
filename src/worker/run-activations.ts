/**
 * Drives one run's state machines through the activations they yield: each activation is decoded
 * (codecs), run in the sandbox, its completion encoded and fed back to the machines, which check it
 * against history. Shared by live workflow tasks and by replay.
 */
import type { LoadedDataConverter } from '../common/index.js';
import type { SinkCall, SuccessfulCompletion, WorkflowActivation } from '../workflow/runtime/protocol.js';
import { decodeActivation, encodeCompletion } from './activation-codec.js';
import type { WorkflowSandbox } from './sandbox/index.js';
import { NondeterminismError, type WorkflowRunMachine } from './workflow/run-machine.js';
import { describeNondeterminism, WorkflowTaskFailedError } from './workflow-task-errors.js';

export interface ActivationRunner {
  sandbox: WorkflowSandbox;
  dataConverter: LoadedDataConverter;
  /** Runs the sink calls (workflow `log` and custom sinks) of every activation; awaited before the activation counts as done. */
  onSinkCalls: (calls: SinkCall[]) => void | Promise<void>;
}

/** Runs one activation; a failed activation becomes a {@link WorkflowTaskFailedError}. */
export async function runActivation(runner: ActivationRunner, activation: WorkflowActivation): Promise<SuccessfulCompletion> {
  const codecs = runner.dataConverter.payloadCodecs;
  const completion = await encodeCompletion(codecs, await runner.sandbox.activate(await decodeActivation(codecs, activation)));
  if ('failed' in completion) throw new WorkflowTaskFailedError(completion.failed.failure);
  if (completion.successful.sinkCalls.length > 0) await runner.onSinkCalls(completion.successful.sinkCalls);
  return completion.successful;
}

/**
 * Runs every activation the machine has for its current task. A nondeterminism is rethrown as a
 * DeterminismViolationError that also names the user source line that issued the command.
 */
export async function runActivations(runner: ActivationRunner, machine: WorkflowRunMachine): Promise<void> {
  for (let activation = machine.nextActivation(); activation; activation = machine.nextActivation()) {
    const successful = await runActivation(runner, activation);
    try {
      machine.completeActivation(successful);
    } catch (error) {
      if (!(error instanceof NondeterminismError)) throw error as Error;
      const index = error.commandIndex;
      const stack = index === undefined ? undefined : await runner.sandbox.commandStack(activation.runId, index).catch(() => undefined);
      throw describeNondeterminism(error, stack);
    }
  }
}
