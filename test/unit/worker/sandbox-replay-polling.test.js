// Polling the sandbox channel during replay (src/worker/sandbox/replay-polling.ts).
import assert from 'node:assert/strict';
import { MessageChannel, Worker } from 'node:worker_threads';
import { describe, it } from 'node:test';
import { isReplayingActivation, pollPort, REPLAY_POLL_MS, ReplayPoller } from '../../../dist/worker/sandbox/replay-polling.js';

describe('pollPort', () => {
  it('hands over messages already queued, in order, and stops as soon as done() holds', () => {
    const { port1, port2 } = new MessageChannel();
    for (const n of [1, 2, 3]) port2.postMessage(n);
    const seen = [];
    assert.equal(pollPort(port1, () => seen.length === 2, (message) => seen.push(message)), true);
    assert.deepEqual(seen, [1, 2]);
    // The third stays queued and arrives as a normal 'message' event.
    return new Promise((resolve) => {
      port1.once('message', (message) => {
        assert.equal(message, 3);
        port1.close();
        resolve();
      });
    });
  });

  it('receives a message another thread posts while it polls', () => {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads'); workerData.port.postMessage('from the thread');`,
      { eval: true, workerData: { port: port2 }, transferList: [port2] }
    );
    const seen = [];
    // Poll repeatedly (each call is bounded) until the thread has started and posted.
    const deadline = Date.now() + 30_000;
    while (seen.length === 0 && Date.now() < deadline) pollPort(port1, () => seen.length > 0, (message) => seen.push(message));
    assert.deepEqual(seen, ['from the thread']);
    port1.close();
    return worker.terminate();
  });

  it('gives up after REPLAY_POLL_MS when nothing arrives', () => {
    const { port1 } = new MessageChannel();
    const start = performance.now();
    assert.equal(pollPort(port1, () => false, () => assert.fail('no message was sent')), false);
    assert.ok(performance.now() - start >= REPLAY_POLL_MS);
    port1.close();
  });
});

describe('ReplayPoller', () => {
  it('backs off after polls in a row that ran out (2, then 4 skipped), and polls every time again after a success', () => {
    const { port1, port2 } = new MessageChannel();
    const poller = new ReplayPoller();
    const seen = [];
    const poll = () => poller.poll(port1, () => seen.length > 0, (message) => seen.push(message));
    assert.equal(poll(), false); // one miss: no back-off yet
    port2.postMessage('a');
    assert.equal(poll(), true);
    assert.deepEqual(seen, ['a']);
    seen.length = 0;
    assert.equal(poll(), false);
    assert.equal(poll(), false); // two misses in a row: the next 2 chances are skipped
    port2.postMessage('b');
    assert.equal(poll(), false);
    assert.equal(poll(), false);
    assert.deepEqual(seen, [], 'skipped polls take no message');
    assert.equal(poll(), true);
    assert.deepEqual(seen, ['b']);
    seen.length = 0;
    for (let i = 0; i < 2; i++) assert.equal(poll(), false); // two misses again: skip 2
    for (let i = 0; i < 2; i++) assert.equal(poll(), false);
    assert.equal(poll(), false); // a third miss in a row: skip 4
    port2.postMessage('c');
    for (let i = 0; i < 4; i++) assert.equal(poll(), false);
    assert.deepEqual(seen, [], 'skipped polls take no message');
    assert.equal(poll(), true);
    assert.deepEqual(seen, ['c']);
    port1.close();
  });
});

describe('isReplayingActivation', () => {
  it('holds only for activations of a replaying run', () => {
    assert.equal(isReplayingActivation({ type: 'activate', activation: { isReplaying: true } }), true);
    assert.equal(isReplayingActivation({ type: 'activate', activation: { isReplaying: false } }), false);
    assert.equal(isReplayingActivation({ type: 'discard' }), false);
    assert.equal(isReplayingActivation({ type: 'commandStack', runId: 'r', index: 0 }), false);
  });
});
