/**
 * Reads where a stuck sandbox thread is executing, before it is terminated: a main-thread inspector
 * session attaches to the thread (`NodeWorker.enable`), enables its debugger and pauses it
 * (`Debugger.pause` interrupts even `while (true) {}` and endless promise loops), reads the paused
 * call frames, then resumes it (`Debugger.disable`): a thread left paused in the debugger can never
 * be terminated, so the resume is attempted whatever happened before. Reading is bounded by a
 * deadline; on any failure the result is `undefined`.
 *
 * @module
 */
import type * as Inspector from 'node:inspector';
import type { Worker } from 'node:worker_threads';

interface PausedFrame {
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber: number };
}

interface WorkerMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
}

/** How long the final resume may take once reading has ended. */
const RESUME_TIMEOUT_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One inspector conversation with one worker thread. */
class ThreadDebugger {
  private readonly scriptUrls = new Map<string, string>();
  private readonly replies = new Map<number, (message: WorkerMessage) => void>();
  private readonly frames: Promise<PausedFrame[]>;
  private onPaused: (frames: PausedFrame[]) => void = () => undefined;
  private sessionId: Promise<string>;
  private nextId = 0;
  private debuggerEnabled = false;

  constructor(
    private readonly session: Inspector.Session,
    worker: Worker
  ) {
    this.frames = new Promise((resolve) => (this.onPaused = resolve));
    this.sessionId = new Promise((resolve) => {
      // `workerId` is numbered per inspector session; the title is "[worker <threadId>] <name>".
      const title = `[worker ${worker.threadId}]`;
      session.on('NodeWorker.attachedToWorker', (message: { params: { sessionId: string; workerInfo: { title: string } } }) => {
        const workerTitle = message.params.workerInfo.title;
        if (workerTitle === title || workerTitle.startsWith(`${title} `)) resolve(message.params.sessionId);
      });
    });
    session.on('NodeWorker.receivedMessageFromWorker', (message: { params: { message: string } }) => this.receive(message.params.message));
  }

  /** Pauses the thread and returns its call frames as stack lines. */
  async read(bundleUrl: string | undefined): Promise<string> {
    await this.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    this.debuggerEnabled = true;
    await this.send('Debugger.enable');
    await this.send('Debugger.pause');
    return this.format(await this.frames, bundleUrl);
  }

  /** Resumes the thread (if the debugger was ever enabled in it). */
  async release(): Promise<void> {
    if (this.debuggerEnabled) await withTimeout(this.send('Debugger.disable'), RESUME_TIMEOUT_MS);
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as WorkerMessage;
    if (message.id !== undefined) this.replies.get(message.id)?.(message);
    else if (message.method === 'Debugger.scriptParsed') this.scriptUrls.set(String(message.params?.['scriptId']), String(message.params?.['url']));
    else if (message.method === 'Debugger.paused') this.onPaused((message.params?.['callFrames'] ?? []) as PausedFrame[]);
  }

  private post(method: string, params: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  }

  private async send(method: string): Promise<WorkerMessage> {
    const sessionId = await this.sessionId;
    const id = ++this.nextId;
    const reply = new Promise<WorkerMessage>((resolve) => this.replies.set(id, resolve));
    await this.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    return reply;
  }

  /** V8-style stack lines (1-based); with `bundleUrl`, only that script's frames when there are any. */
  private format(frames: readonly PausedFrame[], bundleUrl: string | undefined): string {
    const lines = frames.map((frame) => {
      const url = this.scriptUrls.get(frame.location.scriptId) ?? `<script ${frame.location.scriptId}>`;
      const name = frame.functionName === '' ? '<anonymous>' : frame.functionName;
      return { url, text: `    at ${name} (${url}:${frame.location.lineNumber + 1}:${frame.location.columnNumber + 1})` };
    });
    const inBundle = lines.filter((line) => line.url === bundleUrl);
    return (inBundle.length > 0 ? inBundle : lines).map((line) => line.text).join('\n');
  }
}

/**
 * The stack of the code a worker thread is running, or `undefined` if it could not be read within
 * `timeoutMs`. With `bundleUrl`, only the frames in that script are kept (when there are any).
 *
 * @example
 * ```ts
 * const stack = await captureThreadStack(worker, 'workflow-bundle-0123abcd.js', 1000);
 * await worker.terminate();
 * ```
 */
export async function captureThreadStack(worker: Worker, bundleUrl: string | undefined, timeoutMs: number): Promise<string | undefined> {
  let inspector: typeof Inspector;
  try {
    inspector = await import('node:inspector');
  } catch {
    return undefined;
  }
  const session = new inspector.Session();
  const threadDebugger = new ThreadDebugger(session, worker);
  try {
    session.connect();
    return await withTimeout(threadDebugger.read(bundleUrl), timeoutMs);
  } catch {
    return undefined;
  } finally {
    await threadDebugger.release().catch(() => undefined);
    try {
      session.disconnect();
    } catch {
      // already disconnected
    }
  }
}
