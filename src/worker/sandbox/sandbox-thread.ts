/**
 * The main thread's handle on one sandbox thread: starts it, sends it requests as they come (the
 * thread runs them one at a time, in order, so a busy thread finds its next request waiting instead
 * of sleeping until it is woken for it), and runs the watchdog on the oldest unanswered request,
 * from when the one before it was answered: a request's time limit counts only its own execution.
 * A request that does not finish in time is answered by its `onTimeout` (after the stuck code's
 * stack was read), the thread is terminated, the requests behind it fail, and its owner is told
 * through `onExit`.
 *
 * @module
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { HostLogger } from '../bundler/host-logger.js';
import { sesScript } from './code-cache-location.js';
import { SandboxClosedError, SandboxRunLostError } from './errors.js';
import { threadEntry } from './thread-bundle.js';
import { deserializeError, type SerializedError } from './serialized-error.js';
import { isReplayingActivation, ReplayPoller } from './replay-polling.js';
import { captureThreadStack } from './stuck-stack.js';
import type { ThreadData, ThreadMessage, ThreadRequest, ThreadScripts } from './thread-messages.js';


/** How long reading a stuck thread's stack may take before it is terminated anyway. */
const STACK_CAPTURE_TIMEOUT_MS = 1000;

/** How long terminating a stuck thread may take before the sandbox stops waiting for it. */
const TERMINATE_TIMEOUT_MS = 5000;

/** How long evicted runs wait for a request to go with before they are sent on their own. */
export const DISCARD_DELAY_MS = 50;

/** Distributes `Omit` over a union (plain `Omit<Union, K>` collapses it). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type RequestBody = WithoutId<ThreadRequest>;

/** What a thread evaluates, and the bundle's sourceURL (stuck stacks keep only its frames). */
export interface SandboxScripts extends ThreadScripts {
  bundleUrl: string | undefined;
}

export interface SandboxThreadOptions {
  /** The scripts, posted to the thread once they are ready (the thread locks itself down meanwhile); a rejection fails its start. */
  scripts: Promise<SandboxScripts>;
  /** 0: no limit. */
  timeoutMs: number;
  logger: HostLogger;
  /** Called once when the thread is gone (terminated by the watchdog, crashed or exited), unless it was closed. */
  onExit: (thread: SandboxThread, reason: string) => void;
}

interface InFlight {
  id: number;
  runId: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onTimeout: (stack: string | undefined) => unknown;
  timer: NodeJS.Timeout | undefined;
}

type ThreadState = 'running' | 'stuck' | 'gone';

/** One sandbox thread (see the module doc). */
export class SandboxThread {
  /** Runs living in this thread. */
  readonly runs = new Set<string>();
  /** Settles when the thread has started (rejects with its startup error). */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  /** Carries requests and {@link ThreadMessage}s (a channel of its own, so replay can poll it). */
  private readonly port: MessagePort;
  private state: ThreadState = 'running';
  /** Requests sent and not answered yet, oldest first (the thread answers them in this order). */
  private readonly pending = new Map<number, InFlight>();
  private nextId = 0;
  /** Runs evicted since the last request was posted (see {@link discard}). */
  private discards: string[] = [];
  private discardTimer: NodeJS.Timeout | undefined;
  private exitReason = 'the sandbox thread stopped';
  private startedOk = false;
  private readonly onMessage: (message: ThreadMessage) => void;
  private readonly poller = new ReplayPoller();
  private bundleUrl: string | undefined;

  constructor(private readonly options: SandboxThreadOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: ThreadData = { port: port2, ses: sesScript() };
    // The thread keeps the process alive only while it starts or works on a request.
    this.worker = new Worker(threadEntry(), { workerData: data, transferList: [port2], name: 'duraflow-workflow-sandbox' });
    // Only the worker's own ref/unref decides whether the thread keeps the process alive.
    this.port.unref();
    let started: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.ready.catch(() => undefined);
    this.onMessage = (message: ThreadMessage) => {
      if (message.type === 'ready') {
        this.startedOk = true;
        if (this.pending.size === 0) this.worker.unref();
        started();
      } else if (message.type === 'startFailed') {
        failed(startError(message.error));
      } else {
        this.receive(message);
      }
    };
    this.port.on('message', this.onMessage);
    options.scripts.then(
      ({ code, runtimeCode, bundleUrl }) => {
        this.bundleUrl = bundleUrl;
        const scripts: ThreadScripts = { code, runtimeCode };
        if (this.state === 'running') this.port.postMessage(scripts);
      },
      (error: unknown) => {
        failed(error instanceof Error ? error : new Error(String(error)));
        void this.close();
      },
    );
    // While the watchdog handles a stuck thread, its own termination is expected: timedOut() reports it.
    this.worker.on('error', (error) => {
      failed(error);
      if (this.state === 'running') this.lose(`the sandbox thread crashed: ${error.message}`, error);
    });
    this.worker.on('exit', (code) => {
      failed(new Error(`The sandbox thread exited (code ${code}) before it was ready`));
      if (this.state === 'running') this.lose(`the sandbox thread exited with code ${code}`);
    });
  }

  /** Whether the thread ever finished starting. */
  get started(): boolean {
    return this.startedOk;
  }

  /** Whether the thread can take requests. */
  get alive(): boolean {
    return this.state === 'running';
  }

  /**
   * The thread's event-loop utilization: since it started, or (given an earlier reading) since then
   * (Node's `worker.performance.eventLoopUtilization`).
   */
  utilization(since?: EventLoopUtilization): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization(since);
  }

  /** Whether the thread has a request in flight (or is still starting). */
  get busy(): boolean {
    return this.pending.size > 0 || !this.startedOk;
  }

  /**
   * Sends a request (the thread runs it after the ones sent before). `onTimeout` gives the answer
   * when the request exceeds the time limit (an Error result rejects).
   */
  request<T>(body: RequestBody, onTimeout: (stack: string | undefined) => T | Error): Promise<T> {
    return this.send(body, onTimeout) as Promise<T>;
  }

  /**
   * Drops an evicted run in the thread without a message (and a wake-up) of its own: the run goes
   * with the next request posted, which the thread handles after dropping it, or after
   * {@link DISCARD_DELAY_MS} when no request follows.
   */
  discard(runId: string): void {
    if (this.state !== 'running') return;
    this.discards.push(runId);
    this.discardTimer ??= setTimeout(() => {
      this.discardTimer = undefined;
      if (this.discards.length > 0) this.send({ type: 'discard' }, () => undefined).catch(() => undefined);
    }, DISCARD_DELAY_MS).unref();
  }

  /** Terminates the thread; pending requests reject with SandboxClosedError. Does not call `onExit`. */
  async close(): Promise<void> {
    const wasAlive = this.state !== 'gone';
    this.state = 'gone';
    clearTimeout(this.discardTimer);
    this.exitReason = 'closed';
    this.failInFlight(new SandboxClosedError());
    this.port.close();
    if (wasAlive) await this.worker.terminate();
  }

  private async send(body: RequestBody, onTimeout: (stack: string | undefined) => unknown): Promise<unknown> {
    // Taken now, in call order: a run evicted after this call must not be dropped before it.
    const discard = this.takeDiscards();
    await this.ready;
    if (this.state !== 'running') throw this.lostError(body);
    return new Promise((resolve, reject) => {
      const id = ++this.nextId;
      const runId = runIdOf(body);
      const inFlight: InFlight = { id, runId, resolve, reject, onTimeout, timer: undefined };
      this.pending.set(id, inFlight);
      this.worker.ref();
      try {
        // (one literal: V8 adds properties to a spread copy slowly)
        this.port.postMessage(discard === undefined ? { id, ...body } : { id, ...body, discard });
      } catch (error) {
        if (discard !== undefined) this.discards.unshift(...discard); // they go with the next request instead
        this.settle(id);
        reject(error);
        return;
      }
      if (this.pending.size === 1) this.startWatchdog(inFlight);
      if (isReplayingActivation(body)) this.poller.poll(this.port, () => !this.pending.has(id), (message) => this.onMessage(message as ThreadMessage));
    });
  }

  private takeDiscards(): string[] | undefined {
    if (this.discards.length === 0) return undefined;
    const discards = this.discards;
    this.discards = [];
    return discards;
  }

  /** Times `inFlight`, the oldest unanswered request (the thread is running it now). */
  private startWatchdog(inFlight: InFlight): void {
    if (this.options.timeoutMs > 0) inFlight.timer = setTimeout(() => void this.timedOut(), this.options.timeoutMs);
  }

  private receive(message: Extract<ThreadMessage, { type: 'result' | 'log' }>): void {
    if (message.type === 'log') {
      this.options.logger[message.level](`Sandbox thread: ${message.message}`, message.runId === undefined ? {} : { runId: message.runId });
      return;
    }
    if (this.state !== 'running') return;
    const inFlight = this.settle(message.id);
    if (inFlight === undefined) return;
    if (message.ok) inFlight.resolve(message.value);
    else inFlight.reject(deserializeError(message.error));
  }

  /** Clears the unanswered request with this id and returns it; the next one's watchdog starts. */
  private settle(id: number): InFlight | undefined {
    const inFlight = this.pending.get(id);
    if (inFlight === undefined) return undefined;
    clearTimeout(inFlight.timer);
    this.pending.delete(id);
    const next = this.oldest();
    if (next === undefined) this.worker.unref();
    else if (next.timer === undefined && this.state === 'running') this.startWatchdog(next);
    return inFlight;
  }

  private oldest(): InFlight | undefined {
    for (const inFlight of this.pending.values()) return inFlight;
    return undefined;
  }

  /** The watchdog fired: read the stuck stack, terminate, answer the request with its timeout result. */
  private async timedOut(): Promise<void> {
    const inFlight = this.oldest();
    if (inFlight === undefined || this.state !== 'running') return;
    this.state = 'stuck';
    this.exitReason = 'its sandbox thread was restarted after a potential deadlock';
    const stack = await captureThreadStack(this.worker, this.bundleUrl, STACK_CAPTURE_TIMEOUT_MS);
    const terminated = await Promise.race([
      this.worker.terminate().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), TERMINATE_TIMEOUT_MS).unref()),
    ]);
    if (!terminated) this.options.logger.error('A stuck workflow sandbox thread did not terminate; it is abandoned', { threadId: this.worker.threadId });
    this.settle(inFlight.id);
    const answer = inFlight.onTimeout(stack);
    if (answer instanceof Error) inFlight.reject(answer);
    else inFlight.resolve(answer);
    this.lose(this.exitReason);
  }

  /** The thread is gone: fail what is in flight and tell the owner (once; not after close()). */
  private lose(reason: string, cause?: unknown): void {
    if (this.state === 'gone') return;
    this.state = 'gone';
    this.exitReason = reason;
    this.failInFlight(cause === undefined ? new Error(reason) : cause);
    this.options.onExit(this, reason);
  }

  private failInFlight(cause: unknown): void {
    for (const inFlight of [...this.pending.values()]) {
      this.settle(inFlight.id);
      inFlight.reject(cause instanceof SandboxClosedError ? cause : new SandboxRunLostError(inFlight.runId, this.exitReason, { cause }));
    }
  }

  private lostError(body: RequestBody): Error {
    if (this.exitReason === 'closed') return new SandboxClosedError();
    return new SandboxRunLostError(runIdOf(body), this.exitReason);
  }
}

/** The run a request is about. */
function runIdOf(body: RequestBody): string {
  switch (body.type) {
    case 'activate':
      return body.activation.runId;
    case 'replay':
      return body.run.runId;
    case 'commandStack':
      return body.runId;
    case 'discard':
      return '';
  }
}

function startError(error: SerializedError): Error {
  const cause = deserializeError(error);
  return new Error(`The workflow sandbox thread failed to start: ${error.message}`, { cause });
}
