/**
 * Extra store columns (`store.columns.extra`, e.g. a vendor's vwap and trade count) reach
 * SessionData aligned with their bars — today's base series and the trailing history — and
 * are exported with the day. Expected values are the ones written into the files.
 */
import test from 'ava';
import { join } from 'node:path';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { setLogLevel } from '../../lib/log.ts';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { tempRoot } from '../helpers/lean-store.ts';

setLogLevel('error');
const MIN = 60_000;

test('store.columns.extra: vwap and trades are kept in SessionData, aligned with today’s bars and the history', async (t) => {
  const root = await tempRoot(t, 'sessionflow-extra-');
  const sessions = getCalendar('XNYS').sessions('2024-05-06', '2024-05-08');
  // 30 bars from the open each day; every 7th minute missing so alignment is tested across gaps.
  const expected = new Map<number, { vwap: number; trades: number }>();
  for (const [d, s] of sessions.entries()) {
    const starts: number[] = [];
    for (let m = 0; m < 30; m++) if (m % 7 !== 3) starts.push(s.open + m * MIN);
    const price = (i: number) => 100 + d + i / 10;
    const vwap = starts.map((_, i) => price(i) + 0.013);
    const trades = starts.map((_, i) => 1000 * d + i);
    starts.forEach((start, i) => expected.set(start, { vwap: vwap[i]!, trades: trades[i]! }));
    await writeParquetFile(
      join(root, '1m', 'XYZ', `${s.date}.parquet`),
      {
        time: Float64Array.from(starts),
        o: Float64Array.from(starts, (_, i) => price(i)),
        h: Float64Array.from(starts, (_, i) => price(i) + 0.05),
        l: Float64Array.from(starts, (_, i) => price(i) - 0.05),
        c: Float64Array.from(starts, (_, i) => price(i) + 0.01),
        v: Float64Array.from(starts, () => 500),
        vw: Float64Array.from(vwap),
        n: Int32Array.from(trades),
      },
      { timestampColumns: ['time'], int64Columns: ['v'] },
    );
  }
  const result = await backtest(
    {
      backtest: { start: sessions[1]!.date, end: sessions[2]!.date },
      store: { root, layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'time', label: 'start' }, columns: { open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v', extra: { vwap: 'vw', trades: 'n' } } },
      symbols: ['XYZ'],
      streams: ['1m', '5m'],
      history: [{ trailingSessions: 1, intervals: ['1m'] }],
    },
    { baseDir: root },
  ).result();
  t.teardown(() => result.dispose());
  const entry = result.sessionData!.get('XYZ')!;
  for (const series of [entry.bars.get('1m')!, entry.history.get('1m')!]) {
    t.true(series.length >= 25);
    for (let row = 0; row < series.length; row++) {
      const want = expected.get(series.start[row]!)!;
      t.is(series.value('vwap', row), want.vwap);
      t.is(series.value('trades', row), want.trades);
    }
  }
  // Derived bars do not invent a vwap: the column belongs to the base interval only.
  t.false(entry.bars.get('5m')!.hasColumn('vwap'));
  t.true(result.sessionData!.table('XYZ', '1m').columnNames().includes('trades'));
});
