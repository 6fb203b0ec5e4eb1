/**
 * The layouts of the data layer through the whole engine (plan + session loop), not just the
 * reader: a single multi-symbol file with a dictionary symbol column and a hive-partitioned
 * store, both written by DuckDB from the SPY fixture. Each backtest day must receive exactly
 * the fixture's regular-session bars (counted from the CSV), for every symbol.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { setLogLevel } from '../../lib/log.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { DATES, duckdbWithSpy, expectedSession } from './duckdb-store.ts';
import { tempStore } from './parquet-builder.ts';

setLogLevel('error');

test.serial('engine: a multi-symbol file and a hive store feed every (symbol, day) its regular-session bars', async (t) => {
  const root = tempStore(t);
  const con = await duckdbWithSpy();
  mkdirSync(path.join(root, 'multi'), { recursive: true });
  mkdirSync(path.join(root, 'hive'), { recursive: true });
  const multi = path.join(root, 'multi', 'all-1m.parquet');
  const hive = path.join(root, 'hive', '1m');
  await con.run(`COPY (SELECT s.symbol, ts, open * s.k AS open, high * s.k AS high, low * s.k AS low, close * s.k AS close, volume FROM spy, (VALUES ('AAA', 1), ('BBB', 2)) s(symbol, k) ORDER BY s.symbol, ts) TO '${multi.replace(/'/g, "''")}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await con.run(`COPY (SELECT 'SPY' AS symbol, strftime(ts AT TIME ZONE 'America/New_York', '%Y-%m-%d') AS date, ts, open, high, low, close, volume FROM spy) TO '${hive.replace(/'/g, "''")}' (FORMAT parquet, PARTITION_BY (symbol, date))`);
  const want = new Map(DATES.slice(1).map((d) => [d, expectedSession(d).start.length]));

  const runs = [
    { store: { root: path.join(root, 'multi'), layout: 'all-{interval}.parquet', timestamp: { column: 'ts', label: 'start' as const }, columns: { symbol: 'symbol' } }, symbols: ['AAA', 'BBB'] },
    { store: { root: path.join(root, 'hive'), layout: '{interval}/symbol={symbol}/date={date}/*.parquet', timestamp: { column: 'ts', label: 'start' as const } }, symbols: ['SPY'] },
  ];
  for (const { store, symbols } of runs) {
    const result = await backtest({ backtest: { start: DATES[1]!, end: DATES.at(-1)! }, store, symbols, streams: ['1m', '5m'] }, { baseDir: root }).result();
    t.teardown(() => result.dispose());
    t.is(result.days.length, want.size);
    for (const day of result.days) {
      t.deepEqual(day.skipped, [], `${store.layout} ${day.date}: nothing skipped`);
      t.is(day.barsIn, symbols.length * want.get(day.date)!, `${store.layout} ${day.date}`);
      for (const symbol of symbols) t.is(day.quality[symbol]!.intervals['1m']!.present, want.get(day.date)!, `${store.layout} ${symbol} ${day.date}`);
    }
  }
});
