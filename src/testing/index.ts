/**
 * Testing workflows and activities with duraflow. Names match `@temporalio/testing`, so tests
 * migrate by changing imports — but nothing is downloaded: the test environments run duraflow's
 * embedded dev server in the test's own process, ready in milliseconds.
 *
 * - {@link TestWorkflowEnvironment}: `createLocal()` (real time), `createTimeSkipping()` (timers
 *   fire as soon as nothing else is in flight while a test waits for a result; `env.sleep()`,
 *   `env.currentTimeMs()`), `createFromExistingServer()`. Each local environment has its own
 *   server and clock.
 * - {@link MockActivityEnvironment}: run an activity function in a real activity context, observe
 *   its heartbeats, cancel it.
 * - {@link replayHistoriesFromDirectory}: replay every recorded history in a folder against the
 *   current workflow code (the guard against non-deterministic changes).
 *
 * @example
 * ```ts
 * import { after, before, it } from 'node:test';
 * import assert from 'node:assert/strict';
 * import { TestWorkflowEnvironment } from 'duraflow/testing';
 * import { Worker } from 'duraflow/worker';
 *
 * let env: TestWorkflowEnvironment;
 * before(async () => (env = await TestWorkflowEnvironment.createTimeSkipping()));
 * after(() => env.teardown());
 *
 * it('sends the reminder after 30 days', async () => {
 *   const worker = await Worker.create({
 *     connection: env.nativeConnection,
 *     taskQueue: 'test',
 *     workflowsPath: new URL('./workflows.js', import.meta.url).pathname,
 *     activities: { sendReminder: async () => 'sent' },
 *   });
 *   const result = await worker.runUntil(
 *     env.client.workflow.execute('reminder', { taskQueue: 'test', workflowId: 'reminder-1', args: ['30 days'] }),
 *   );
 *   assert.equal(result, 'sent');
 * });
 * ```
 * @module
 */
export { TestWorkflowEnvironment } from './test-workflow-environment.js';
export {
  compileTestServerOptions,
  type ClientOptionsForTestEnv,
  type ExistingServerConnectionOptions,
  type ExistingServerTestWorkflowEnvironmentOptions,
  type LocalTestWorkflowEnvironmentOptions,
  type TestServerConfig,
  type TimeSkippingTestWorkflowEnvironmentOptions,
} from './environment-options.js';
export { TimeSkippingClient, TimeSkippingWorkflowClient } from './time-skipping-client.js';
export { MockActivityEnvironment, defaultActivityInfo, type MockActivityEnvironmentOptions } from './mock-activity-environment.js';
export {
  HistoryReplayFailedError,
  replayHistoriesFromDirectory,
  type HistoryReplaySummary,
  type ReplayHistoriesFromDirectoryOptions,
} from './replay-directory.js';
export {
  HISTORY_FILE_EXTENSIONS,
  listHistoryFiles,
  readHistoryFile,
  replayHistoryFiles,
  type HistoryFile,
  type HistoryFileReplayResult,
  type ListHistoryFilesOptions,
} from '../worker/replay/history-files.js';
