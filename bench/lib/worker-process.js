// The parent side of bench/worker-child.js: a worker of one SDK in its own process, so its startup,
// CPU and memory are its own. Every started process is killed when the benchmark exits.
import { fork } from 'node:child_process';

const CHILD = new URL('../worker-child.js', import.meta.url).pathname;
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Node flags for worker processes, from BENCH_WORKER_NODE_OPTIONS (all SDKs) or
 * BENCH_<SDK>_NODE_OPTIONS, e.g. `BENCH_DURAFLOW_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof'`
 * to profile duraflow's worker processes (profiles are written when they stop gracefully).
 */
export function workerExecArgv(sdk) {
  const flags = process.env[`BENCH_${sdk.toUpperCase()}_NODE_OPTIONS`] ?? process.env.BENCH_WORKER_NODE_OPTIONS ?? '';
  return flags.split(/\s+/).filter(Boolean);
}

export class WorkerProcess {
  /** Wall-clock time (ms) just before the process was spawned. */
  spawnedAt = 0;
  /** Marks reported by the child once `worker.run()` was called (see worker-child.js). */
  marks = undefined;
  #child;
  #nextId = 0;
  #pending = new Map();
  /** How the process ended (`'exit code 1'`, `'signal SIGSEGV'`), once it has. */
  #ended;
  #stopping = false;

  /**
   * Spawns a worker process and resolves once its worker is running.
   * @param {{ sdk: string, address: string, taskQueue: string, maxCachedWorkflows?: number }} config
   * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options] env: added to the child's environment
   */
  static async start(config, { timeoutMs = 120_000, env = {} } = {}) {
    const worker = new WorkerProcess();
    await worker.#spawn(config, timeoutMs, env);
    return worker;
  }

  async #spawn(config, timeoutMs, env) {
    this.spawnedAt = Date.now();
    const child = fork(CHILD, [JSON.stringify(config)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: workerExecArgv(config.sdk),
      env: { ...process.env, ...env },
    });
    this.#child = child;
    live.add(child);
    child.on('exit', (code, signal) => {
      live.delete(child);
      this.#ended = signal ? `signal ${signal}` : `exit code ${code}`;
      if (!this.#stopping) console.error(`[bench] ${config.sdk} worker process ended unexpectedly (${this.#ended})`);
      for (const settle of this.#pending.values()) settle({ error: `${config.sdk} worker process ended (${this.#ended})` });
      this.#pending.clear();
    });
    // A send to a process that just ended fails here (and in request()), not as an unhandled 'error' event.
    child.on('error', (error) => console.error(`[bench] ${config.sdk} worker process: ${error.message}`));
    child.on('message', (message) => this.#onMessage(message));
    this.marks = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${config.sdk} worker did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      child.once('exit', (code) => reject(new Error(`${config.sdk} worker process exited with ${code} before running`)));
      this.#onRunning = (marks) => {
        clearTimeout(timer);
        resolve(marks);
      };
    });
  }

  #onRunning = () => undefined;

  #onMessage(message) {
    if (message?.type === 'running') return this.#onRunning(message.marks);
    const settle = this.#pending.get(message?.id);
    if (!settle) return;
    this.#pending.delete(message.id);
    settle(message);
  }

  /** Sends a request ('status', 'memory', 'stop') and resolves with the reply. */
  async request(type) {
    const id = ++this.#nextId;
    if (this.#ended) throw new Error(`worker request ${type} failed: the worker process ended (${this.#ended})`);
    const reply = await new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#child.send({ id, type }, (error) => {
        if (error && this.#pending.delete(id)) resolve({ error: error.message });
      });
    });
    if (reply.error) throw new Error(`worker request ${type} failed: ${reply.error}`);
    return reply;
  }

  /**
   * Waits until the worker's cache holds at least `count` runs (exactly `count` with `exact`) and the
   * count has not changed for three polls 200 ms apart. (Cache size, not in-flight activations:
   * duraflow's getStatus() counts slots reserved by its pollers as in flight.)
   */
  async waitForCached(count, { exact = false, timeoutMs = 600_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    const history = [];
    for (;;) {
      const status = await this.request('status');
      history.push(status.cached);
      const recent = history.slice(-3);
      const reached = exact ? status.cached === count : status.cached >= count;
      if (reached && recent.length === 3 && recent.every((c) => c === status.cached)) return status;
      if (Date.now() > deadline) throw new Error(`worker cached ${status.cached} of ${count} runs within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Freezes the process (SIGSTOP) until {@link resume}, so that nothing it does (an idle worker's
   * occasional GC, its empty long polls) takes CPU from another worker's measurement. No-op on Windows.
   */
  pause() {
    if (process.platform !== 'win32') this.#child?.kill('SIGSTOP');
  }

  /** Lets a {@link pause}d process run again. */
  resume() {
    if (process.platform !== 'win32') this.#child?.kill('SIGCONT');
  }

  /** Graceful shutdown (or SIGKILL with `force`, or when it takes longer than `timeoutMs`). */
  async stop({ force = false, timeoutMs = 30_000 } = {}) {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.#stopping = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (force) child.kill('SIGKILL');
    else this.request('stop').catch(() => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
