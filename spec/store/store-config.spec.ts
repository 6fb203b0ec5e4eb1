import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { tempStore } from './parquet-builder.ts';

const GOOD = fileURLToPath(new URL('../fixtures/parquet/spy_2013-10-07_rth_zstd.parquet', import.meta.url));

function config(root: string, store: Record<string, unknown> = {}) {
  return parseConfig({
    backtest: { start: '2013-10-07', end: '2013-10-07' },
    store: { root, layout: '{interval}/symbol={symbol}/date={date}/*.parquet', timestamp: { column: 'ts_utc_us' }, ...store },
    symbols: ['SPY', 'QQQ'],
  });
}

test('store config: accepts layouts per interval, a time zone and extra columns', (t) => {
  const parsed = config('/data', { layouts: { '1d': 'daily/{symbol}.parquet' }, timezone: 'America/Chicago', columns: { extra: { vwap: 'vw', trades: 'n' } } });
  t.deepEqual(parsed.store.layouts, { '1d': 'daily/{symbol}.parquet' });
  t.is(parsed.store.timezone, 'America/Chicago');
  t.deepEqual(parsed.store.columns?.extra, { vwap: 'vw', trades: 'n' });
  const error = t.throws(() => config('/data', { layouts: { daily: 'x.parquet' }, columns: { extra: { 'bad name': 'x' } } }), { instanceOf: ConfigError });
  t.true(error.problems.some((p) => p.path.startsWith('store.layouts')));
  t.true(error.problems.some((p) => p.path.startsWith('store.columns.extra')));
});

test('store config: the reader refuses an unknown time zone and extra names that shadow bar fields', (t) => {
  const error = t.throws(() => new ParquetBarReader({ root: '/data', layout: '{symbol}.parquet', timestamp: { column: 'ts', label: 'start' }, timezone: 'Mars/Base', columns: { extra: { close: 'c2' } } }), { instanceOf: ConfigError });
  t.deepEqual(error.problems.map((p) => p.path).sort(), ['store.columns.extra.close', 'store.timezone']);
});

test('store config: the run plan defaults the store zone to the calendar\'s and finds hive partitions', async (t) => {
  const root = tempStore(t);
  const folder = path.join(root, '1m', 'symbol=SPY', 'date=2013-10-07');
  mkdirSync(folder, { recursive: true });
  copyFileSync(GOOD, path.join(folder, 'part-00000-3f1c.parquet'));
  const plan = await planRun(config(root));
  t.is(plan.store.timezone, 'America/New_York');
  t.deepEqual(plan.availability.files, [path.join(folder, 'part-00000-3f1c.parquet')]);
  t.is(plan.availability.missing.length, 1);
  t.like(plan.availability.missing[0], { symbol: 'QQQ', date: '2013-10-07', kind: 'session' });
  t.regex(plan.availability.missing[0]!.reason, /no file matches .*symbol=QQQ\/date=2013-10-07\/\*\.parquet/);
  const explicit = await planRun(config(root, { timezone: 'UTC' }));
  t.is(explicit.store.timezone, 'UTC');
});
