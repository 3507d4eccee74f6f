// Durations: ms strings and numbers, protobuf Duration/Timestamp conversions, clear errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as official from '@temporalio/common';
import Long from 'long';
import {
  int64ToNumber,
  msNumberToTs,
  msOptionalToNumber,
  msOptionalToTs,
  msToNumber,
  msToTimestamp,
  msToTs,
  optionalDateToTs,
  optionalTsToDate,
  optionalTsToMs,
  requiredTsToMs,
  tsToDate,
  tsToMs,
  ValueError,
} from '../../../dist/common/index.js';

describe('msToNumber', () => {
  const CASES = ['1 day', '10s', '1.5h', '250ms', '2 weeks', '1y', '5 minutes', '-3s', '100', '.5s', 0, 1234, 1.5];
  for (const value of CASES) {
    it(`${JSON.stringify(value)} matches the official msToNumber`, () => {
      assert.equal(msToNumber(value), official.msToNumber(value));
    });
  }

  it('throws a TypeError naming the bad value', () => {
    assert.throws(() => msToNumber('soon'), { name: 'TypeError', message: /Invalid duration string: 'soon'/ });
    assert.throws(() => msToNumber(''), { name: 'TypeError', message: /Invalid duration string: ''/ });
    assert.throws(() => msToNumber('x'.repeat(101)), TypeError);
    assert.throws(() => msToNumber(Number.NaN), { name: 'TypeError', message: /NaN/ });
    assert.throws(() => msToNumber({ seconds: 1 }), { name: 'TypeError', message: /got \{"seconds":1\}/ });
    assert.throws(() => msToNumber(null), { name: 'TypeError', message: /got null/ });
  });

  it('gives the same answer for a string it has parsed before, and keeps rejecting a bad one', () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(msToNumber('90s'), 90_000);
      assert.throws(() => msToNumber('90 parsecs'), { name: 'TypeError', message: /'90 parsecs'/ });
    }
    // More distinct strings than the parse cache holds: every one still converts correctly.
    for (let i = 0; i < 2000; i++) assert.equal(msToNumber(`${i}ms`), i);
    assert.equal(msToNumber('90s'), 90_000);
  });

  it('msOptionalToNumber passes undefined through', () => {
    assert.equal(msOptionalToNumber(undefined), undefined);
    assert.equal(msOptionalToNumber('1s'), 1000);
  });
});

describe('protobuf Duration conversion', () => {
  it('matches the official msToTs for non-negative values', () => {
    for (const value of ['1.5s', '1 day', 0, 1, 999, 1000, 1001, 123456789, 1.5]) {
      const ours = msToTs(value);
      const theirs = official.msToTs(value);
      assert.ok(Long.isLong(ours.seconds));
      assert.equal(ours.seconds.toString(), theirs.seconds.toString(), `seconds of ${value}`);
      assert.equal(ours.nanos, theirs.nanos, `nanos of ${value}`);
    }
  });

  it('keeps seconds and nanos of the same sign for negative durations', () => {
    const ts = msNumberToTs(-1500);
    assert.deepEqual([ts.seconds.toNumber(), ts.nanos], [-1, -500_000_000]);
    assert.equal(tsToMs(ts), -1500);
  });

  it('rejects non-finite milliseconds', () => {
    assert.throws(() => msNumberToTs(Infinity), (err) => err instanceof ValueError && /Infinity/.test(err.message));
  });

  it('msOptionalToTs passes null and undefined through', () => {
    assert.equal(msOptionalToTs(undefined), undefined);
    assert.equal(msOptionalToTs(null), undefined);
  });

  it('tsToMs accepts Long, number and string seconds', () => {
    assert.equal(tsToMs({ seconds: Long.fromNumber(2), nanos: 5_000_000 }), 2005);
    assert.equal(tsToMs({ seconds: 2, nanos: 5_000_000 }), 2005);
    assert.equal(tsToMs({ seconds: '2' }), 2000);
    assert.equal(tsToMs({}), 0);
    assert.equal(optionalTsToMs(null), undefined);
    assert.throws(() => tsToMs(undefined), TypeError);
    assert.throws(() => requiredTsToMs(undefined, 'startTime'), /Expected startTime to be a timestamp/);
    assert.equal(int64ToNumber(Long.fromString('9007199254740991')), Number.MAX_SAFE_INTEGER);
  });
});

describe('protobuf Timestamp conversion', () => {
  it('round-trips dates, including before 1970 (nanos never negative)', () => {
    for (const ms of [0, 1_700_000_000_123, -1, -1500, Date.UTC(1969, 6, 20, 20, 17)]) {
      const ts = msToTimestamp(ms);
      assert.ok(ts.nanos >= 0 && ts.nanos < 1e9);
      assert.equal(tsToMs(ts), ms);
      assert.equal(tsToDate(ts).getTime(), ms);
    }
    const date = new Date(Date.UTC(2024, 0, 1));
    assert.equal(optionalTsToDate(optionalDateToTs(date)).getTime(), date.getTime());
    assert.equal(optionalDateToTs(undefined), undefined);
    assert.equal(optionalTsToDate(null), undefined);
  });
});
