/**
 * The state of one workflow run inside the sandbox: pending operations by sequence number, message
 * handlers, cancellation scopes, the commands and sink calls of the current activation, and the
 * converters. Job handling lives in the sibling modules; this class only holds state and the few
 * primitives everything shares (issuing commands, converting values, recording task errors).
 *
 * @module
 */
import type { FailureExceptionTypes } from './failure-exception-types.js';
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
import { PendingCompletions } from './pending-completions.js';

export type { Completion, CompletionKind } from './pending-completions.js';

/** A `condition()` waiting for its predicate. */
export interface BlockedCondition {
  fn(): boolean;
  resolve(): void;
  origin: Error;
}

/** What a run knows about its patches (see `patches.ts`). */
export interface PatchState {
  /** Patches the history says were recorded (notifyHasPatch jobs). */
  readonly known: Set<string>;
  /** Patches whose marker this run has sent. */
  readonly sent: Set<string>;
  /** Each patch's decision, made once per run. */
  readonly decisions: Map<string, boolean>;
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

/** The interceptors a run's workflow interceptor modules returned, by kind, in module order. */
export type RunInterceptors = { readonly [K in keyof Required<WorkflowInterceptors>]: Readonly<Required<WorkflowInterceptors>[K]> };

const NO_INTERCEPTORS: RunInterceptors = Object.freeze({
  inbound: Object.freeze([]),
  outbound: Object.freeze([]),
  internals: Object.freeze([]),
});

/** Per-run state; see the module documentation. */
export class Activator {
  payloadConverter: PayloadConverter = defaultPayloadConverter;
  failureConverter: FailureConverter = defaultFailureConverter;
  /** Set by the initializeWorkflow job. */
  info!: WorkflowInfo;
  workflow?: WorkflowFunction;
  /** The run's interceptors (one frozen empty set shared by every run that has none). */
  interceptors: RunInterceptors = NO_INTERCEPTORS;
  /** Errors that fail the execution rather than the task, when configured (see failure-exception-types.ts). */
  failureExceptionTypes?: FailureExceptionTypes;

  /** Pending operations by kind, keyed by their command's `seq`. */
  readonly completions = new PendingCompletions();
  /** The next `seq` per command kind; each starts at 1, as in the official SDK. */
  readonly nextSeqs = { timer: 1, activity: 1, childWorkflow: 1, signalWorkflow: 1, cancelWorkflow: 1, condition: 1 };
  readonly blockedConditions = new Map<number, BlockedCondition>();
  readonly handlers = new HandlerRegistry();

  /** What the calling code runs in: its cancellation scope and, in an update handler, the update. */
  readonly context = new RunContextStorage<{ scope: CancellationScope; update: UpdateInfo }>();
  readonly rootScope: RootCancellationScope = new RootCancellationScope();

  #patches: PatchState | undefined;

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

  /**
   * The user's modules, until the workflow is initialized: then only the workflow function, the
   * converters and the interceptors are needed, and a cached run lets the bundle's exports go.
   */
  bundle: RuntimeBundle | undefined;

  constructor(
    bundle: RuntimeBundle,
    readonly runId: string
  ) {
    this.bundle = bundle;
  }

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

  /** Patches the history says were recorded (notifyHasPatch), sent as markers, and decided (made on first use: most runs use none). */
  get patches(): PatchState {
    return (this.#patches ??= { known: new Set(), sent: new Set(), decisions: new Map() });
  }
}
