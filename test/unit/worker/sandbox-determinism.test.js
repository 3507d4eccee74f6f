// Deterministic Date and Math.random in the workflow sandbox: workflow time is the activation's
// timestamp, Math.random is the official SDK's Alea stream for the run's seed (reseeded by
// updateRandomSeed), and the time zone is UTC.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import Long from 'long';
import { alea, seedToBytes, WorkflowSandbox } from '../../../dist/worker/sandbox/index.js';
import { fixtureBundle, fixtureRuntime, nextActivation, resultOf, startActivation, START_MS, commandsOf } from '../../fixtures/sandbox/activations.js';

const require = createRequire(import.meta.url);
const official = require('@temporalio/workflow/lib/alea.js');

const SEEDS = ['0', '1', '12345', '4294967296', '9007199254740993', '18446744073709551615', '7061544853236455734'];

/** What the official SDK's Math.random yields for a decimal u64 seed (the worker passes `Long#toBytes()`). */
function officialRandoms(seed, count) {
  const random = official.alea(Long.fromString(seed, true).toBytes());
  return Array.from({ length: count }, () => random());
}

describe('alea', () => {
  it('matches the official alea for several seeds', () => {
    for (const seed of SEEDS) {
      const ours = alea(seedToBytes(seed));
      const expected = officialRandoms(seed, 50);
      assert.deepEqual(Array.from({ length: 50 }, () => ours()), expected, `seed ${seed}`);
    }
  });

  it('matches the official alea for arbitrary number arrays', () => {
    for (const seed of [[], [1, 2, 3], [255, 0, 255, 0, 17, 99, 3, 200], [0.5, -7, 1e9]]) {
      const ours = alea(seed);
      const theirs = official.alea(seed);
      for (let i = 0; i < 20; i++) assert.equal(ours(), theirs(), `seed ${JSON.stringify(seed)} draw ${i}`);
    }
  });

  it('turns the decimal seed into its 8 big-endian bytes and rejects what is not a u64', () => {
    assert.deepEqual(seedToBytes('258'), [0, 0, 0, 0, 0, 0, 1, 2]);
    assert.deepEqual(seedToBytes('18446744073709551615'), [255, 255, 255, 255, 255, 255, 255, 255]);
    for (const bad of ['-1', '18446744073709551616', '1.5', '', 'abc', 12]) {
      assert.throws(() => seedToBytes(bad), /randomnessSeed must be a decimal unsigned 64-bit integer/);
    }
  });
});

describe('Date and Math.random in a run', () => {
  let sandbox;
  const savedTz = process.env.TZ;
  before(async () => {
    // A non-UTC zone before create(): the sandbox must pin UTC for its threads.
    process.env.TZ = 'Asia/Tokyo';
    sandbox = await WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 2 });
  });
  after(async () => {
    await sandbox?.close();
    process.env.TZ = savedTz;
  });

  it('Date() / new Date() / Date.now() give the activation time; parsing, subclassing and instanceof work', async () => {
    const report = resultOf(await sandbox.activate(startActivation('clock-1', 'clock')));
    assert.equal(report.now, START_MS);
    assert.equal(report.newDate, START_MS);
    assert.equal(report.iso, new Date(START_MS).toISOString());
    assert.match(report.dateString, /^Fri May 17 2024 09:30:00 GMT\+0000/);
    assert.equal(report.subclassTime, START_MS + 1);
    assert.equal(report.subclassIsDate, true);
    assert.equal(report.instanceOfDate, true);
    assert.equal(report.tag, '[object Date]');
    assert.equal(report.explicit, Date.UTC(2020, 0, 2));
    assert.equal(report.parsed, Date.UTC(2021, 0, 1));
    assert.equal(report.mathStillWorks, 10);
    assert.match(report.constructorThrows, /SharedDate/, 'the prototype constructor is powerless');
  });

  it('runs in UTC whatever TZ the process had', async () => {
    assert.equal(process.env.TZ, 'UTC');
    const report = resultOf(await sandbox.activate(startActivation('clock-tz', 'clock')));
    assert.equal(report.hoursOfEpoch, 0);
    assert.equal(report.timezoneOffset, 0);
  });

  it('Math.random is the official stream for the run seed, and the same seed gives the same numbers again', async () => {
    const first = resultOf(await sandbox.activate(startActivation('clock-2', 'clock', [], { seed: '7061544853236455734' })));
    const second = resultOf(await sandbox.activate(startActivation('clock-3', 'clock', [], { seed: '7061544853236455734' })));
    const other = resultOf(await sandbox.activate(startActivation('clock-4', 'clock', [], { seed: '7061544853236455735' })));
    assert.deepEqual(first.randoms, officialRandoms('7061544853236455734', 5));
    assert.deepEqual(second, first, 'same seed and time: identical report');
    assert.notDeepEqual(other.randoms, first.randoms);
  });

  it('later activations see their own timestamp, and updateRandomSeed reseeds', async () => {
    const start = await sandbox.activate(startActivation('seed-1', 'randomAcrossActivations', [], { seed: '42' }));
    const [timer] = commandsOf(start);
    assert.equal(timer.kind, 'startTimer');
    const later = START_MS + 3_600_000;
    const done = await sandbox.activate(
      nextActivation('seed-1', [{ kind: 'updateRandomSeed', randomnessSeed: '99' }, { kind: 'fireTimer', seq: timer.seq }], { timestampMs: later })
    );
    const result = resultOf(done);
    assert.deepEqual(result.before, officialRandoms('42', 2));
    assert.deepEqual(result.after, officialRandoms('99', 2));
    assert.equal(result.timeAfter, later);
  });
});
