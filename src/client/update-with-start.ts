/**
 * Update-with-start: start a workflow (or use the running one) and send it an update in one
 * ExecuteMultiOperation call. The start half is described by a {@link WithStartWorkflowOperation}.
 */
import { temporal } from '../proto/index.js';
import type { UpdateDefinition, Workflow } from '../common/definitions.js';
import type { HandleContext } from './handle-context.js';
import {
  composeInterceptors,
  type WorkflowClientInterceptor,
  type WorkflowStartUpdateWithStartInput,
  type WorkflowStartUpdateWithStartOutput,
} from './interceptors.js';
import {
  compileUpdateRequest,
  makeUpdateHandle,
  pollOutcome,
  toUpdateError,
  type WorkflowUpdateHandle,
  type WorkflowUpdateOptions,
  type WorkflowUpdateStage,
} from './update-handle.js';
import { WorkflowHandleImpl, type WorkflowHandle } from './workflow-handle.js';
import {
  compileStartRequest,
  compileWorkflowOptions,
  workflowTypeName,
  WorkflowIdConflictPolicy,
  type WorkflowStartOptions,
} from './workflow-options.js';

const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;

const settle = Symbol('settle');
const used = Symbol('used');

/**
 * The workflow to start in `executeUpdateWithStart` / `startUpdateWithStart`. A
 * `workflowIdConflictPolicy` is required: `'USE_EXISTING'` sends the update to a running workflow
 * with the same id, `'FAIL'` rejects. Each operation can be used once.
 *
 * @example
 * ```ts
 * const startOp = new WithStartWorkflowOperation(cart, {
 *   workflowId: 'cart-42', taskQueue: 'shop', args: [], workflowIdConflictPolicy: 'USE_EXISTING',
 * });
 * const total = await client.workflow.executeUpdateWithStart(addItem, { args: ['book'], startWorkflowOperation: startOp });
 * const handle = await startOp.workflowHandle();
 * ```
 */
export class WithStartWorkflowOperation<T extends Workflow> {
  /** @internal */
  [used] = false;
  /** @internal */
  [settle]: { resolve(handle: WorkflowHandle<T>): void; reject(error: unknown): void };
  private readonly handlePromise: Promise<WorkflowHandle<T>>;

  constructor(
    readonly workflowTypeOrFunc: string | T,
    readonly options: WorkflowStartOptions<T> & { workflowIdConflictPolicy: WorkflowIdConflictPolicy },
  ) {
    workflowTypeName(workflowTypeOrFunc);
    const policy = (options as { workflowIdConflictPolicy?: unknown } | undefined)?.workflowIdConflictPolicy;
    if (typeof policy !== 'string' || !(policy in WorkflowIdConflictPolicy)) {
      throw new TypeError(
        `WithStartWorkflowOperation needs options.workflowIdConflictPolicy (one of ${Object.keys(WorkflowIdConflictPolicy).join(', ')}); got ${String(policy)}`,
      );
    }
    let settler!: WithStartWorkflowOperation<T>[typeof settle];
    this.handlePromise = new Promise<WorkflowHandle<T>>((resolve, reject) => (settler = { resolve, reject }));
    this.handlePromise.catch(() => undefined); // rejected together with the call; not an unhandled rejection
    this[settle] = settler;
  }

  /** The started (or existing) workflow's handle; rejects if the start failed. */
  async workflowHandle(): Promise<WorkflowHandle<T>> {
    return this.handlePromise;
  }
}

/** Options of `executeUpdateWithStart`. */
export type WorkflowUpdateWithStartOptions<T extends Workflow, Args extends unknown[]> = WorkflowUpdateOptions & {
  args?: Args;
  startWorkflowOperation: WithStartWorkflowOperation<T>;
};

function checkOptions(options: unknown, method: string): { args?: unknown[]; startWorkflowOperation: WithStartWorkflowOperation<Workflow> } {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${method} options are required`);
  const o = options as { args?: unknown; startWorkflowOperation?: unknown };
  if (!(o.startWorkflowOperation instanceof WithStartWorkflowOperation)) {
    throw new TypeError(`${method} options.startWorkflowOperation must be a WithStartWorkflowOperation`);
  }
  if (o.args !== undefined && !Array.isArray(o.args)) throw new TypeError(`${method} options.args must be an array`);
  if (o.startWorkflowOperation[used]) throw new Error('This WithStartWorkflowOperation instance has already been executed.');
  return o as { args?: unknown[]; startWorkflowOperation: WithStartWorkflowOperation<Workflow> };
}

/** What the ExecuteMultiOperation handler reports back: the start response, once. */
type OnStart = (runId: string) => void;

/** The last link of the `startUpdateWithStart` chain: ExecuteMultiOperation until the update is durable. */
async function updateWithStartHandler(
  ctx: HandleContext,
  waitForStage: WorkflowUpdateStage,
  onStart: OnStart,
  input: WorkflowStartUpdateWithStartInput,
): Promise<WorkflowStartUpdateWithStartOutput> {
  const { workflowId } = input.workflowStartOptions;
  const start = await compileStartRequest(ctx, { workflowType: input.workflowType, options: input.workflowStartOptions, headers: input.workflowStartHeaders });
  const update = await compileUpdateRequest(ctx, waitForStage, {
    updateName: input.updateName,
    args: input.updateArgs,
    workflowExecution: { workflowId },
    headers: input.updateHeaders,
    options: input.updateOptions,
  });
  const request = { namespace: ctx.namespace, operations: [{ startWorkflow: start }, { updateWorkflow: update }] };
  const call = { call: 'ExecuteMultiOperation', namespace: ctx.namespace, workflowId, workflowType: input.workflowType };
  for (;;) {
    let response;
    try {
      response = await ctx.connection.workflowService.executeMultiOperation(request);
    } catch (err) {
      throw toUpdateError(err, call);
    }
    const [startResponse, updateResponse] = response.responses ?? [];
    onStart(startResponse?.startWorkflow?.runId ?? '');
    const u = updateResponse?.updateWorkflow;
    if (u && (u.stage ?? 0) >= Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED) {
      const runId = u.updateRef?.workflowExecution?.runId ?? startResponse?.startWorkflow?.runId ?? '';
      return { workflowExecution: { workflowId, runId }, updateId: update.request?.meta?.updateId ?? '', updateOutcome: u.outcome ?? undefined };
    }
  }
}

/**
 * Runs update-with-start through the interceptors; resolves the operation's workflow handle as
 * soon as the server answers the start, or rejects it if the call fails before that.
 */
export async function runUpdateWithStart<Ret>(
  ctx: HandleContext,
  interceptorsFor: (workflowId: string) => WorkflowClientInterceptor[],
  updateDef: UpdateDefinition<Ret, never> | { name: string } | string,
  options: unknown,
  waitForStage: WorkflowUpdateStage,
): Promise<WorkflowUpdateHandle<Ret>> {
  const method = waitForStage === 'COMPLETED' ? 'executeUpdateWithStart' : 'startUpdateWithStart';
  const updateName = typeof updateDef === 'string' ? updateDef : updateDef?.name;
  if (typeof updateName !== 'string' || updateName.length === 0) throw new TypeError('Update name must be a non-empty string');
  const { args, startWorkflowOperation: op, ...rest } = checkOptions(options, method);
  const { waitForStage: _stage, ...updateOptions } = rest as WorkflowUpdateOptions & { waitForStage?: unknown };
  const workflowType = workflowTypeName(op.workflowTypeOrFunc);
  const workflowStartOptions = compileWorkflowOptions(op.options);
  op[used] = true;
  const { workflowId } = workflowStartOptions;
  const interceptors = interceptorsFor(workflowId);
  let started = false;
  const onStart: OnStart = (runId) => {
    if (started) return;
    started = true;
    const followRuns = op.options.followRuns ?? true;
    op[settle].resolve(new WorkflowHandleImpl(ctx, workflowId, undefined, { firstExecutionRunId: runId, interceptors, followRuns }));
  };
  const fn = composeInterceptors(interceptors, 'startUpdateWithStart', (input: WorkflowStartUpdateWithStartInput) =>
    updateWithStartHandler(ctx, waitForStage, onStart, input),
  );
  let output: WorkflowStartUpdateWithStartOutput;
  try {
    output = await fn({
      workflowType,
      workflowStartOptions,
      workflowStartHeaders: {},
      updateName,
      updateArgs: args ?? [],
      updateOptions,
      updateHeaders: {},
    });
  } catch (err) {
    if (!started) op[settle].reject(err);
    throw err;
  }
  if (!started) op[settle].reject(new Error(`${method}: an interceptor answered without starting workflow '${workflowId}'`));
  const target = output.workflowExecution;
  const outcome = output.updateOutcome ?? (waitForStage === 'COMPLETED' ? await pollOutcome(ctx, target, output.updateId) : undefined);
  return makeUpdateHandle<Ret>(ctx, target, output.updateId, outcome);
}
