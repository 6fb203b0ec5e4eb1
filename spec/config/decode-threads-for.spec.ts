import test from 'ava';
import { AUTO_DECODE_THREAD_SYMBOLS, decodeThreadsFor } from '../../lib/config/decode-threads-for.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { ConfigError } from '../../lib/errors.ts';

const config = (symbols: number, decodeThreads?: unknown) =>
  parseConfig({ backtest: { start: '2024-01-02', end: '2024-01-03' }, store: { root: '/data', layout: '{symbol}/{date}.parquet', ...(decodeThreads === undefined ? {} : { decodeThreads }) }, symbols: Array.from({ length: symbols }, (_, i) => `S${i}`) });

test('decodeThreads "auto" (the default): the main thread below 150 symbols, two threads from there; a number is taken as given', (t) => {
  t.is(config(1).store.decodeThreads, 'auto');
  t.is(decodeThreadsFor(config(1)), 0);
  t.is(decodeThreadsFor(config(AUTO_DECODE_THREAD_SYMBOLS - 1)), 0);
  t.is(decodeThreadsFor(config(AUTO_DECODE_THREAD_SYMBOLS)), 2);
  t.is(decodeThreadsFor(config(1, 3)), 3);
  t.is(decodeThreadsFor(config(500, 0)), 0);
  t.is(decodeThreadsFor(config(2, 'auto')), 0);
});

test('decodeThreads: anything but "auto" or a whole number 0–8 is refused, naming the field', (t) => {
  for (const bad of ['many', 9, -1]) {
    const error = t.throws(() => config(1, bad), { instanceOf: ConfigError });
    t.true(error!.problems.some((p) => p.path === 'store.decodeThreads'), `${String(bad)}: ${error!.message}`);
  }
});
