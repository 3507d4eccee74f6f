// The server's unary call adapter: a handler's AbortSignal follows the caller's cancellation, whether
// the handler reads it before or after the call is cancelled, and a finished call is never aborted.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { Metadata } from '@grpc/grpc-js';
import { RpcError } from '../../../dist/server/errors.js';
import { unary } from '../../../dist/server/grpc/call.js';

const silent = { error() {}, warn() {}, info() {}, debug() {} };

/** A grpc-js ServerUnaryCall stand-in: an emitter with a request, metadata and no deadline. */
function fakeCall(request = {}) {
  return Object.assign(new EventEmitter(), { request, metadata: new Metadata(), getDeadline: () => Infinity });
}

/** Runs `handler` through `unary` and resolves with [error, response] once the callback is called. */
function invoke(handler, call = fakeCall()) {
  return new Promise((resolve) => unary('Test', handler, silent)(call, (error, response) => resolve([error, response])));
}

describe('unary call adapter', () => {
  it('aborts the signal a handler holds when the caller cancels', async () => {
    const call = fakeCall();
    const [error, response] = await invoke(async (_request, ctx) => {
      const { signal } = ctx;
      assert.equal(signal.aborted, false);
      const aborted = new Promise((resolve) => signal.addEventListener('abort', resolve));
      call.emit('cancelled');
      await aborted;
      return { aborted: signal.aborted };
    }, call);
    assert.equal(error, null);
    assert.deepEqual(response, { aborted: true });
  });

  it('gives an aborted signal to a handler that reads it after the caller cancelled', async () => {
    const call = fakeCall();
    const [, response] = await invoke(async (_request, ctx) => {
      call.emit('cancelled');
      await new Promise((resolve) => setImmediate(resolve));
      return { aborted: ctx.signal.aborted };
    }, call);
    assert.deepEqual(response, { aborted: true });
  });

  it('does not abort the signal of a call that already finished', async () => {
    const call = fakeCall();
    let signal;
    const [error] = await invoke((_request, ctx) => {
      signal = ctx.signal;
      return {};
    }, call);
    assert.equal(error, null);
    call.emit('cancelled');
    assert.equal(signal.aborted, false);
    assert.equal(call.listenerCount('cancelled'), 0);
  });

  it('answers a handler that throws with INTERNAL and the method name', async () => {
    const [error] = await invoke(() => {
      throw new Error('boom');
    });
    assert.equal(error.code, 13);
    assert.match(error.message, /internal error in Test: boom/);
  });

  it('replaces unpaired surrogates in an error message, which grpc-js could not send', async () => {
    // grpc-js percent-encodes the message with encodeURI, which throws on a lone surrogate; thrown
    // from the callback, that ended the server process.
    const [error] = await invoke(() => {
      throw new RpcError(3, 'bad character \uD83D in "\uDE42x" but \uD83D\uDE42 is fine');
    });
    assert.equal(error.code, 3);
    assert.equal(error.details, 'bad character \uFFFD in "\uFFFDx" but \uD83D\uDE42 is fine');
    assert.doesNotThrow(() => encodeURI(error.details));
  });
});
