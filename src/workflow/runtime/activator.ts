/**
 * The state of one workflow run inside the sandbox: pending operations by sequence number, message
 * handlers, cancellation scopes, the commands and sink calls of the current activation, and the
 * converters. Job handling lives in the sibling modules; this class only holds state and the few
 * primitives everything shares (issuing commands, converting values, recording task errors).
 *
 * @module
 */
import {
  DeterminismViolationError,
  defaultFailureConverter,
  defaultPayloadConverter,
  type FailureConverter,
  type Payload,
  type PayloadConverter,
  type ProtoFailure,
  type SerializationContext,
  type WorkflowSerializationContext,
} from '../../common/index.js';
import { RootCancellationScope, type CancellationScope } from '../cancellation-scope.js';
import { RunContextStorage } from '../context-storage.js';
import type { WorkflowInterceptors } from '../interceptors.js';
import type { UpdateInfo, WorkflowInfo } from '../interfaces.js';
import { HandlerRegistry } from './handler-registry.js';
import { withoutUndefined } from './plain-proto.js';
import type { SinkCall, WorkflowBundleExports, WorkflowCommand } from './protocol.js';
import { captureOrigin } from './origin.js';

/** How a pending operation (timer, activity, child, ...) is settled when its resolution job arrives. */
export interface Completion {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  /** Where workflow code started the operation (for the stack trace query). */
  origin: Error;
  /** Context for converting the resolution's payloads and failures. */
  context?: SerializationContext;
}

/** A `condition()` waiting for its predicate. */
export interface BlockedCondition {
  fn(): boolean;
  resolve(): void;
  origin: Error;
}

/** What `createRun` receives: the user's modules, as the run's evaluation of the bundle exported them. */
export type RuntimeBundle = WorkflowBundleExports;

/** The command kinds that end the workflow execution. */
export const TERMINAL_COMMANDS: ReadonlySet<WorkflowCommand['kind']> = new Set([
  'completeWorkflowExecution',
  'failWorkflowExecution',
  'cancelWorkflowExecution',
  'continueAsNewWorkflowExecution',
]);

type WorkflowFunction = (...args: unknown[]) => unknown;

/** Per-run state; see the module documentation. */
export class Activator {
  payloadConverter: PayloadConverter = defaultPayloadConverter;
  failureConverter: FailureConverter = defaultFailureConverter;
  /** Set by the initializeWorkflow job. */
  info!: WorkflowInfo;
  workflow?: WorkflowFunction;
  readonly interceptors: Required<WorkflowInterceptors> = { inbound: [], outbound: [], internals: [] };

  /** Pending operations by kind, keyed by their command's `seq`. */
  readonly completions = {
    timer: new Map<number, Completion>(),
    activity: new Map<number, Completion>(),
    childWorkflowStart: new Map<number, Completion>(),
    childWorkflowComplete: new Map<number, Completion>(),
    signalWorkflow: new Map<number, Completion>(),
    cancelWorkflow: new Map<number, Completion>(),
  };
  /** The next `seq` per command kind; each starts at 1, as in the official SDK. */
  readonly nextSeqs = { timer: 1, activity: 1, childWorkflow: 1, signalWorkflow: 1, cancelWorkflow: 1, condition: 1 };
  readonly blockedConditions = new Map<number, BlockedCondition>();
  readonly handlers = new HandlerRegistry();

  /** What the calling code runs in: its cancellation scope and, in an update handler, the update. */
  readonly context = new RunContextStorage<{ scope: CancellationScope; update: UpdateInfo }>();
  readonly rootScope: RootCancellationScope = new RootCancellationScope();

  /** Patches the history says were recorded (notifyHasPatch), sent as markers, and decided. */
  readonly patches = { known: new Set<string>(), sent: new Set<string>(), decisions: new Map<string, boolean>() };

  /** Commands of the current activation, with where each was issued. */
  commands: WorkflowCommand[] = [];
  origins: Error[] = [];
  /** Where the commands of the last concluded activation were issued (for `commandStack`). */
  lastOrigins: Error[] = [];
  sinkCalls: SinkCall[] = [];

  /** A terminal command was issued. */
  completed = false;
  /** The workflow was asked to cancel (cancelWorkflow job). */
  cancelled = false;
  /** The current activation holds queries only: no command other than respondToQuery is allowed. */
  queryMode = false;
  disposed = false;
  currentDetails = '';
  /** The first error that fails the workflow task; once set, the run stays failed. */
  taskError: { error: unknown } | undefined;

  constructor(
    readonly bundle: RuntimeBundle,
    readonly runId: string
  ) {}

  /**
   * Records a command of the current activation.
   *
   * @param origin where workflow code asked for it (defaults to the current stack)
   * @throws DeterminismViolationError when a query handler tries to issue a command
   */
  pushCommand(command: WorkflowCommand, origin?: Error): void {
    if (this.queryMode && command.kind !== 'respondToQuery') {
      throw new DeterminismViolationError(`Query handlers must not issue commands (got ${command.kind})`);
    }
    this.commands.push(withoutUndefined(command));
    this.origins.push(origin ?? captureOrigin(command.kind));
    if (TERMINAL_COMMANDS.has(command.kind)) this.completed = true;
  }

  /** Keeps the first error that fails the workflow task. */
  recordTaskError(error: unknown): void {
    if (this.taskError === undefined) this.taskError = { error };
  }

  workflowContext(): WorkflowSerializationContext {
    const info = this.info as WorkflowInfo | undefined; // undefined until initializeWorkflow
    return { type: 'workflow', namespace: info?.namespace ?? '', workflowId: info?.workflowId ?? '' };
  }

  toPayload(value: unknown, context: SerializationContext = this.workflowContext()): Payload {
    return this.payloadConverter.toPayload(value, context);
  }

  toPayloads(values: readonly unknown[], context: SerializationContext = this.workflowContext()): Payload[] {
    return values.map((value) => this.payloadConverter.toPayload(value, context));
  }

  errorToFailure(error: unknown, context: SerializationContext = this.workflowContext()): ProtoFailure {
    return this.failureConverter.errorToFailure(error, this.payloadConverter, context);
  }

  failureToError(failure: ProtoFailure, context: SerializationContext = this.workflowContext()): Error {
    return this.failureConverter.failureToError(failure, this.payloadConverter, context);
  }

  /** Removes and returns the pending operation `seq` of `kind`, if any. */
  takeCompletion(kind: keyof Activator['completions'], seq: number): Completion | undefined {
    const map = this.completions[kind];
    const completion = map.get(seq);
    if (completion !== undefined) map.delete(seq);
    return completion;
  }
}
