import test from 'ava';
import { intervalMs, parseInterval } from '../../lib/calendar/interval.ts';
import { ConfigError } from '../../lib/errors.ts';

test('parseInterval: reads seconds, minutes, hours and sessions', (t) => {
  t.is(parseInterval('30s').ms, 30_000);
  t.is(parseInterval('15m').ms, 900_000);
  t.is(parseInterval('1h').ms, 3_600_000);
  t.is(parseInterval('1d').sessions, 1);
  t.is(parseInterval('1d').ms, Number.POSITIVE_INFINITY);
});

test('parseInterval: names the path and the bad text', (t) => {
  const error = t.throws(() => parseInterval('5 min', 'streams[2]'), { instanceOf: ConfigError });
  t.is(error.problems[0]!.path, 'streams[2]');
  t.regex(error.message, /streams\[2\].*"5 min"/);
  t.throws(() => parseInterval('0m'), { instanceOf: ConfigError });
});

test('intervalMs: refuses session intervals, which have no fixed length', (t) => {
  t.throws(() => intervalMs('1d'), { instanceOf: ConfigError, message: /intraday/ });
});
