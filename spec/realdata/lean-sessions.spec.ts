/**
 * Real 1-minute bars (QuantConnect Lean, Apache-2.0; see spec/fixtures/lean/README.md) run
 * through the real engine: CSV → Parquet store in a temp dir → backtest() with 1m/5m/15m.
 */
import test from 'ava';
import { tap } from 'rxjs';
import { backtest } from '../../pipelines/backtest.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import type { BacktestResult } from '../../lib/session/results.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { LEAN_LAYOUT, readLeanCsv, tempRoot, writeLeanStore, type LeanRow } from '../helpers/lean-store.ts';

const MIN = 60_000;

interface Seen {
  readonly date: string;
  readonly interval: string;
  readonly symbol: string;
  readonly start: number;
  readonly end: number;
  readonly partial: boolean;
  /** Tick at which the bar reached the pipeline. */
  readonly at: number;
}

/** A stage that records every bar any interval delivers to the pipeline. */
function recorder(into: Seen[]): SlicePipeline {
  return tap((slice) => {
    for (const [interval, closed] of slice.closed) {
      for (let k = 0; k < closed.count; k++) {
        into.push({ date: slice.session.date, interval, symbol: closed.symbol(k), start: closed.start(k), end: closed.end(k), partial: closed.partial(k), at: slice.time });
      }
    }
  });
}

async function runLean(t: Parameters<typeof tempRoot>[0], symbol: string, csv: string, start: string, end: string): Promise<{ result: BacktestResult; seen: Seen[]; rows: LeanRow[] }> {
  const root = await tempRoot(t);
  const rows = readLeanCsv(csv);
  await writeLeanStore(root, symbol, rows);
  const config: SessionConfigInput = {
    name: `lean-${symbol}`,
    calendar: 'XNYS',
    backtest: { start, end },
    store: { root, layout: LEAN_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
    symbols: [symbol],
    streams: ['1m', '5m', '15m'],
  };
  const seen: Seen[] = [];
  const result = await backtest(config, { baseDir: root, extend: () => recorder(seen) }).result();
  t.teardown(() => result.dispose());
  return { result, seen, rows };
}

const count = (seen: readonly Seen[], date: string, interval: string) => seen.filter((s) => s.date === date && s.interval === interval).length;

test('realdata: GOOG 2015-12-24 (13:00 ET early close) yields 210 1m, 42 5m and 14 15m bars and no after-hours bar', async (t) => {
  const { result, seen, rows } = await runLean(t, 'GOOG', 'GOOG_minute_trade_2015-12-23_2015-12-28.csv', '2015-12-23', '2015-12-24');
  // The fixture really holds after-hours bars that day (up to 16:11 ET), so the filter is exercised.
  const afterHours = rows.filter((r) => r.localDate === '2015-12-24' && r.localTime >= '13:00');
  t.is(afterHours.length, 15);
  t.is(afterHours.at(-1)!.localTime, '16:11');

  const day = result.days.find((d) => d.date === '2015-12-24')!;
  t.true(day.earlyClose);
  t.is(day.close, Date.parse('2015-12-24T18:00:00Z'));
  t.deepEqual(day.barsOut, { '1m': 210, '5m': 42, '15m': 14 });
  t.is(count(seen, '2015-12-24', '1m'), 210);
  t.is(count(seen, '2015-12-24', '5m'), 42);
  t.is(count(seen, '2015-12-24', '15m'), 14);
  const todays = seen.filter((s) => s.date === '2015-12-24');
  t.false(todays.some((s) => s.end > day.close), 'no bar ends after 13:00 ET');
  t.false(todays.some((s) => s.start < day.open), 'no pre-market bar');
  t.false(todays.some((s) => s.partial), '210 minutes split evenly into 5m and 15m windows');
  t.true(seen.every((s) => s.end <= s.at), 'a bar reaches the pipeline at its end, never earlier');

  // First regular bar equals the 09:30 ET CSV row (bar START labelling preserved through Parquet).
  const csv0930 = rows.find((r) => r.localDate === '2015-12-24' && r.localTime === '09:30')!;
  const first = result.sessionData!.series('GOOG', '1m').bar(0)!;
  t.deepEqual(first, { start: csv0930.start, end: csv0930.start + MIN, open: csv0930.open, high: csv0930.high, low: csv0930.low, close: csv0930.close, volume: csv0930.volume, partial: false });
  const last15 = result.sessionData!.series('GOOG', '15m').last()!;
  t.is(last15.end, day.close);
});

test('realdata: GOOG 2015-12-23 (EST) opens at 14:30Z', async (t) => {
  const { result, seen } = await runLean(t, 'GOOG', 'GOOG_minute_trade_2015-12-23_2015-12-28.csv', '2015-12-23', '2015-12-23');
  const day = result.days[0]!;
  t.is(day.open, Date.parse('2015-12-23T14:30:00Z'));
  t.is(day.close, Date.parse('2015-12-23T21:00:00Z'));
  const first5 = seen.find((s) => s.interval === '5m')!;
  t.is(first5.start, Date.parse('2015-12-23T14:30:00Z'));
  t.is(first5.end, Date.parse('2015-12-23T14:35:00Z'));
  t.false(seen.some((s) => s.start < day.open || s.end > day.close));
  // 15m windows sit on 09:30 + k·15 ET.
  t.true(seen.filter((s) => s.interval === '15m').every((s) => (s.start - day.open) % (15 * MIN) === 0));
});

test('realdata: SPY 2013-10-07 (EDT) yields 390 1m, 78 5m and 26 15m bars from 13:30Z', async (t) => {
  const { result, seen, rows } = await runLean(t, 'SPY', 'SPY_minute_trade_2013-10-04_2013-10-11.csv', '2013-10-07', '2013-10-07');
  // The file holds pre/post-market rows for the day too; none may leak in.
  t.true(rows.filter((r) => r.localDate === '2013-10-07').length > 390);
  const day = result.days[0]!;
  t.is(day.open, Date.parse('2013-10-07T13:30:00Z'));
  t.is(day.close, Date.parse('2013-10-07T20:00:00Z'));
  t.deepEqual(day.barsOut, { '1m': 390, '5m': 78, '15m': 26 });
  t.is(count(seen, '2013-10-07', '1m'), 390);
  t.is(count(seen, '2013-10-07', '5m'), 78);
  t.is(count(seen, '2013-10-07', '15m'), 26);
  const first5 = seen.find((s) => s.interval === '5m')!;
  t.is(first5.start, Date.parse('2013-10-07T13:30:00Z'));
  t.is(first5.at, Date.parse('2013-10-07T13:35:00Z'));
  t.false(seen.some((s) => s.start < day.open || s.end > day.close));
  t.is(result.days[0]!.quality.SPY!.intervals['1m']!.score, 100);

  // The 5m OHLCV equals the CSV's regular-hours rows grouped by 5 minutes from 09:30.
  const regular = rows.filter((r) => r.start >= day.open && r.start + MIN <= day.close);
  const m5 = result.sessionData!.series('SPY', '5m');
  for (const k of [0, 37, 77]) {
    const g = regular.filter((r) => Math.floor((r.start - day.open) / (5 * MIN)) === k);
    t.deepEqual(m5.bar(k), {
      start: day.open + k * 5 * MIN,
      end: day.open + (k + 1) * 5 * MIN,
      open: g[0]!.open,
      high: Math.max(...g.map((r) => r.high)),
      low: Math.min(...g.map((r) => r.low)),
      close: g.at(-1)!.close,
      volume: g.reduce((s, r) => s + r.volume, 0),
      partial: false,
    });
  }
});
