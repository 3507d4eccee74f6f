// Shared helpers for the interop suite: the official Temporal TypeScript SDK against duraflow's
// dev server. Not a test file (no .test.js suffix).
import { after, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';

export const DURAFLOW_BIN = new URL('../../bin/duraflow.js', import.meta.url).pathname;
export const FIXTURES = new URL('../fixtures/interop/', import.meta.url);
export const EventType = proto.temporal.api.enums.v1.EventType;

/** Per-test bound, so a server that never answers fails the test instead of hanging the suite. */
export const SCENARIO_TIMEOUT = { timeout: 60_000 };

let runtimeInstalled = false;
/**
 * Keep the official worker's logs quiet: expected failures (failing activities and workflow tasks)
 * would otherwise log warnings. Set INTEROP_LOG_LEVEL=WARN (or DEBUG) to see them. Call before
 * anything else touches the SDK runtime.
 */
export function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = process.env.INTEROP_LOG_LEVEL ?? 'ERROR';
  try {
    Runtime.install({
      logger: new DefaultLogger(level),
      telemetryOptions: { logging: { filter: { core: level, other: level } } },
    });
  } catch {
    // Already installed by someone else in this process: keep theirs.
  }
}

/** Start duraflow's dev server through the official test environment, exactly as a user would. */
export async function createLocalEnv() {
  installQuietRuntime();
  return await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: DURAFLOW_BIN } },
  });
}

export async function bundle(fixtureFile) {
  return await bundleWorkflowCode({
    workflowsPath: new URL(fixtureFile, FIXTURES).pathname,
    logger: new DefaultLogger(process.env.INTEROP_LOG_LEVEL ?? 'ERROR'),
  });
}

/**
 * Registers a suite's hooks: one server and one bundle of `fixtureFile` for all its tests.
 * `suite.withWorker(t, scenario, taskQueue?)` runs a scenario under `t`'s timeout while an official
 * worker polls a fresh (or the given) task queue.
 */
export function interopSuite({ activities, queuePrefix, fixtureFile = 'workflows.js' }) {
  const suite = {
    env: undefined,
    workflowBundle: undefined,
    async withWorker(t, scenario, taskQueue = uid(queuePrefix)) {
      const { env, workflowBundle } = suite;
      const options = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, workflowBundle, activities };
      return await runWorker(t?.signal, options, scenario);
    },
  };
  before(async () => {
    [suite.env, suite.workflowBundle] = await Promise.all([createLocalEnv(), bundle(fixtureFile)]);
  });
  after(async () => {
    await suite.env?.teardown();
  });
  return suite;
}

/**
 * Run `scenario(taskQueue)` while an official worker with `options` polls. When the test is
 * aborted (its timeout expired), the scenario is abandoned and the worker shut down, so a server
 * that never answers fails the test instead of hanging the run. `signal` defaults to 60 s.
 */
export async function runWorker(signal, options, scenario) {
  const worker = await Worker.create(options);
  return await worker.runUntil(untilAborted(scenario(options.taskQueue), signal ?? AbortSignal.timeout(60_000)));
}

/** `promise`, or a rejection once `signal` aborts. */
export function untilAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error(`scenario abandoned: ${signal.reason?.message ?? signal.reason}`));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export function uid(prefix) {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Poll `fn` until it returns a truthy value; fail after `timeoutMs` (a generous bound). Errors
 * thrown by `fn` count as "not yet", except those with `fatal: true`.
 */
export async function waitFor(what, fn, { timeoutMs = 30_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      if (err?.fatal) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The events of a workflow's history (official client, paging handled by fetchHistory). */
export async function historyEvents(handle) {
  const history = await handle.fetchHistory();
  return history.events ?? [];
}

export function eventTypeName(event) {
  const name = EventType[event.eventType];
  return typeof name === 'string' ? name.replace(/^EVENT_TYPE_/, '') : String(event.eventType);
}

export function eventsOfType(events, typeName) {
  return events.filter((e) => eventTypeName(e) === typeName);
}

export function summarizeHistory(events) {
  return events.map((e) => `${Number(e.eventId)}:${eventTypeName(e)}`).join(' ');
}

/** Event ids start at 1 and are contiguous. */
export function assertContiguousEventIds(assert, events, label = '') {
  events.forEach((e, i) => {
    assert.equal(Number(e.eventId), i + 1, `${label} event #${i} has id ${Number(e.eventId)}: ${summarizeHistory(events)}`);
  });
}

/** Decode a JSON payload's data (as produced by the default payload converter). */
export function decodePayload(payload) {
  if (!payload?.data) return undefined;
  return JSON.parse(Buffer.from(payload.data).toString('utf8'));
}

/** Patch ids recorded in MarkerRecorded events of a history. */
export function patchMarkerIds(events) {
  const ids = [];
  for (const e of eventsOfType(events, 'MARKER_RECORDED')) {
    const attrs = e.markerRecordedEventAttributes;
    for (const payloads of Object.values(attrs.details ?? {})) {
      for (const p of payloads.payloads ?? []) {
        const text = Buffer.from(p.data ?? []).toString('utf8');
        try {
          const decoded = JSON.parse(text);
          if (decoded && typeof decoded.id === 'string') ids.push(decoded.id);
        } catch {
          // not JSON: ignore
        }
      }
    }
  }
  return ids;
}
