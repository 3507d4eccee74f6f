// Workflow cron schedules (robfig/cron v3 standard syntax, as Temporal accepts it): dist/server/schedules/spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidScheduleSpecError,
  nextCronTime,
  nextCronTimeFrom,
  parseCron,
} from '../../../dist/server/schedules/spec/index.js';

const at = (iso) => Date.parse(iso);
const iso = (ms) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** The first `n` fire times after `afterIso`, as ISO strings (stops at undefined). */
function fires(expression, afterIso, n = 4) {
  const schedule = parseCron(expression);
  const out = [];
  let t = at(afterIso);
  for (let i = 0; i < n; i++) {
    t = nextCronTime(schedule, t);
    out.push(iso(t));
    if (t === undefined) break;
  }
  return out;
}

function rejects(expression, message) {
  assert.throws(
    () => parseCron(expression),
    (err) => {
      assert.ok(err instanceof InvalidScheduleSpecError, String(err));
      if (message instanceof RegExp) assert.match(err.message, message);
      else assert.equal(err.message, message);
      return true;
    },
  );
}

describe('parseCron / nextCronTime: field forms (UTC)', () => {
  it('steps with */n', () => {
    assert.deepEqual(fires('*/15 * * * *', '2024-01-01T00:00:00Z'), [
      '2024-01-01T00:15:00Z', '2024-01-01T00:30:00Z', '2024-01-01T00:45:00Z', '2024-01-01T01:00:00Z',
    ]);
  });

  it('is strictly after, with whole-second resolution', () => {
    assert.deepEqual(fires('5 4 * * *', '2024-01-01T04:05:00Z', 1), ['2024-01-02T04:05:00Z']);
    assert.deepEqual(fires('5 4 * * *', '2024-01-01T04:04:59.999Z', 1), ['2024-01-01T04:05:00Z']);
    assert.deepEqual(fires('5 4 * * *', '2024-01-01T04:05:00.001Z', 1), ['2024-01-02T04:05:00Z']);
  });

  it('lists and ranges', () => {
    assert.deepEqual(fires('0,30 8-9 * * *', '2024-01-01T00:00:00Z', 5), [
      '2024-01-01T08:00:00Z', '2024-01-01T08:30:00Z', '2024-01-01T09:00:00Z', '2024-01-01T09:30:00Z', '2024-01-02T08:00:00Z',
    ]);
  });

  it('N/step means N-max/step, and ranges take steps', () => {
    assert.deepEqual(fires('10/20 * * * *', '2024-01-01T00:00:00Z'), [
      '2024-01-01T00:10:00Z', '2024-01-01T00:30:00Z', '2024-01-01T00:50:00Z', '2024-01-01T01:10:00Z',
    ]);
    assert.deepEqual(fires('1-10/3 0 * * *', '2024-01-01T00:00:00Z', 5), [
      '2024-01-01T00:01:00Z', '2024-01-01T00:04:00Z', '2024-01-01T00:07:00Z', '2024-01-01T00:10:00Z', '2024-01-02T00:01:00Z',
    ]);
  });

  it('month and day names, case-insensitive, in ranges and with steps', () => {
    assert.deepEqual(fires('0 0 1 jan,Jul *', '2024-02-01T00:00:00Z', 2), ['2024-07-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    assert.deepEqual(fires('0 0 1 JAN-DEC/3 *', '2024-01-01T00:00:00Z', 3), [
      '2024-04-01T00:00:00Z', '2024-07-01T00:00:00Z', '2024-10-01T00:00:00Z',
    ]);
    // 2024-01-05 is a Friday.
    assert.deepEqual(fires('0 9 * * MON-FRI', '2024-01-05T10:00:00Z', 2), ['2024-01-08T09:00:00Z', '2024-01-09T09:00:00Z']);
    assert.deepEqual(fires('0 9 * * sat,SUN', '2024-01-01T00:00:00Z', 2), ['2024-01-06T09:00:00Z', '2024-01-07T09:00:00Z']);
  });

  it('? is the same as *', () => {
    assert.deepEqual(fires('0 12 ? * SUN', '2024-01-01T00:00:00Z', 2), ['2024-01-07T12:00:00Z', '2024-01-14T12:00:00Z']);
    assert.deepEqual(fires('0 12 1 * ?', '2024-01-01T12:00:00Z', 1), ['2024-02-01T12:00:00Z']);
  });

  it('day-of-week 0 is Sunday', () => {
    assert.deepEqual(fires('0 0 * * 0', '2024-01-01T00:00:00Z', 1), ['2024-01-07T00:00:00Z']);
  });

  it('whitespace between and around fields is tolerated', () => {
    assert.deepEqual(fires('  0   9 *  * *  ', '2024-01-01T00:00:00Z', 1), ['2024-01-01T09:00:00Z']);
  });
});

describe('the day-of-month / day-of-week rule', () => {
  it('both restricted: a day matches if EITHER matches', () => {
    // Fridays (5, 12, 19, 26 Jan 2024) or the 13th.
    assert.deepEqual(fires('0 0 13 * 5', '2024-01-01T00:00:00Z', 5), [
      '2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z', '2024-01-13T00:00:00Z', '2024-01-19T00:00:00Z', '2024-01-26T00:00:00Z',
    ]);
  });

  it('a stepped * (*/2) counts as restricted', () => {
    // Odd days or Fridays: 11, 12 (Fri), 13.
    assert.deepEqual(fires('0 0 */2 * FRI', '2024-01-10T00:00:00Z', 3), [
      '2024-01-11T00:00:00Z', '2024-01-12T00:00:00Z', '2024-01-13T00:00:00Z',
    ]);
  });

  it('a * or */1 day-of-month means only day-of-week matters, and vice versa', () => {
    assert.deepEqual(fires('0 0 * * 5', '2024-01-01T00:00:00Z', 2), ['2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z']);
    assert.deepEqual(fires('0 0 */1 * 5', '2024-01-01T00:00:00Z', 2), ['2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z']);
    assert.deepEqual(fires('0 0 13 * *', '2024-01-01T00:00:00Z', 2), ['2024-01-13T00:00:00Z', '2024-02-13T00:00:00Z']);
  });

  it('OR makes an impossible day-of-month reachable through day-of-week', () => {
    // February 30 OR a Monday in February: 2024-02-05 is a Monday.
    assert.deepEqual(fires('0 0 30 2 1', '2024-01-01T00:00:00Z', 1), ['2024-02-05T00:00:00Z']);
  });
});

describe('descriptors and @every', () => {
  it('@yearly @annually @monthly @weekly @daily @midnight @hourly', () => {
    assert.deepEqual(fires('@yearly', '2024-03-01T00:00:00Z', 1), ['2025-01-01T00:00:00Z']);
    assert.deepEqual(fires('@annually', '2024-03-01T00:00:00Z', 1), ['2025-01-01T00:00:00Z']);
    assert.deepEqual(fires('@monthly', '2024-01-15T00:00:00Z', 1), ['2024-02-01T00:00:00Z']);
    assert.deepEqual(fires('@weekly', '2024-01-01T00:00:00Z', 1), ['2024-01-07T00:00:00Z']);
    assert.deepEqual(fires('@daily', '2024-01-01T10:00:00Z', 1), ['2024-01-02T00:00:00Z']);
    assert.deepEqual(fires('@midnight', '2024-01-01T10:00:00Z', 1), ['2024-01-02T00:00:00Z']);
    assert.deepEqual(fires('@hourly', '2024-01-01T10:30:00Z', 1), ['2024-01-01T11:00:00Z']);
  });

  it('@every adds the duration to afterMs rounded down to a second', () => {
    assert.deepEqual(fires('@every 1h30m', '2024-01-01T00:00:00.500Z', 2), ['2024-01-01T01:30:00Z', '2024-01-01T03:00:00Z']);
    assert.equal(parseCron('@every 90s').everyMs, 90_000);
    assert.equal(parseCron('@every 1.5h').everyMs, 5_400_000);
    assert.equal(parseCron('@every 1.5s').everyMs, 1000, 'truncated to whole seconds');
    assert.equal(parseCron('@every 500ms').everyMs, 1000, 'at least one second');
    assert.equal(parseCron('@every 2h45m30s').everyMs, ((2 * 60 + 45) * 60 + 30) * 1000);
    assert.equal(parseCron('@every .5h').everyMs, 1_800_000);
    assert.equal(parseCron('@every 1m0.5s').everyMs, 60_000);
    assert.equal(parseCron('@every -5m').everyMs, 1000, 'negative durations become one second, as in robfig');
  });

  it('nextCronTimeFrom anchors on the scheduled time, as Temporal\'s GetBackoffForNextSchedule', () => {
    const every = parseCron('@every 1h');
    assert.equal(iso(nextCronTimeFrom(every, at('2024-01-01T00:00:00Z'), at('2024-01-01T02:30:00Z'))), '2024-01-01T03:00:00Z');
    assert.equal(iso(nextCronTimeFrom(every, at('2024-01-01T00:00:00Z'), at('2024-01-01T00:10:00Z'))), '2024-01-01T01:00:00Z');
    assert.equal(iso(nextCronTimeFrom(every, at('2024-01-01T00:00:00Z'), at('2024-01-01T03:00:00Z'))), '2024-01-01T03:00:00Z');
    assert.equal(iso(nextCronTimeFrom(every, at('2024-01-01T05:00:00Z'), at('2024-01-01T03:00:00Z'))), '2024-01-01T05:00:00Z');
    const hourly = parseCron('0 * * * *');
    assert.equal(iso(nextCronTimeFrom(hourly, at('2024-01-01T00:00:00Z'), at('2024-01-01T02:30:00Z'))), '2024-01-01T03:00:00Z');
    assert.equal(iso(nextCronTimeFrom(hourly, at('2024-01-01T00:00:00Z'), at('2024-01-01T03:00:00Z'))), '2024-01-01T03:00:00Z');
    assert.equal(iso(nextCronTimeFrom(hourly, at('2024-01-01T00:00:00Z'), at('2024-01-01T00:00:00Z'))), '2024-01-01T01:00:00Z');
  });
});

describe('time zones', () => {
  it('CRON_TZ= and TZ= prefixes evaluate in that zone; the default is UTC', () => {
    assert.equal(parseCron('0 9 * * *').timezone, 'UTC');
    assert.equal(parseCron('CRON_TZ=Asia/Tokyo 0 9 * * *').timezone, 'Asia/Tokyo');
    assert.deepEqual(fires('CRON_TZ=Asia/Tokyo 0 9 * * *', '2024-01-01T00:00:00Z', 1), ['2024-01-02T00:00:00Z']);
    assert.deepEqual(fires('TZ=Asia/Kolkata 0 9 * * *', '2024-01-01T00:00:00Z', 1), ['2024-01-01T03:30:00Z']);
    assert.deepEqual(fires('TZ=Asia/Tokyo @daily', '2024-01-01T00:00:00Z', 1), ['2024-01-01T15:00:00Z']);
  });

  it('spring forward: a wall time that does not exist is skipped', () => {
    // New York, 2024-03-10 02:00 EST -> 03:00 EDT: there is no 02:30 that day.
    assert.deepEqual(fires('CRON_TZ=America/New_York 30 2 * * *', '2024-03-09T00:00:00Z', 3), [
      '2024-03-09T07:30:00Z', '2024-03-11T06:30:00Z', '2024-03-12T06:30:00Z',
    ]);
  });

  it('fall back: a repeated wall time fires at both instants (robfig and Temporal)', () => {
    // New York, 2024-11-03 02:00 EDT -> 01:00 EST: 01:30 happens twice.
    assert.deepEqual(fires('TZ=America/New_York 30 1 * * *', '2024-11-02T12:00:00Z', 3), [
      '2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z', '2024-11-04T06:30:00Z',
    ]);
    // Hourly fires on the hour in both copies of 01:xx; the 25-hour day has 25 fires.
    const schedule = parseCron('CRON_TZ=America/New_York 0 * * * *');
    let t = at('2024-11-03T04:00:00Z'); // 00:00 EDT
    let n = 0;
    while ((t = nextCronTime(schedule, t)) <= at('2024-11-04T05:00:00Z')) n++; // through 00:00 EST next day
    assert.equal(n, 25);
  });

  it('half-hour DST shifts (Australia/Lord_Howe)', () => {
    // 2024-10-06 02:00 LHST(+10:30) -> 02:30 LHDT(+11): 02:15 does not exist.
    assert.deepEqual(fires('CRON_TZ=Australia/Lord_Howe 15 2 * * *', '2024-10-04T00:00:00Z', 2), [
      '2024-10-04T15:45:00Z', '2024-10-06T15:15:00Z',
    ]);
  });

  it('rejects unknown zones and a prefix with nothing after it', () => {
    rejects('TZ=Nope/Zone * * * * *', 'invalid cron expression "TZ=Nope/Zone * * * * *": unknown time zone "Nope/Zone"');
    rejects('CRON_TZ=UTC', /time zone prefix is not followed by a schedule/);
  });
});

describe('schedules that rarely or never fire', () => {
  it('Feb 29 fires in the next leap year', () => {
    assert.deepEqual(fires('0 0 29 2 *', '2024-03-01T00:00:00Z', 1), ['2028-02-29T00:00:00Z']);
  });

  it('impossible dates return undefined quickly (robfig searches five years)', () => {
    const started = performance.now();
    assert.deepEqual(fires('0 0 30 2 *', '2024-01-01T00:00:00Z', 1), [undefined]);
    assert.deepEqual(fires('0 0 31 4,6,9,11 *', '2024-01-01T00:00:00Z', 1), [undefined]);
    assert.ok(performance.now() - started < 500);
  });
});

describe('errors name the bad field or token', () => {
  it('out-of-range values', () => {
    rejects('61 * * * *', 'invalid cron expression "61 * * * *": minute 61 is out of range 0-59');
    rejects('* 24 * * *', 'invalid cron expression "* 24 * * *": hour 24 is out of range 0-23');
    rejects('* * 0 * *', 'invalid cron expression "* * 0 * *": day-of-month 0 is out of range 1-31');
    rejects('* * * 13 *', 'invalid cron expression "* * * 13 *": month 13 is out of range 1-12');
    rejects('* * * * 7', 'invalid cron expression "* * * * 7": day-of-week 7 is out of range 0-6');
    rejects('0-60 * * * *', /minute 60 is out of range 0-59/);
  });

  it('malformed tokens', () => {
    rejects('x * * * *', 'invalid cron expression "x * * * *": minute "x" is not a number');
    rejects('* * * FOO *', 'invalid cron expression "* * * FOO *": month "FOO" is not a number or name');
    rejects('* * * * MONDAY', /day-of-week "MONDAY" is not a number or name/);
    rejects('*/0 * * * *', 'invalid cron expression "*/0 * * * *": minute step "0" must be a positive integer');
    rejects('*/x * * * *', /minute step "x" must be a positive integer/);
    rejects('5-3 * * * *', 'invalid cron expression "5-3 * * * *": minute range 5-3 has its start after its end');
    rejects('1-2-3 * * * *', /minute "1-2-3" has more than one '-'/);
    rejects('1/2/3 * * * *', /minute "1\/2\/3" has more than one '\/'/);
    rejects('-5 * * * *', /minute "" is not a number/);
    rejects('1,,2 * * * *', /minute "1,,2" has an empty list item/);
    rejects('L * * * *', /minute "L" is not a number/);
  });

  it('field counts, descriptors and durations', () => {
    rejects('* * *', 'invalid cron expression "* * *": expected exactly 5 fields (minute hour day-of-month month day-of-week), found 3');
    rejects('0 * * * * *', /expected exactly 5 fields .* found 6/);
    rejects('', 'invalid cron expression "": empty expression');
    rejects('@foo', 'invalid cron expression "@foo": unknown descriptor "@foo"');
    rejects('@DAILY', /unknown descriptor "@DAILY"/);
    rejects('@every', /@every needs a duration/);
    rejects('@every 1d', /unknown unit "d" in duration "1d"/);
    rejects('@every 10', /missing unit in duration "10"/);
    rejects('@every abc', /invalid duration "abc"/);
    rejects('@every 1h 30m', /unknown unit "h " in duration "1h 30m"/);
    rejects('@every .s', /invalid duration ".s"/);
    rejects('@every 5constructor', /unknown unit "constructor"/);
    rejects('@constructor', /unknown descriptor "@constructor"/);
    rejects('@__proto__', /unknown descriptor "@__proto__"/);
  });
});

describe('differential check against a brute-force wall-clock scan', () => {
  /** Local fields of an instant in `zone`, straight from Intl. */
  function localFields(zone) {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    return (ms) => {
      const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
      return { ...p, dow: new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() };
    };
  }

  /** A deterministic pseudo-random generator. */
  function rng(seed) {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }

  const pick = (rand, max, count) => [...new Set(Array.from({ length: count }, () => Math.floor(rand() * max)))].sort((a, b) => a - b);

  const windows = [
    ['America/New_York', '2024-03-09T00:00:00Z', '2024-03-12T00:00:00Z'],
    ['America/New_York', '2024-11-02T00:00:00Z', '2024-11-05T00:00:00Z'],
    ['Europe/London', '2024-10-26T00:00:00Z', '2024-10-29T00:00:00Z'],
    ['Australia/Lord_Howe', '2024-04-06T00:00:00Z', '2024-04-08T00:00:00Z'],
    ['Asia/Kolkata', '2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z'],
  ];

  for (const [zone, from, to] of windows) {
    it(`random minute/hour/day-of-week sets in ${zone} around ${from.slice(0, 10)}`, () => {
      const rand = rng(at(from) / 1000);
      const local = localFields(zone);
      let total = 0;
      for (let round = 0; round < 6; round++) {
        // Round 0 always covers the hours where these zones change offset.
        const minutes = round === 0 ? [0, 15, 30, 45] : pick(rand, 60, 1 + Math.floor(rand() * 4));
        const hours = round === 0 ? [0, 1, 2, 3] : pick(rand, 24, 1 + Math.floor(rand() * 8));
        const dows = round % 2 === 0 ? undefined : pick(rand, 7, 1 + Math.floor(rand() * 5));
        const expression = `CRON_TZ=${zone} ${minutes.join(',')} ${hours.join(',')} * * ${dows ? dows.join(',') : '*'}`;
        const expected = [];
        for (let t = at(from) + 60_000; t <= at(to); t += 60_000) {
          const l = local(t);
          if (minutes.includes(l.minute) && hours.includes(l.hour) && (!dows || dows.includes(l.dow))) expected.push(t);
        }
        const schedule = parseCron(expression);
        const actual = [];
        for (let t = nextCronTime(schedule, at(from)); t !== undefined && t <= at(to); t = nextCronTime(schedule, t)) actual.push(t);
        assert.deepEqual(actual.map(iso), expected.map(iso), expression);
        total += expected.length;
      }
      assert.ok(total > 20, `only ${total} fire times: the scan is not exercising anything`);
    });
  }
});
