import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { momentTz } from '../../lib/calendar/moment-tz.ts';
import { ZoneClock } from '../../lib/calendar/zone-clock.ts';

// US DST rules (Energy Policy Act of 2005): EDT = UTC-4 from the second Sunday of March
// 02:00 to the first Sunday of November 02:00, EST = UTC-5 otherwise.
const HOUR = 3_600_000;

test('ZoneClock: places wall-clock times in winter and summer time', (t) => {
  const ny = new ZoneClock('America/New_York');
  t.is(ny.toUtc(Date.UTC(2024, 0, 2, 9, 30)), Date.UTC(2024, 0, 2, 9, 30) + 5 * HOUR);
  t.is(ny.toUtc(Date.UTC(2024, 6, 2, 9, 30)), Date.UTC(2024, 6, 2, 9, 30) + 4 * HOUR);
  t.true(Number.isNaN(ny.toUtc(Number.NaN)));
});

test('ZoneClock: switches offset within the day of a DST change', (t) => {
  const ny = new ZoneClock('America/New_York');
  const values = Float64Array.from([Date.UTC(2024, 2, 10, 1, 30), Date.UTC(2024, 2, 10, 9, 30), Date.UTC(2024, 10, 3, 0, 30), Date.UTC(2024, 10, 3, 9, 30)]);
  ny.toUtcInPlace(values);
  t.deepEqual(Array.from(values), [Date.UTC(2024, 2, 10, 6, 30), Date.UTC(2024, 2, 10, 13, 30), Date.UTC(2024, 10, 3, 4, 30), Date.UTC(2024, 10, 3, 14, 30)]);
});

test('ZoneClock: refuses an unknown zone with a ConfigError naming the field', (t) => {
  const error = t.throws(() => new ZoneClock('America/Gotham', 'store.timezone'), { instanceOf: ConfigError });
  t.is(error.problems[0]?.path, 'store.timezone');
});

// The one converter of the project against moment-timezone itself, both ways, over every
// quarter hour of 2024 (DST changes included) in zones exchanges use, half-hour ones too.
for (const zone of ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney', 'America/St_Johns', 'UTC']) {
  test(`ZoneClock: ${zone} agrees with moment-timezone wall → UTC and UTC → offset, day and time, every 15 minutes of 2024`, (t) => {
    const clock = new ZoneClock(zone);
    const moment = momentTz();
    let mismatches = 0;
    for (let utc = Date.UTC(2024, 0, 1); utc < Date.UTC(2025, 0, 1); utc += 15 * 60_000) {
      const offset = moment.tz(utc, zone).utcOffset() * 60_000;
      if (clock.offsetAt(utc) !== offset) mismatches++;
      const wall = utc + offset;
      if (clock.localDay(utc) !== Math.floor(wall / 86_400_000)) mismatches++;
      if (clock.localTime(utc) !== moment.tz(utc, zone).format('HH:mm')) mismatches++;
      // Wall → UTC: moment's parse of the same wall fields (first occurrence in a repeated hour, forward in a gap).
      const parsed = moment.tz(new Date(wall).toISOString().slice(0, 19), zone).valueOf();
      if (clock.toUtc(wall) !== parsed) mismatches++;
    }
    t.is(mismatches, 0);
  });
}
