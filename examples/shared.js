// Runs an example end to end on the embedded dev server: server (in memory, free port) → worker →
// client → your scenario → clean shutdown. In a real app the server is `npx duraflow server start-dev`
// or a Temporal Cluster / Temporal Cloud, and the worker and client run in their own processes.
import { Client, Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';
import { DefaultLogger, Worker } from 'duraflow/worker';

/**
 * @param {{ workflowsPath: string, activities?: object, taskQueue: string }} options
 * @param {(client: Client) => Promise<unknown>} scenario
 */
export async function runExample({ workflowsPath, activities, taskQueue }, scenario) {
  const server = await DevServer.start({ port: 0, logLevel: 'error' });
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger(process.env.EXAMPLE_LOG_LEVEL ?? 'ERROR') });
    return await worker.runUntil(() => scenario(client));
  } finally {
    await connection.close();
    await server.stop();
  }
}

/** Path of a file next to the calling module. */
export const here = (importMetaUrl, file) => new URL(file, importMetaUrl).pathname;
