// Load generation from the benchmark process: K concurrent starters over a shared count of
// workflows, each either starting a workflow or executing it (start, then wait for the result).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';

/** An embedded dev server plus a duraflow client connected to it. */
export async function startServer(options = {}) {
  const server = await DevServer.start({ port: 0, logLevel: 'error', ...options });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  return {
    server,
    client,
    address: server.address,
    async stop() {
      await connection.close();
      await server.stop();
    },
  };
}

export function uid(prefix) {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Runs `count` workflows of `workflowType` on `taskQueue` with `concurrency` starters. With
 * `awaitResult` each starter waits for the result (checked against `expected(i)`) before starting
 * the next. Resolves with the elapsed seconds and each workflow's start→result latency (ms).
 */
export async function runWorkflows(client, { workflowType, taskQueue, count, concurrency, awaitResult = true, expected, args = (i) => [i] }) {
  const prefix = uid(workflowType);
  const latencies = [];
  let next = 0;
  const starter = async () => {
    while (next < count) {
      const i = next++;
      const options = { taskQueue, workflowId: `${prefix}-${i}`, args: args(i) };
      const started = performance.now();
      if (!awaitResult) {
        await client.workflow.start(workflowType, options);
        continue;
      }
      const result = await client.workflow.execute(workflowType, options);
      latencies.push(performance.now() - started);
      if (expected && result !== expected(i)) throw new Error(`${workflowType} ${i} returned ${JSON.stringify(result)}, expected ${JSON.stringify(expected(i))}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, starter));
  return { seconds: (performance.now() - started) / 1000, latencies };
}
