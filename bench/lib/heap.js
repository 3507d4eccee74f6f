// Memory of the current process across all its V8 isolates: the main thread's and every worker
// thread's (both SDKs run workflow code in worker threads, whose heaps `process.memoryUsage()`
// does not count). Uses the inspector's NodeWorker domain to reach the threads; garbage-collects
// every isolate first so the figures are live memory.
import { Session } from 'node:inspector/promises';

/** `{ rss, heapUsed, mainHeapUsed, isolates }` after a full GC of every isolate (bytes). */
export async function measureProcessMemory() {
  const session = new Session();
  session.connect();
  try {
    const threads = await attachToWorkerThreads(session);
    await session.post('HeapProfiler.collectGarbage');
    let heapUsed = (await session.post('Runtime.getHeapUsage')).usedSize;
    const mainHeapUsed = heapUsed;
    for (const thread of threads) {
      await thread.call('HeapProfiler.collectGarbage');
      heapUsed += (await thread.call('Runtime.getHeapUsage')).usedSize;
    }
    await session.post('NodeWorker.disable');
    return { rss: process.memoryUsage().rss, heapUsed, mainHeapUsed, isolates: threads.length + 1 };
  } finally {
    session.disconnect();
  }
}

/** One `{ call(method, params) }` per worker thread of this process. */
async function attachToWorkerThreads(session) {
  const sessionIds = [];
  const pending = new Map();
  let nextId = 0;
  session.on('NodeWorker.attachedToWorker', ({ params }) => sessionIds.push(params.sessionId));
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const message = JSON.parse(params.message);
    const settle = pending.get(message.id);
    if (!settle) return;
    pending.delete(message.id);
    settle(message);
  });
  await session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  // Attachment events for existing threads arrive right after enable.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return sessionIds.map((sessionId) => ({
    call(method, params = {}) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
        session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
    },
  }));
}
