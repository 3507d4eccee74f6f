// Canonical (DescribeSchedule) form of schedule specs, and spec validation: dist/server/schedules/spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidScheduleSpecError,
  canonicalSpec,
  compileScheduleSpec,
  scheduleTimesBetween,
} from '../../../dist/server/schedules/spec/index.js';

const at = (iso) => Date.parse(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rejects(input, message) {
  assert.throws(
    () => compileScheduleSpec(input),
    (err) => {
      assert.ok(err instanceof InvalidScheduleSpecError, String(err));
      if (message instanceof RegExp) assert.match(err.message, message);
      else assert.equal(err.message, message);
      return true;
    },
  );
}

describe('canonicalSpec', () => {
  it('turns cron strings and calendars into cleaned structured calendars, intervals and a time zone', () => {
    const out = canonicalSpec({
      structuredCalendar: [{ second: [{ start: 0 }], minute: [{ start: 5, end: 0 }], hour: [{ start: 1, end: 9, step: 4 }], comment: 'mine' }],
      calendar: [{ dayOfWeek: '3-7', hour: '*/6' }],
      cronString: ['TZ=Europe/Paris 0 12 * * 1-7 # noon', 'CRON_TZ=Europe/Paris 30 6 1 1 *'],
      interval: [{ intervalMs: HOUR }],
      excludeCalendar: [{ month: 'jan' }],
      startTimeMs: 1000,
      jitterMs: 5000,
    });
    const r = (start, end = start, step = 1) => ({ start, end, step });
    const midnightDaily = { second: [r(0)], minute: [r(0)], dayOfMonth: [r(1, 31)], month: [r(1, 12)], year: [] };
    assert.deepEqual(out, {
      structuredCalendar: [
        { second: [r(0)], minute: [r(5)], hour: [r(1, 9, 4)], dayOfMonth: [], month: [], year: [], dayOfWeek: [], comment: 'mine' },
        { ...midnightDaily, hour: [r(0, 23, 6)], dayOfWeek: [r(0), r(3, 6)] },
        { ...midnightDaily, hour: [r(12)], dayOfWeek: [r(0, 6)], comment: 'noon' },
        { ...midnightDaily, minute: [r(30)], hour: [r(6)], dayOfMonth: [r(1)], month: [r(1)], dayOfWeek: [r(0, 6)] },
      ],
      interval: [{ intervalMs: HOUR }],
      excludeStructuredCalendar: [{ ...midnightDaily, hour: [r(0)], month: [r(1)], dayOfWeek: [r(0, 6)] }],
      startTimeMs: 1000,
      jitterMs: 5000,
      timezoneName: 'Europe/Paris',
    });
  });

  it('@every becomes an interval, and drops a TZ= prefix as Temporal does', () => {
    assert.deepEqual(canonicalSpec({ cronString: ['@every 1d/3h'] }).interval, [{ intervalMs: DAY, phaseMs: 3 * HOUR }]);
    assert.deepEqual(canonicalSpec({ cronString: ['TZ=Asia/Tokyo @every 90m'] }), {
      structuredCalendar: [], interval: [{ intervalMs: 90 * 60_000 }], excludeStructuredCalendar: [],
    });
    // So a TZ= calendar cron string cannot be combined with an @every one (their zones differ).
    rejects({ cronString: ['TZ=Asia/Tokyo 0 9 * * *', 'TZ=Asia/Tokyo @every 1h'] }, /conflicting time zones "Asia\/Tokyo" and ""/);
  });

  it('folds day-of-week 7 into Sunday the way Temporal does', () => {
    const dow = (text) => canonicalSpec({ calendar: [{ dayOfWeek: text }] }).structuredCalendar[0].dayOfWeek;
    const r = (start, end = start, step = 1) => ({ start, end, step });
    assert.deepEqual(dow('*'), [r(0, 6)]);
    assert.deepEqual(dow('0-7'), [r(0, 6)]);
    assert.deepEqual(dow('1-7'), [r(0, 6)]);
    assert.deepEqual(dow('7'), [r(0)]);
    assert.deepEqual(dow('1-7/2'), [r(0), r(1, 6, 2)]);
    assert.deepEqual(dow('3-7/3'), [r(3, 6, 3)]);
    assert.deepEqual(dow('sat,sun'), [r(6), r(0)]);
  });

  it('is idempotent, and compiling the canonical form gives the same times', () => {
    const input = { cronString: ['15 9 * * mon-fri', '@every 7h'], timezoneName: 'America/New_York', excludeCalendar: [{ dayOfMonth: '1', hour: '*', minute: '*' }] };
    const once = canonicalSpec(input);
    assert.deepEqual(canonicalSpec(once), once);
    const a = scheduleTimesBetween(compileScheduleSpec(input), at('2024-03-01T00:00:00Z'), at('2024-04-01T00:00:00Z'), 'x');
    const b = scheduleTimesBetween(compileScheduleSpec(once), at('2024-03-01T00:00:00Z'), at('2024-04-01T00:00:00Z'), 'x');
    assert.deepEqual(a, b);
    assert.ok(a.length > 50);
  });

  it('compileScheduleSpec exposes the same canonical form', () => {
    const input = { calendar: [{ hour: '9' }], timezoneName: 'Asia/Tokyo' };
    assert.deepEqual(compileScheduleSpec(input).canonical, canonicalSpec(input));
    assert.equal(compileScheduleSpec(input).timezone, 'Asia/Tokyo');
    assert.equal(compileScheduleSpec({}).timezone, 'UTC');
  });

  it('time-zone conflicts and unknown zones are rejected', () => {
    rejects({ cronString: ['TZ=Asia/Tokyo @daily'], timezoneName: 'Europe/Paris' }, 'invalid schedule spec: cron time zone "Asia/Tokyo" conflicts with timezoneName "Europe/Paris"');
    rejects({ cronString: ['TZ=Asia/Tokyo @daily', '@hourly'] }, 'invalid schedule spec: cron strings have conflicting time zones "Asia/Tokyo" and ""');
    rejects({ timezoneName: 'Mars/Olympus_Mons' }, 'invalid schedule spec: timezoneName: unknown time zone "Mars/Olympus_Mons"');
    rejects({ cronString: ['TZ=Mars/Base @daily'] }, /unknown time zone "Mars\/Base"/);
    assert.doesNotThrow(() => compileScheduleSpec({ cronString: ['TZ=Asia/Tokyo @daily'], timezoneName: 'Asia/Tokyo' }));
  });
});
