import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { resolveLayoutFiles } from '../../lib/store/resolve-layout-files.ts';
import { WallClockZone } from '../../lib/store/wall-clock-zone.ts';

// US DST rules (Energy Policy Act of 2005): EDT = UTC-4 from the second Sunday of March
// 02:00 to the first Sunday of November 02:00, EST = UTC-5 otherwise.
const HOUR = 3_600_000;

test('WallClockZone: places wall-clock times in winter and summer time', (t) => {
  const ny = new WallClockZone('America/New_York');
  t.is(ny.toUtc(Date.UTC(2024, 0, 2, 9, 30)), Date.UTC(2024, 0, 2, 9, 30) + 5 * HOUR);
  t.is(ny.toUtc(Date.UTC(2024, 6, 2, 9, 30)), Date.UTC(2024, 6, 2, 9, 30) + 4 * HOUR);
  t.true(Number.isNaN(ny.toUtc(Number.NaN)));
});

test('WallClockZone: switches offset within the day of a DST change', (t) => {
  const ny = new WallClockZone('America/New_York');
  const values = Float64Array.from([Date.UTC(2024, 2, 10, 1, 30), Date.UTC(2024, 2, 10, 9, 30), Date.UTC(2024, 10, 3, 0, 30), Date.UTC(2024, 10, 3, 9, 30)]);
  ny.toUtcInPlace(values);
  t.deepEqual(Array.from(values), [Date.UTC(2024, 2, 10, 6, 30), Date.UTC(2024, 2, 10, 13, 30), Date.UTC(2024, 10, 3, 4, 30), Date.UTC(2024, 10, 3, 14, 30)]);
});

test('WallClockZone: refuses an unknown zone with a ConfigError naming store.timezone', (t) => {
  const error = t.throws(() => new WallClockZone('America/Gotham'), { instanceOf: ConfigError });
  t.is(error.problems[0]?.path, 'store.timezone');
});

test('resolveLayoutFiles: refuses a wildcard in a folder name', (t) => {
  t.throws(() => resolveLayoutFiles({ root: '/data', layout: '{interval}/*/{symbol}.parquet' }, { symbol: 'SPY', interval: '1m', date: '2024-01-02' }), { instanceOf: ConfigError, message: /"\*" in the file name only/ });
});

test('resolveLayoutFiles: a missing partition folder matches no file and a plain template names its one file', (t) => {
  const key = { symbol: 'SPY', interval: '1m', date: '2024-01-02' };
  t.deepEqual(resolveLayoutFiles({ root: '/nonexistent-root', layout: '{interval}/symbol={symbol}/date={date}/*.parquet' }, key), { pattern: '/nonexistent-root/1m/symbol=SPY/date=2024-01-02/*.parquet', files: [] });
  t.deepEqual(resolveLayoutFiles({ root: '/data', layout: '{interval}/{symbol}.parquet' }, key).files, ['/data/1m/SPY.parquet']);
});
