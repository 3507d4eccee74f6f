// Memory of the current process across all its V8 isolates: the main thread's and every worker
// thread's (both SDKs run workflow code in worker threads, whose heaps `process.memoryUsage()`
// does not count). Uses the inspector's NodeWorker domain to reach the threads; garbage-collects
// every isolate first so the figures are live memory.
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Runs `fn(session, threads)` with an inspector session attached to every worker thread of this process. */
async function withIsolates(fn) {
  const session = new Session();
  session.connect();
  try {
    const threads = await attachToWorkerThreads(session);
    const result = await fn(session, threads);
    await session.post('NodeWorker.disable');
    return result;
  } finally {
    session.disconnect();
  }
}

/** `{ rss, heapUsed, mainHeapUsed, isolates }` after a full GC of every isolate (bytes). */
export function measureProcessMemory() {
  return withIsolates(async (session, threads) => {
    await session.post('HeapProfiler.collectGarbage');
    let heapUsed = (await session.post('Runtime.getHeapUsage')).usedSize;
    const mainHeapUsed = heapUsed;
    for (const thread of threads) {
      await thread.call('HeapProfiler.collectGarbage');
      heapUsed += (await thread.call('Runtime.getHeapUsage')).usedSize;
    }
    return { rss: process.memoryUsage().rss, heapUsed, mainHeapUsed, isolates: threads.length + 1 };
  });
}

/**
 * Writes a heap snapshot of every isolate of this process (after a full GC each) to
 * `<dir>/<label>-main.heapsnapshot` and `<dir>/<label>-thread-<n>.heapsnapshot`; returns the paths.
 * bench/heap-summary.js compares two of them.
 */
export async function writeHeapSnapshots(dir, label) {
  await mkdir(dir, { recursive: true });
  return withIsolates(async (session, threads) => {
    const main = [];
    session.on('HeapProfiler.addHeapSnapshotChunk', ({ params }) => main.push(params.chunk));
    await session.post('HeapProfiler.collectGarbage');
    await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const paths = [join(dir, `${label}-main.heapsnapshot`)];
    await writeFile(paths[0], main.join(''));
    for (const [i, thread] of threads.entries()) {
      const chunks = [];
      thread.onEvent = (message) => {
        if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params.chunk);
      };
      await thread.call('HeapProfiler.collectGarbage');
      await thread.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      paths.push(join(dir, `${label}-thread-${i + 1}.heapsnapshot`));
      await writeFile(paths[i + 1], chunks.join(''));
    }
    return paths;
  });
}

/** One `{ call(method, params), onEvent }` per worker thread of this process. */
async function attachToWorkerThreads(session) {
  const sessionIds = [];
  const pending = new Map();
  const threads = new Map();
  let nextId = 0;
  session.on('NodeWorker.attachedToWorker', ({ params }) => sessionIds.push(params.sessionId));
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const message = JSON.parse(params.message);
    if (message.id === undefined) return threads.get(params.sessionId)?.onEvent(message);
    const settle = pending.get(message.id);
    if (!settle) return;
    pending.delete(message.id);
    settle(message);
  });
  await session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  // Attachment events for existing threads arrive right after enable.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return sessionIds.map((sessionId) => {
    const thread = {
      /** Receives the thread's inspector events (messages without an id). */
      onEvent: () => undefined,
      call(method, params = {}) {
        const id = ++nextId;
        return new Promise((resolve, reject) => {
          pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
          session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
        });
      },
    };
    threads.set(sessionId, thread);
    return thread;
  });
}
