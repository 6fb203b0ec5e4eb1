import test from 'ava';
import { TimestampParser } from '../../lib/store/import/timestamp-parser.ts';
import { ZoneClock } from '../../lib/calendar/zone-clock.ts';

// Expected instants are written with Date.UTC from the zone rules themselves: New York is
// UTC-5 in winter (EST) and UTC-4 from the second Sunday of March (EDT; 2024-03-10).
const ny = new ZoneClock('America/New_York');

test('TimestampParser: reads ISO 8601 with Z or an offset as the instant it names', (t) => {
  const p = new TimestampParser({ zone: ny });
  t.is(p.parse('2024-01-02T14:30:00Z'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(p.parse('2024-01-02T09:30:00-05:00'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(p.parse('2024-01-02 15:30:00+0100'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(p.parse('2024-01-02T14:30:00.250Z'), Date.UTC(2024, 0, 2, 14, 30, 0, 250));
});

test('TimestampParser: reads naive ISO and US dates as wall time in the zone, across DST', (t) => {
  const p = new TimestampParser({ zone: ny });
  t.is(p.parse('2024-01-02 09:30'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(p.parse('2024-03-11T09:30:00'), Date.UTC(2024, 2, 11, 13, 30));
  t.is(p.parse('03/08/2024 16:00'), Date.UTC(2024, 2, 8, 21, 0));
  t.is(p.parseDateTime('01/02/2024', '09:30'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(p.parseDateTime('2024-03-11', '09:30'), Date.UTC(2024, 2, 11, 13, 30));
  t.is(p.parseDateTime('20240311', '09:30:00'), Date.UTC(2024, 2, 11, 13, 30));
});

test('TimestampParser: detects the epoch unit from the first value and keeps nanoseconds exact', (t) => {
  // 1679988600000000000 ns is the first window_start of Polygon's documented minute-aggregate example (2023-03-28 07:30 UTC).
  const ns = new TimestampParser({ zone: ny });
  t.is(ns.parse('1679988600000000000'), Date.UTC(2023, 2, 28, 7, 30));
  t.is(ns.epochUnit, 'ns');
  t.is(ns.parse('1679988660000000000'), Date.UTC(2023, 2, 28, 7, 31));
  t.is(new TimestampParser({ zone: ny }).parse('1704205800'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(new TimestampParser({ zone: ny }).parse('1704205800000'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(new TimestampParser({ zone: ny }).parse('1704205800000000'), Date.UTC(2024, 0, 2, 14, 30));
  t.is(new TimestampParser({ zone: ny, unit: 'ms' }).parse('1704205800'), 1704205800);
});

test('TimestampParser: gives NaN for text that is no date or an impossible one', (t) => {
  const p = new TimestampParser({ zone: ny });
  for (const text of ['', 'not-a-time', '2023-02-29 09:30', '2024-01-02 24:00', '13/01/2024 09:30', '2024-01-02T09:30:00+25:00']) {
    t.true(Number.isNaN(p.parse(text)), text);
  }
  t.true(Number.isNaN(p.parseDateTime('01/02/2024', '9h30')));
});

test('ZoneClock: rejects an unknown zone with a ConfigError naming the field', (t) => {
  const error = t.throws(() => new ZoneClock('Mars/Olympus', 'tz'));
  t.regex(error.message, /^tz: expected an IANA time zone/);
});
