// Schedule specs in IANA time zones, DST included: dist/server/schedules/spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileScheduleSpec, nextScheduleTime, scheduleTimesBetween } from '../../../dist/server/schedules/spec/index.js';

const at = (iso) => Date.parse(iso);
const iso = (ms) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** Nominal times in (fromIso, toIso]. */
const between = (input, fromIso, toIso) =>
  scheduleTimesBetween(compileScheduleSpec(input), at(fromIso), at(toIso), 'seed', 100_000).map((t) => iso(t.nominalMs));

describe('calendars in a time zone', () => {
  it('are evaluated in timezoneName', () => {
    assert.deepEqual(between({ calendar: [{ hour: '9' }], timezoneName: 'Asia/Tokyo' }, '2024-01-01T00:00:00Z', '2024-01-02T12:00:00Z'), [
      '2024-01-02T00:00:00Z',
    ]);
    assert.deepEqual(between({ calendar: [{ hour: '9' }], timezoneName: 'Asia/Kolkata' }, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'), [
      '2024-01-01T03:30:00Z',
    ]);
    assert.deepEqual(between({ cronString: ['CRON_TZ=Europe/Paris 0 9 * * *'] }, '2024-07-01T00:00:00Z', '2024-07-02T00:00:00Z'), [
      '2024-07-01T07:00:00Z',
    ]);
  });

  it('UTC, Etc/UTC and the empty name are the same zone', () => {
    for (const timezoneName of ['', 'UTC', 'Etc/UTC', undefined]) {
      assert.deepEqual(between({ calendar: [{ hour: '9' }], timezoneName }, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'), ['2024-01-01T09:00:00Z']);
    }
  });

  it('spring forward: a wall time that does not exist does not fire (Temporal\'s documented rule)', () => {
    const input = { calendar: [{ hour: '2', minute: '30' }], timezoneName: 'America/New_York' };
    assert.deepEqual(between(input, '2024-03-08T12:00:00Z', '2024-03-12T12:00:00Z'), [
      '2024-03-09T07:30:00Z', '2024-03-11T06:30:00Z', '2024-03-12T06:30:00Z',
    ]);
  });

  it('fall back: a wall time that happens twice fires twice (Temporal\'s documented rule)', () => {
    const input = { calendar: [{ hour: '1', minute: '30' }], timezoneName: 'America/New_York' };
    assert.deepEqual(between(input, '2024-11-02T12:00:00Z', '2024-11-04T12:00:00Z'), [
      '2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z', '2024-11-04T06:30:00Z',
    ]);
    const seconds = { calendar: [{ hour: '1', minute: '59', second: '58,59' }], timezoneName: 'Europe/London' };
    assert.deepEqual(between(seconds, '2024-10-27T00:00:00Z', '2024-10-27T03:00:00Z'), [
      '2024-10-27T00:59:58Z', '2024-10-27T00:59:59Z', '2024-10-27T01:59:58Z', '2024-10-27T01:59:59Z',
    ]);
  });

  it('a lookup starting inside the repeated hour finds both copies in order', () => {
    const spec = compileScheduleSpec({ calendar: [{ hour: '1', minute: '20,50' }], timezoneName: 'America/New_York' });
    // 05:45Z is 01:45 EDT: next are 01:50 EDT (05:50Z), then 01:20 EST (06:20Z), 01:50 EST (06:50Z).
    const times = [];
    for (let t = at('2024-11-03T05:45:00Z'), i = 0; i < 3; i++) times.push(iso((t = nextScheduleTime(spec, t, 's').nominalMs)));
    assert.deepEqual(times, ['2024-11-03T05:50:00Z', '2024-11-03T06:20:00Z', '2024-11-03T06:50:00Z']);
  });

  it('exclusions are evaluated in the zone too', () => {
    // Daily at 00:00 UTC is 19:00 the previous day in New York (EST); exclude New York Saturdays and Sundays.
    const input = { interval: [{ intervalMs: 86_400_000 }], excludeCalendar: [{ dayOfWeek: 'sat,sun', hour: '19' }], timezoneName: 'America/New_York' };
    // 2024-01-06 00:00Z = Fri 19:00 NY (kept); 01-07 00:00Z = Sat (excluded); 01-08 00:00Z = Sun (excluded).
    assert.deepEqual(between(input, '2024-01-05T12:00:00Z', '2024-01-09T12:00:00Z'), ['2024-01-06T00:00:00Z', '2024-01-09T00:00:00Z']);
  });

  it('intervals ignore the zone', () => {
    const input = { interval: [{ intervalMs: 3_600_000 }], timezoneName: 'Asia/Kolkata' };
    assert.deepEqual(between(input, '2024-01-01T00:00:00Z', '2024-01-01T02:00:00Z'), ['2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z']);
  });

  it('a rare date in a DST zone is found across many years quickly', () => {
    const started = performance.now();
    const input = { calendar: [{ month: '2', dayOfMonth: '29', hour: '2', minute: '30' }], timezoneName: 'America/New_York' };
    const times = between(input, '2001-01-01T00:00:00Z', '2100-12-31T23:59:59Z');
    assert.equal(times.length, 24); // 2004 … 2096 (2100 is not a leap year)
    assert.equal(times[0], '2004-02-29T07:30:00Z');
    assert.equal(times[23], '2096-02-29T07:30:00Z');
    assert.ok(performance.now() - started < 5000);
  });
});

describe('differential check against a brute-force wall-clock scan', () => {
  function localFields(zone) {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    return (ms) => {
      const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
      return { ...p, dow: new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() };
    };
  }

  function rng(seed) {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }

  /** A random range over [min, max] and the predicate it stands for. */
  function randomRange(rand, min, max) {
    const start = min + Math.floor(rand() * (max - min + 1));
    const end = start + Math.floor(rand() * (max - start + 1));
    const step = 1 + Math.floor(rand() * 3);
    return { range: { start, end, step }, has: (v) => v >= start && v <= end && (v - start) % step === 0 };
  }

  function randomField(rand, min, max, count) {
    const parts = Array.from({ length: count }, () => randomRange(rand, min, max));
    return { ranges: parts.map((p) => p.range), has: (v) => parts.some((p) => p.has(v)) };
  }

  const windows = [
    ['America/New_York', '2024-03-09T00:00:00Z', '2024-03-12T00:00:00Z'],
    ['America/New_York', '2024-11-02T00:00:00Z', '2024-11-05T00:00:00Z'],
    ['Europe/Berlin', '2024-03-30T00:00:00Z', '2024-04-01T12:00:00Z'],
    ['Australia/Lord_Howe', '2024-10-05T00:00:00Z', '2024-10-07T00:00:00Z'],
    ['America/Sao_Paulo', '2018-11-03T00:00:00Z', '2018-11-05T00:00:00Z'], // DST began at midnight: no 00:xx on 11-04
  ];

  for (const [zone, from, to] of windows) {
    it(`random structured calendars with exclusions in ${zone} around ${from.slice(0, 10)}`, () => {
      const rand = rng(at(from) / 1000 + 7);
      const local = localFields(zone);
      let total = 0;
      for (let round = 0; round < 6; round++) {
        const minute = round === 0 ? { ranges: [{ start: 0, end: 45, step: 15 }], has: (v) => v % 15 === 0 } : randomField(rand, 0, 59, 2);
        const hour = round === 0 ? { ranges: [{ start: 0, end: 3 }], has: (v) => v <= 3 } : randomField(rand, 0, 23, 2);
        const dow = randomField(rand, 0, 6, 2);
        const exHour = randomField(rand, 0, 23, 1);
        const cal = { second: [{ start: 0 }], minute: minute.ranges, hour: hour.ranges, dayOfMonth: [{ start: 1, end: 31 }], month: [{ start: 1, end: 12 }], dayOfWeek: dow.ranges };
        const exclude = { ...cal, minute: [{ start: 0, end: 59 }], hour: exHour.ranges, dayOfWeek: [{ start: 0, end: 6 }] };
        const input = { structuredCalendar: [cal], excludeStructuredCalendar: [exclude], timezoneName: zone };
        const expected = [];
        for (let t = at(from) + 60_000; t <= at(to); t += 60_000) {
          const l = local(t);
          if (minute.has(l.minute) && hour.has(l.hour) && dow.has(l.dow) && !exHour.has(l.hour)) expected.push(iso(t));
        }
        assert.deepEqual(between(input, from, to), expected, JSON.stringify(input));
        total += expected.length;
      }
      assert.ok(total > 10, `only ${total} times: the scan is not exercising anything`);
    });
  }
});
