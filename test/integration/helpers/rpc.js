// Raw gRPC access to duraflow's dev server for the integration suite: a generic grpc-js client built
// from the public `duraflow/proto` service definition, a promise wrapper, and gRPC-error decoding.
// Not a test file (no .test.js suffix); public subpaths only.
import assert from 'node:assert/strict';
import { credentials, makeGenericClientConstructor, Metadata, status } from '@grpc/grpc-js';
import { DevServer } from 'duraflow/server';
import { decodeStatusDetails, workflowServiceDefinition } from 'duraflow/proto';

export { status };

const WorkflowServiceClient = makeGenericClientConstructor(workflowServiceDefinition, 'WorkflowService');

/** A raw WorkflowService client for `address` (host:port), plaintext. Close it with `.close()`. */
export function workflowServiceClient(address) {
  return new WorkflowServiceClient(address, credentials.createInsecure());
}

/**
 * Calls a unary WorkflowService method by its proto name and resolves with the decoded response.
 * `deadlineMs` sets a gRPC deadline relative to now.
 */
export function call(client, method, request, { deadlineMs, metadata } = {}) {
  const fn = client[method];
  if (typeof fn !== 'function') throw new TypeError(`WorkflowService has no method ${method}`);
  const options = deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs };
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata ?? new Metadata(), options, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/** The decoded `grpc-status-details-bin` detail messages of a gRPC error (empty when absent). */
export function statusDetailsOf(error) {
  const bin = error?.metadata?.get('grpc-status-details-bin')?.[0];
  if (!bin) return [];
  return decodeStatusDetails(bin).details;
}

/** The name of a gRPC status code, for readable assertion messages. */
export function statusName(code) {
  return Object.keys(status).find((k) => status[k] === code) ?? String(code);
}

/**
 * Awaits `promise`, asserts it rejects with gRPC `code` and a message matching `message` (RegExp or
 * substring), and returns the error with its decoded `statusDetails`.
 */
export async function expectRpcError(promise, code, message) {
  let response;
  try {
    response = await promise;
  } catch (error) {
    assert.equal(
      statusName(error.code),
      statusName(code),
      `expected gRPC ${statusName(code)} but got ${statusName(error.code)}: ${error.details ?? error.message}`,
    );
    const text = error.details ?? '';
    if (message instanceof RegExp) assert.match(text, message);
    else if (message !== undefined) assert.ok(text.includes(message), `expected message to include ${JSON.stringify(message)}, got ${JSON.stringify(text)}`);
    error.statusDetails = statusDetailsOf(error);
    return error;
  }
  assert.fail(`expected gRPC ${statusName(code)} but the call succeeded with ${JSON.stringify(response)}`);
}

/** The detail message of `typeName` (short or full proto name) on a decoded error, or undefined. */
export function detailOf(error, typeName) {
  return (error.statusDetails ?? statusDetailsOf(error)).find(
    (d) => d.typeName === typeName || d.typeName.endsWith(`.${typeName}`),
  );
}

/**
 * Starts an in-process dev server on a free port and a raw client to it. Returns
 * `{ server, client, address, call(method, request, options), stop() }`.
 */
export async function startServer(options = {}) {
  const server = await DevServer.start({ port: 0, ...options });
  const client = workflowServiceClient(server.address);
  let stopped = false;
  return {
    server,
    client,
    address: server.address,
    call: (method, request, callOptions) => call(client, method, request, callOptions),
    async stop() {
      if (stopped) return;
      stopped = true;
      client.close();
      await server.stop();
    },
  };
}
