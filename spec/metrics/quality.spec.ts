import test from 'ava';
import { join } from 'node:path';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { Session } from '../../lib/calendar/types.ts';
import { expectedWindows } from '../../lib/metrics/quality.ts';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';
import { deriveBars } from '../../operators/bars/derive-bars.ts';
import { trackQuality } from '../../operators/quality/track-quality.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { pipe, tap } from 'rxjs';
import type { TimeSlice } from '../../lib/session/time-slice.ts';
import { tempRoot } from '../helpers/lean-store.ts';
import { runSlices, type TestBar } from '../../pipelines/testing/index.ts';
import { MIN, flatBar, sessionOf } from '../helpers/bars.ts';

type InputBar = TestBar;

const xnys = getCalendar('XNYS');
const FULL = xnys.session('2024-11-27')!; // 14:30Z–21:00Z
const EARLY = xnys.session('2024-11-29')!; // 14:30Z–18:00Z (13:00 ET)

test('expectedWindows: counts a full XNYS day as 390 1m, 78 5m, 26 15m and 7 60m windows', (t) => {
  t.deepEqual([1, 5, 15, 60].map((m) => expectedWindows(FULL, m * MIN, FULL.close)), [390, 78, 26, 7]);
});

test('expectedWindows: counts a 13:00 early close as 210 1m, 42 5m, 14 15m and 4 60m windows', (t) => {
  t.true(EARLY.earlyClose);
  t.deepEqual([1, 5, 15, 60].map((m) => expectedWindows(EARLY, m * MIN, EARLY.close)), [210, 42, 14, 4]);
});

test('expectedWindows: counts only windows whose end the clock has reached mid-session', (t) => {
  const at = (hhmm: string) => Date.parse(`2024-11-27T${hhmm}:00Z`); // EST: 09:30 ET = 14:30Z
  t.is(expectedWindows(FULL, MIN, FULL.open - MIN), 0);
  t.is(expectedWindows(FULL, MIN, FULL.open), 0);
  t.is(expectedWindows(FULL, MIN, FULL.open + MIN - 1), 0);
  t.is(expectedWindows(FULL, MIN, FULL.open + MIN), 1);
  t.deepEqual([1, 5, 15, 60].map((m) => expectedWindows(FULL, m * MIN, at('15:00'))), [30, 6, 2, 0]); // 10:00 ET
  t.deepEqual([1, 5, 15, 60].map((m) => expectedWindows(FULL, m * MIN, at('15:32'))), [62, 12, 4, 1]); // 10:32 ET
  // 15:45 ET: six full hours done; the truncated 15:30–16:00 bar only counts at the close.
  t.is(expectedWindows(FULL, 60 * MIN, at('20:45')), 6);
  t.is(expectedWindows(FULL, 60 * MIN, FULL.close), 7);
  t.is(expectedWindows(FULL, 60 * MIN, FULL.close + 3_600_000), 7, 'clamped at the close');
  t.is(expectedWindows(EARLY, 60 * MIN, EARLY.close - 1), 3);
});

/** Every minute of the session except those listed. */
function minutesExcept(session: Session, skip: readonly number[]): InputBar[] {
  const out: InputBar[] = [];
  for (let i = 0; i < (session.close - session.open) / MIN; i++) if (!skip.includes(i)) out.push(flatBar(session.open + i * MIN, 50 + i));
  return out;
}

test('trackQuality: scores 100 × present / expected-so-far during the day and records gaps as [start, end)', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:50');
  const o = session.open;
  // X misses 13:33 and the whole 13:40–13:45 window and the last minute; Y misses nothing.
  const bars = new Map([
    ['X', minutesExcept(session, [3, 10, 11, 12, 13, 14, 19])],
    ['Y', minutesExcept(session, [])],
  ]);
  const seen: Array<{ time: number; score1: number; expected1: number; present1: number; score5: number }> = [];
  const record = tap<TimeSlice>((slice) => {
    const q1 = slice.data.get('X')!.quality.get('1m')!;
    const q5 = slice.data.get('X')!.quality.get('5m')!;
    seen.push({ time: slice.time, score1: q1.score, expected1: q1.expected, present1: q1.present, score5: q5.score });
  });
  const run = runSlices(pipe(deriveBars(['5m']), trackQuality(), record), { session, intervals: ['1m', '5m'], bars, ticks: 'clock' });
  t.true(run.completed);
  const data = run.data;
  const at = (m: number) => seen.find((s) => s.time === o + m * MIN)!;
  t.deepEqual(at(3), { time: o + 3 * MIN, score1: 100, expected1: 3, present1: 3, score5: 100 });
  t.deepEqual(at(5), { time: o + 5 * MIN, score1: 80, expected1: 5, present1: 4, score5: 100 });
  t.is(at(15).score1, (100 * 9) / 15);
  t.is(at(15).score5, (100 * 2) / 3);
  t.is(at(20).score1, (100 * 13) / 20);
  const x = data.get('X')!.quality;
  t.deepEqual(x.get('1m')!.gaps, [
    [o + 3 * MIN, o + 4 * MIN],
    [o + 10 * MIN, o + 15 * MIN],
    [o + 19 * MIN, o + 20 * MIN],
  ]);
  t.deepEqual(x.get('5m')!.gaps, [[o + 10 * MIN, o + 15 * MIN]]);
  t.deepEqual({ ...x.get('5m')!, gaps: undefined }, { interval: '5m', expected: 4, present: 3, rejected: 0, score: 75, gaps: undefined });
  const y = data.get('Y')!.quality;
  t.deepEqual([y.get('1m')!.score, y.get('5m')!.score, y.get('1m')!.gaps.length, y.get('5m')!.gaps.length], [100, 100, 0, 0]);
});

test('trackQuality: a symbol with no bar all day scores 0 and has one gap [open, close)', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:40');
  const bars = new Map<string, InputBar[]>([['A', minutesExcept(session, [])], ['EMPTY', []]]);
  const { data } = runSlices(pipe(deriveBars(['5m']), trackQuality()), { session, intervals: ['1m', '5m'], bars });
  const q = data.get('EMPTY')!.quality.get('1m')!;
  t.is(q.score, 0);
  t.is(q.expected, 10);
  t.deepEqual(q.gaps, [[session.open, session.close]]);
});

test('trackQuality: resubscribing starts from a clean record', (t) => {
  const op = pipe(deriveBars(['5m']), trackQuality());
  const session = sessionOf('2024-03-15', '13:30', '13:40');
  const once = () => {
    const { data } = runSlices(op, { session, intervals: ['1m', '5m'], bars: { X: minutesExcept(session, [2]) }, ticks: 'clock' });
    return data.get('X')!.quality.get('1m')!;
  };
  const a = once();
  t.deepEqual(once(), a);
  t.is(a.gaps.length, 1);
});

// ---------------------------------------------------------------------------------------------
// Through the engine: DayResult.quality and DayResult.rejected.

async function writeDay(root: string, symbol: string, session: Session, rows: Array<{ start: number; open: number; high: number; low: number; close: number; volume: number }>): Promise<void> {
  const col = (f: (r: (typeof rows)[number]) => number) => Float64Array.from(rows, f);
  await writeParquetFile(
    join(root, '1m', symbol, `${session.date}.parquet`),
    { ts: col((r) => r.start), open: col((r) => r.open), high: col((r) => r.high), low: col((r) => r.low), close: col((r) => r.close), volume: col((r) => r.volume) },
    { timestampColumns: ['ts'], int64Columns: ['volume'] },
  );
}

test('backtest: DayResult.quality per symbol and interval on a full and an early-close day; rejected rows counted by reason', async (t) => {
  const root = await tempRoot(t, 'sessionflow-quality-');
  for (const session of [FULL, EARLY]) {
    await writeDay(root, 'GOOD', session, minutesExcept(session, []));
    const bad = minutesExcept(session, [7, 8]); // minutes 7 and 8 absent
    bad[20] = { ...bad[20]!, close: Number.NaN }; // minute 22: NaN price
    bad[30] = { ...bad[30]!, high: 1, low: 2 }; // minute 32: high < low
    await writeDay(root, 'BAD', session, bad);
  }
  const result = await backtest(
    {
      backtest: { start: FULL.date, end: EARLY.date },
      store: { root, layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } },
      symbols: ['GOOD', 'BAD'],
      streams: ['1m', '5m', '15m'],
    },
    { baseDir: root },
  ).result();
  t.teardown(() => result.dispose());
  t.deepEqual(result.days.map((d) => d.date), [FULL.date, EARLY.date]);
  const [full, early] = result.days as [(typeof result.days)[number], (typeof result.days)[number]];

  t.deepEqual(full.quality.GOOD!.intervals, {
    '1m': { expected: 390, present: 390, rejected: 0, score: 100, gaps: 0 },
    '5m': { expected: 78, present: 78, rejected: 0, score: 100, gaps: 0 },
    '15m': { expected: 26, present: 26, rejected: 0, score: 100, gaps: 0 },
  });
  t.deepEqual(early.quality.GOOD!.intervals, {
    '1m': { expected: 210, present: 210, rejected: 0, score: 100, gaps: 0 },
    '5m': { expected: 42, present: 42, rejected: 0, score: 100, gaps: 0 },
    '15m': { expected: 14, present: 14, rejected: 0, score: 100, gaps: 0 },
  });
  // BAD lacks 4 minutes (2 absent + 2 rejected); every 5m/15m window still has a bar.
  t.deepEqual(early.quality.BAD!.intervals['1m'], { expected: 210, present: 206, rejected: 2, score: (100 * 206) / 210, gaps: 4 });
  t.deepEqual(early.quality.BAD!.intervals['5m'], { expected: 42, present: 42, rejected: 0, score: 100, gaps: 0 });
  t.is(full.quality.BAD!.intervals['1m']!.present, 386);

  for (const day of [full, early]) {
    t.is(day.rejected.null_or_nan, 1, day.date);
    t.is(day.rejected.high_below_low, 1, day.date);
    t.is(Object.values(day.rejected).reduce((a, b) => a + b, 0), 2, day.date);
    t.deepEqual(day.quality.BAD!.rejected, { null_or_nan: 1, high_below_low: 1 });
    t.deepEqual(day.quality.GOOD!.rejected, {});
  }
  t.is(result.totals.rejected.null_or_nan, 2);

  // The last day stays inspectable: the live record names the missing minutes as [start, end).
  const o = EARLY.open;
  t.deepEqual(result.sessionData!.get('BAD')!.quality.get('1m')!.gaps, [
    [o + 7 * MIN, o + 9 * MIN],
    [o + 22 * MIN, o + 23 * MIN],
    [o + 32 * MIN, o + 33 * MIN],
  ]);
});

test('backtest: a day with every minute present but a rejected row scores below 100, counted only once the clock passes it', async (t) => {
  const root = await tempRoot(t, 'sessionflow-quality-');
  const rows = minutesExcept(FULL, []);
  // A repeat of 15:00 after the rest of the file, and an hh:mm:30 stamp: both rejected.
  rows.push({ ...rows[330]!, volume: 1 }, { ...rows[100]!, start: rows[100]!.start + 30_000 });
  await writeDay(root, 'DUP', FULL, rows);
  const seen: number[] = [];
  const result = await backtest(
    {
      backtest: { start: FULL.date, end: FULL.date },
      store: { root, layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } },
      symbols: ['DUP'],
      streams: ['1m', '5m'],
    },
    {
      baseDir: root,
      // After the standard stages (deriveBars, trackQuality): what a strategy would read.
      extend: () =>
        tap((slice: TimeSlice) => {
        if (slice.time === FULL.open + 120 * MIN || slice.time === FULL.close) seen.push(slice.data.get('DUP')!.quality.get('1m')!.rejected);
      }),
    },
  ).result();
  t.teardown(() => result.dispose());
  const day = result.days[0]!;
  t.like(day.quality.DUP!.intervals['1m'], { expected: 390, present: 390, rejected: 2, gaps: 0 });
  t.is(day.quality.DUP!.intervals['1m']!.score, (100 * 390) / 392);
  t.deepEqual(day.quality.DUP!.rejected, { duplicate_timestamp: 1, misaligned_timestamp: 1 });
  // At 11:30 only the 11:10:30 row has been passed; the 15:00 repeat counts from 15:01.
  t.deepEqual(seen, [1, 2]);
});

test('backtest: outlier flags (config quality.maxJump, zero prices) are reported in the day quality and the bars are kept', async (t) => {
  const root = await tempRoot(t, 'sessionflow-quality-');
  const rows = minutesExcept(FULL, []);
  rows[200] = { ...rows[200]!, high: rows[200]!.high * 3 }; // a bad print: the high triples for one minute
  rows[300] = { ...rows[300]!, low: 0 }; // a zero low
  await writeDay(root, 'SPIKE', FULL, rows);
  const config = {
    backtest: { start: FULL.date, end: FULL.date },
    store: { root, layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' as const } },
    symbols: ['SPIKE'],
  };
  const flagged = await backtest({ ...config, quality: { maxJump: 0.5 } }, { baseDir: root }).result();
  t.teardown(() => flagged.dispose());
  const day = flagged.days[0]!;
  t.like(day.quality.SPIKE!.flags, { jumps: 2, nonPositivePrices: 1 });
  t.deepEqual(day.quality.SPIKE!.flags!.examples.map((e) => [e.start, e.flag]), [
    [FULL.open + 200 * MIN, 'jump'],
    [FULL.open + 300 * MIN, 'non_positive_price'],
    [FULL.open + 300 * MIN, 'jump'],
  ]);
  t.regex(day.quality.SPIKE!.flags!.examples[0]!.detail, /is 2\d\d\.\d % from the previous close .* \(maxJump 0\.5\)/);
  // Flags are a report: every bar is still there, the score is untouched.
  t.like(day.quality.SPIKE!.intervals['1m'], { present: 390, score: 100 });
  t.is(day.barsIn, 390);

  // Without maxJump only the zero price is flagged; with positivePrices off, nothing.
  const quiet = await backtest({ ...config, quality: { positivePrices: false } }, { baseDir: root }).result();
  t.teardown(() => quiet.dispose());
  t.is(quiet.days[0]!.quality.SPIKE!.flags, undefined);
});
