// Runs every example in examples/ the way its header says (one `node` command against the embedded
// server) and checks what it prints.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

async function example(name) {
  const { stdout } = await run(process.execPath, [`examples/${name}/main.js`], { cwd: root, timeout: 120_000 });
  return stdout;
}

describe('examples', () => {
  const expectations = {
    'hello-world': /^Hello, Temporal!$/m,
    'signals-and-queries': /items so far: \[ 'apple', 'pear' \][\s\S]*checkedOut: \[ 'apple', 'pear' \]/,
    saga: /failed: trip not booked: no cars left\nsteps: book flight → book hotel → cancel hotel → cancel flight/,
    'child-workflows': /\[ '2 × apple', '1 × pear', '5 × fig' \]/,
    'cancellation-and-heartbeating': /cancelled \(CancelledFailure\) \{ copiedBeforeCancel: true, cleanedUp: true \}/,
    timers: /paid after \d reminder\(s\) \{ reminders: \d \}/,
    'entity-loop': /balance: 78[\s\S]*\{ balance: 78, generation: [1-9]\d*, closed: true \}/,
    update: /Ada gets seat 1\nGrace gets seat 2\nLinus was rejected: sold out\n\[ 'Ada', 'Grace' \]/,
    schedule: /\{ runs: [3-9]\d*, paused: true \}/,
    'replay-test': /unchanged code: replay of \d+ events OK\nchanged code: DeterminismViolationError\nNondeterminism at event 5[\s\S]*issued at subscription \(.*workflows-changed\.js:\d+:\d+\)/,
  };
  for (const [name, expected] of Object.entries(expectations)) {
    it(name, async () => {
      assert.match(await example(name), expected);
    });
  }
});
