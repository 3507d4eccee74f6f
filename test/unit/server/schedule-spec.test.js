// Schedule specs (Temporal scheduler semantics): dist/server/schedules/spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidScheduleSpecError,
  compileScheduleSpec,
  nextScheduleTime,
  scheduleTimesBetween,
} from '../../../dist/server/schedules/spec/index.js';

const at = (iso) => Date.parse(iso);
const iso = (ms) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The first `n` nominal times after `afterIso` (stops at undefined). */
function nominals(input, afterIso, n = 4, seed = 'seed') {
  const spec = compileScheduleSpec(input);
  const out = [];
  let t = at(afterIso);
  for (let i = 0; i < n; i++) {
    const next = nextScheduleTime(spec, t, seed);
    out.push(iso(next?.nominalMs));
    if (next === undefined) break;
    t = next.actualMs;
  }
  return out;
}

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

/** A structured calendar with every field given (the TS client always sends all of them). */
const structured = (over = {}) => ({
  second: [{ start: 0 }],
  minute: [{ start: 0 }],
  hour: [{ start: 0 }],
  dayOfMonth: [{ start: 1, end: 31 }],
  month: [{ start: 1, end: 12 }],
  dayOfWeek: [{ start: 0, end: 6 }],
  ...over,
});

describe('intervals', () => {
  it('fire at epoch + phase + n*interval (the proto examples)', () => {
    const interval = 28 * DAY;
    assert.deepEqual(nominals({ interval: [{ intervalMs: interval }] }, '2022-02-16T00:00:00Z', 1), ['2022-02-17T00:00:00Z']);
    const phaseMs = 3 * DAY + 5 * HOUR + 23 * 60_000;
    assert.deepEqual(nominals({ interval: [{ intervalMs: interval, phaseMs }] }, '2022-02-16T00:00:00Z', 1), ['2022-02-20T05:23:00Z']);
  });

  it('hourly with a 19-minute phase', () => {
    assert.deepEqual(nominals({ interval: [{ intervalMs: HOUR, phaseMs: 19 * 60_000 }] }, '2024-01-05T09:30:00Z', 3), [
      '2024-01-05T10:19:00Z', '2024-01-05T11:19:00Z', '2024-01-05T12:19:00Z',
    ]);
  });

  it('are strictly after afterMs, at whole seconds, and truncate to whole seconds', () => {
    assert.deepEqual(nominals({ interval: [{ intervalMs: 60_000 }] }, '2024-01-01T00:01:00Z', 1), ['2024-01-01T00:02:00Z']);
    assert.deepEqual(nominals({ interval: [{ intervalMs: 60_000 }] }, '2024-01-01T00:00:59.999Z', 1), ['2024-01-01T00:01:00Z']);
    assert.deepEqual(nominals({ interval: [{ intervalMs: 1500 }] }, '2024-01-01T00:00:00Z', 2), ['2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z']);
  });

  it('the union of several specs, without duplicates', () => {
    const input = { interval: [{ intervalMs: 20 * 60_000 }, { intervalMs: 30 * 60_000 }] };
    assert.deepEqual(nominals(input, '2024-01-01T00:00:00Z', 4), [
      '2024-01-01T00:20:00Z', '2024-01-01T00:30:00Z', '2024-01-01T00:40:00Z', '2024-01-01T01:00:00Z',
    ]);
  });

  it('validation: at least 1s, 0 <= phase < interval', () => {
    rejects({ interval: [{ intervalMs: 500 }] }, 'invalid schedule spec: interval[0]: interval 500ms is shorter than 1s');
    rejects({ interval: [{ intervalMs: HOUR, phaseMs: HOUR }] }, 'invalid schedule spec: interval[0]: phase 3600000ms is not less than the interval 3600000ms');
    rejects({ interval: [{ intervalMs: HOUR }, { intervalMs: HOUR, phaseMs: -1 }] }, 'invalid schedule spec: interval[1]: phase -1ms is negative');
  });
});

describe('calendars (string form)', () => {
  it('defaults: second, minute and hour 0; every day, month and year', () => {
    assert.deepEqual(nominals({ calendar: [{}] }, '2024-01-01T00:00:00Z', 2), ['2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z']);
  });

  it('ranges with steps and day names', () => {
    // 2024-01-05 is a Friday.
    assert.deepEqual(nominals({ calendar: [{ hour: '9-17/4', dayOfWeek: 'MO,FR' }] }, '2024-01-05T09:30:00Z', 4), [
      '2024-01-05T13:00:00Z', '2024-01-05T17:00:00Z', '2024-01-08T09:00:00Z', '2024-01-08T13:00:00Z',
    ]);
  });

  it('x/y runs from x to the maximum; */y from the minimum', () => {
    assert.deepEqual(nominals({ calendar: [{ minute: '50/5', hour: '*' }] }, '2024-01-01T00:00:00Z', 3), [
      '2024-01-01T00:50:00Z', '2024-01-01T00:55:00Z', '2024-01-01T01:50:00Z',
    ]);
    assert.deepEqual(nominals({ calendar: [{ second: '*/20', minute: '0', hour: '12' }] }, '2024-01-01T00:00:00Z', 4), [
      '2024-01-01T12:00:00Z', '2024-01-01T12:00:20Z', '2024-01-01T12:00:40Z', '2024-01-02T12:00:00Z',
    ]);
  });

  it('day-of-month AND day-of-week (no cron OR rule)', () => {
    assert.deepEqual(nominals({ calendar: [{ dayOfMonth: '13', dayOfWeek: 'fri' }] }, '2024-01-01T00:00:00Z', 2), [
      '2024-09-13T00:00:00Z', '2024-12-13T00:00:00Z',
    ]);
  });

  it('name prefixes (months >= 3 letters, days >= 2), case-insensitive; 7 is Sunday', () => {
    assert.deepEqual(nominals({ calendar: [{ month: 'Sept', dayOfMonth: '1' }] }, '2024-01-01T00:00:00Z', 1), ['2024-09-01T00:00:00Z']);
    assert.deepEqual(nominals({ calendar: [{ month: 'december', dayOfMonth: '25' }] }, '2024-01-01T00:00:00Z', 1), ['2024-12-25T00:00:00Z']);
    assert.deepEqual(nominals({ calendar: [{ dayOfWeek: 'tues' }] }, '2024-01-01T00:00:00Z', 1), ['2024-01-02T00:00:00Z']);
    assert.deepEqual(nominals({ calendar: [{ dayOfWeek: '7' }] }, '2024-01-01T00:00:00Z', 1), ['2024-01-07T00:00:00Z']);
    assert.deepEqual(nominals({ calendar: [{ dayOfWeek: '5-7' }] }, '2024-01-01T00:00:00Z', 4), [
      '2024-01-05T00:00:00Z', '2024-01-06T00:00:00Z', '2024-01-07T00:00:00Z', '2024-01-12T00:00:00Z',
    ]);
  });

  it('years', () => {
    assert.deepEqual(nominals({ calendar: [{ year: '2026', month: '3', dayOfMonth: '1' }] }, '2024-01-01T00:00:00Z', 2), ['2026-03-01T00:00:00Z', undefined]);
  });

  it('errors name the field', () => {
    rejects({ calendar: [{ hour: '24' }] }, 'invalid schedule spec: calendar[0]: hour: 24 is out of range 0-23');
    rejects({ calendar: [{}, { month: 'Foo' }] }, 'invalid schedule spec: calendar[1]: month: "Foo" is not a number or name');
    rejects({ calendar: [{ dayOfWeek: 'm' }] }, /calendar\[0\]: dayOfWeek: "m" is not a number or name/);
    rejects({ calendar: [{ minute: '10-5' }] }, /calendar\[0\]: minute: range "10-5" has its end before its start/);
    rejects({ calendar: [{ minute: '*/0' }] }, /minute: step "0" in "\*\/0" must be a positive integer/);
    rejects({ calendar: [{ minute: '1/2/3' }] }, /minute: "1\/2\/3" has more than one '\/'/);
    rejects({ calendar: [{ second: '1-2-3' }] }, /second: "1-2-3" has more than one '-'/);
    rejects({ calendar: [{ year: '1999' }] }, /year: 1999 is out of range 2000-2100/);
    rejects({ excludeCalendar: [{ dayOfMonth: '32' }] }, 'invalid schedule spec: excludeCalendar[0]: dayOfMonth: 32 is out of range 1-31');
  });
});

describe('structured calendars', () => {
  it('ranges with end and step; a missing end is a single value', () => {
    const input = { structuredCalendar: [structured({ minute: [{ start: 30 }], hour: [{ start: 8, end: 10, step: 2 }] })] };
    assert.deepEqual(nominals(input, '2024-01-01T00:00:00Z', 3), ['2024-01-01T08:30:00Z', '2024-01-01T10:30:00Z', '2024-01-02T08:30:00Z']);
  });

  it('a field with no ranges matches nothing, except year (every year)', () => {
    assert.deepEqual(nominals({ structuredCalendar: [structured({ second: [] })] }, '2024-01-01T00:00:00Z', 1), [undefined]);
    assert.deepEqual(nominals({ structuredCalendar: [{ comment: 'empty' }] }, '2024-01-01T00:00:00Z', 1), [undefined]);
    assert.deepEqual(nominals({ structuredCalendar: [structured({ year: [] })] }, '2024-01-01T00:00:00Z', 1), ['2024-01-02T00:00:00Z']);
    assert.deepEqual(nominals({ structuredCalendar: [structured({ year: [{ start: 2025 }] })] }, '2024-01-01T00:00:00Z', 1), ['2025-01-01T00:00:00Z']);
  });

  it('validation follows Temporal (day-of-week 0-6, years 2000-2100, end 0 = start)', () => {
    rejects({ structuredCalendar: [structured({ dayOfWeek: [{ start: 7 }] })] }, 'invalid schedule spec: structuredCalendar[0]: dayOfWeek: start 7 is out of range 0-6');
    rejects({ structuredCalendar: [structured({ hour: [{ start: 10, end: 5 }] })] }, /structuredCalendar\[0\]: hour: end 5 is before start 10 or out of range 0-23/);
    rejects({ structuredCalendar: [structured({ year: [{ start: 1999 }] })] }, /year: start 1999 is out of range 2000-2100/);
    rejects({ structuredCalendar: [structured({ minute: [{ start: 0, end: 59, step: -1 }] })] }, /minute: step -1 is negative/);
    rejects({ structuredCalendar: [structured({ comment: 'x'.repeat(201) })] }, /comment is longer than 200 bytes/);
    assert.doesNotThrow(() => compileScheduleSpec({ structuredCalendar: [structured({ hour: [{ start: 5, end: 0, step: 0 }] })] }));
  });
});

describe('cron strings in schedules', () => {
  it('5 fields; day-of-month AND day-of-week', () => {
    assert.deepEqual(nominals({ cronString: ['0 0 13 * 5'] }, '2024-01-01T00:00:00Z', 1), ['2024-09-13T00:00:00Z']);
    assert.deepEqual(nominals({ cronString: ['0 9 * * mon-fri'] }, '2024-01-05T10:00:00Z', 1), ['2024-01-08T09:00:00Z']);
    assert.deepEqual(nominals({ cronString: ['0 0 * * 7'] }, '2024-01-01T00:00:00Z', 1), ['2024-01-07T00:00:00Z']);
  });

  it('6 fields add a year; 7 fields add seconds first', () => {
    assert.deepEqual(nominals({ cronString: ['0 0 1 1 * 2026'] }, '2024-01-01T00:00:00Z', 2), ['2026-01-01T00:00:00Z', undefined]);
    assert.deepEqual(nominals({ cronString: ['*/20 0 12 * * * *'] }, '2024-01-01T00:00:00Z', 4), [
      '2024-01-01T12:00:00Z', '2024-01-01T12:00:20Z', '2024-01-01T12:00:40Z', '2024-01-02T12:00:00Z',
    ]);
  });

  it('shorthands, @every with phase and days, comments', () => {
    assert.deepEqual(nominals({ cronString: ['@hourly'] }, '2024-01-01T00:30:00Z', 1), ['2024-01-01T01:00:00Z']);
    assert.deepEqual(nominals({ cronString: ['@weekly'] }, '2024-01-01T00:00:00Z', 1), ['2024-01-07T00:00:00Z']);
    assert.deepEqual(nominals({ cronString: ['@every 90m'] }, '2024-01-01T00:00:00Z', 2), ['2024-01-01T01:30:00Z', '2024-01-01T03:00:00Z']);
    assert.deepEqual(nominals({ cronString: ['@every 1d/3h'] }, '2024-01-05T09:30:00Z', 2), ['2024-01-06T03:00:00Z', '2024-01-07T03:00:00Z']);
    assert.deepEqual(nominals({ cronString: ['0 12 * * * # lunch'] }, '2024-01-01T00:00:00Z', 1), ['2024-01-01T12:00:00Z']);
  });

  it('errors: field count, ? (not accepted by schedules), bad values, @every', () => {
    rejects({ cronString: ['* * * *'] }, 'invalid schedule spec: cronString[0] "* * * *": expected 5, 6 or 7 fields, found 4');
    rejects({ cronString: ['0 12 ? * *'] }, /cronString\[0\] "0 12 \? \* \*": dayOfMonth: "\?" is not a number/);
    rejects({ cronString: ['@daily', '61 * * * *'] }, 'invalid schedule spec: cronString[1] "61 * * * *": minute: 61 is out of range 0-59');
    rejects({ cronString: ['@every 500ms'] }, /interval\[0\]: interval 500ms is shorter than 1s/);
    rejects({ cronString: ['@every 1h/2h'] }, /phase 7200000ms is not less than the interval 3600000ms/);
    rejects({ cronString: ['@every'] }, /@every needs an interval/);
    rejects({ cronString: ['@bogus'] }, /"@bogus": expected 5, 6 or 7 fields, found 1/);
    rejects({ cronString: ['constructor'] }, /expected 5, 6 or 7 fields, found 1/);
    rejects({ cronString: ['__proto__'] }, /expected 5, 6 or 7 fields, found 1/);
    rejects({ cronString: ['@every 1toString'] }, /unknown unit "toString"/);
  });
});

describe('exclusions', () => {
  it('exclude calendars (string and structured) remove matching times', () => {
    const daily = { intervalMs: DAY };
    // 2024-01-05 is a Friday; Saturday and Sunday are skipped.
    assert.deepEqual(nominals({ interval: [daily], excludeCalendar: [{ dayOfWeek: 'sat,sun' }] }, '2024-01-05T09:30:00Z', 2), [
      '2024-01-08T00:00:00Z', '2024-01-09T00:00:00Z',
    ]);
    const weekend = structured({ dayOfWeek: [{ start: 0 }, { start: 6 }] });
    assert.deepEqual(nominals({ interval: [daily], excludeStructuredCalendar: [weekend] }, '2024-01-05T09:30:00Z', 1), ['2024-01-08T00:00:00Z']);
  });

  it('an exclusion must match the time exactly (its defaults are second/minute/hour 0)', () => {
    const input = { interval: [{ intervalMs: 12 * HOUR }], excludeCalendar: [{ dayOfWeek: 'sat,sun' }] };
    assert.deepEqual(nominals(input, '2024-01-05T09:30:00Z', 3), ['2024-01-05T12:00:00Z', '2024-01-06T12:00:00Z', '2024-01-07T12:00:00Z']);
  });

  it('a long excluded stretch is skipped quickly', () => {
    const started = performance.now();
    const input = { calendar: [{ second: '*', minute: '*', hour: '*' }], excludeCalendar: [{ second: '*', minute: '*', hour: '*', dayOfWeek: 'sat,sun' }] };
    assert.deepEqual(nominals(input, '2024-01-06T00:00:00Z', 1), ['2024-01-08T00:00:00Z']);
    assert.ok(performance.now() - started < 3000);
  });

  it('a spec whose every time is excluded returns undefined (bounded search)', () => {
    const input = { interval: [{ intervalMs: 60_000 }], excludeCalendar: [{ second: '*', minute: '*', hour: '*' }] };
    assert.deepEqual(nominals(input, '2024-01-01T00:00:00Z', 1), [undefined]);
  });
});

describe('start and end bounds', () => {
  const minutely = { interval: [{ intervalMs: 60_000 }] };

  it('startTime and endTime are inclusive', () => {
    const input = { ...minutely, startTimeMs: at('2024-01-05T10:00:00Z'), endTimeMs: at('2024-01-05T10:02:00Z') };
    assert.deepEqual(nominals(input, '2024-01-05T09:30:00Z', 5), ['2024-01-05T10:00:00Z', '2024-01-05T10:01:00Z', '2024-01-05T10:02:00Z', undefined]);
  });

  it('a start time between matches starts at the next match', () => {
    assert.deepEqual(nominals({ ...minutely, startTimeMs: at('2024-01-05T10:00:00.500Z') }, '2024-01-01T00:00:00Z', 1), ['2024-01-05T10:01:00Z']);
  });

  it('an end time in the past means no more times', () => {
    assert.deepEqual(nominals({ ...minutely, endTimeMs: at('2024-01-01T00:00:00Z') }, '2024-01-01T00:00:00Z', 1), [undefined]);
  });

  it('nothing after the year 2100 (Temporal\'s calendar limit)', () => {
    assert.deepEqual(nominals(minutely, '2100-12-31T23:58:00Z', 2), ['2100-12-31T23:59:00Z', undefined]);
    const lastDay = { calendar: [{ month: '12', dayOfMonth: '31', hour: '23', minute: '59' }] };
    assert.deepEqual(nominals(lastDay, '2100-01-01T00:00:00Z', 2), ['2100-12-31T23:59:00Z', undefined]);
  });
});

describe('never-matching specs', () => {
  it('February 30 returns undefined after a bounded search', () => {
    const started = performance.now();
    assert.deepEqual(nominals({ calendar: [{ dayOfMonth: '30', month: 'feb' }] }, '2024-01-01T00:00:00Z', 1), [undefined]);
    assert.deepEqual(nominals({ cronString: ['0 0 31 4 *'] }, '2024-01-01T00:00:00Z', 1), [undefined]);
    assert.ok(performance.now() - started < 1000);
  });

  it('an empty spec never fires', () => {
    assert.deepEqual(nominals({}, '2024-01-01T00:00:00Z', 1), [undefined]);
  });
});

describe('jitter', () => {
  const spec = compileScheduleSpec({ interval: [{ intervalMs: HOUR }], jitterMs: 10 * 60_000 });

  it('is deterministic per (seed, nominal time), across calls and compilations', () => {
    const a = nextScheduleTime(spec, at('2024-01-01T00:00:00Z'), 'ns-sched');
    const b = nextScheduleTime(spec, at('2024-01-01T00:30:00Z'), 'ns-sched');
    const c = nextScheduleTime(compileScheduleSpec({ interval: [{ intervalMs: HOUR }], jitterMs: 10 * 60_000 }), at('2024-01-01T00:00:00Z'), 'ns-sched');
    assert.deepEqual(a, b);
    assert.deepEqual(a, c);
    assert.equal(a.nominalMs, at('2024-01-01T01:00:00Z'));
  });

  it('stays in [0, jitter), varies with the seed and the time, and is spread out', () => {
    const times = scheduleTimesBetween(spec, at('2024-01-01T00:00:00Z'), at('2024-03-01T00:00:00Z'), 'seed-1');
    assert.equal(times.length, 1000);
    const offsets = times.map((t) => t.actualMs - t.nominalMs);
    assert.ok(offsets.every((o) => Number.isInteger(o) && o >= 0 && o < 10 * 60_000));
    const mean = offsets.reduce((s, o) => s + o, 0) / offsets.length;
    assert.ok(mean > 0.4 * 10 * 60_000 && mean < 0.6 * 10 * 60_000, `mean ${mean}`);
    assert.ok(new Set(offsets).size > 900);
    const other = scheduleTimesBetween(spec, at('2024-01-01T00:00:00Z'), at('2024-03-01T00:00:00Z'), 'seed-2');
    assert.ok(other.filter((t, i) => t.actualMs !== times[i]?.actualMs).length > 900);
  });

  it('never reaches the next nominal time', () => {
    const tight = compileScheduleSpec({ interval: [{ intervalMs: 60_000 }], jitterMs: HOUR });
    for (const t of scheduleTimesBetween(tight, at('2024-01-01T00:00:00Z'), at('2024-01-02T00:00:00Z'), 'x')) {
      assert.ok(t.actualMs - t.nominalMs < 60_000);
    }
  });

  it('zero jitter means actual = nominal', () => {
    const plain = compileScheduleSpec({ interval: [{ intervalMs: HOUR }] });
    const next = nextScheduleTime(plain, at('2024-01-01T00:00:00Z'), 'x');
    assert.equal(next.actualMs, next.nominalMs);
  });
});

describe('scheduleTimesBetween', () => {
  const hourly = compileScheduleSpec({ cronString: ['@hourly'] });

  it('returns the times in (start, end]', () => {
    const times = scheduleTimesBetween(hourly, at('2024-01-01T00:00:00Z'), at('2024-01-02T00:00:00Z'), 'x');
    assert.equal(times.length, 24);
    assert.equal(iso(times[0].nominalMs), '2024-01-01T01:00:00Z');
    assert.equal(iso(times[23].nominalMs), '2024-01-02T00:00:00Z');
  });

  it('caps the count at limit (default 1000)', () => {
    assert.equal(scheduleTimesBetween(hourly, at('2024-01-01T00:00:00Z'), at('2024-01-02T00:00:00Z'), 'x', 5).length, 5);
    const minutely = compileScheduleSpec({ interval: [{ intervalMs: 60_000 }] });
    assert.equal(scheduleTimesBetween(minutely, at('2024-01-01T00:00:00Z'), at('2024-01-02T00:00:00Z'), 'x').length, 1000);
    assert.equal(scheduleTimesBetween(minutely, at('2024-01-01T00:00:00Z'), at('2024-01-02T00:00:00Z'), 'x', 5000).length, 1440);
  });

  it('an empty range, or an ended spec, gives nothing', () => {
    assert.deepEqual(scheduleTimesBetween(hourly, at('2024-01-01T00:00:00Z'), at('2024-01-01T00:30:00Z'), 'x'), []);
    const ended = compileScheduleSpec({ cronString: ['@hourly'], endTimeMs: at('2023-01-01T00:00:00Z') });
    assert.deepEqual(scheduleTimesBetween(ended, at('2024-01-01T00:00:00Z'), at('2024-01-02T00:00:00Z'), 'x'), []);
  });

  it('bounds apply to the actual (jittered) time', () => {
    const jittered = compileScheduleSpec({ cronString: ['@hourly'], jitterMs: 30 * 60_000 });
    const times = scheduleTimesBetween(jittered, at('2024-01-01T00:00:00Z'), at('2024-01-02T00:00:00Z'), 'x');
    assert.ok(times.every((t) => t.actualMs > at('2024-01-01T00:00:00Z') && t.actualMs <= at('2024-01-02T00:00:00Z')));
    assert.ok(times.length === 23 || times.length === 24);
  });
});
