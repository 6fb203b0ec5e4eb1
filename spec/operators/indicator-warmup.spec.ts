/**
 * Indicators warmed on trailing history, through the real engine: the EMA at every 5m bar of
 * day k (in particular the first one) equals an EMA run continuously over the 5m bars of the
 * previous 5 sessions plus today. The reference reads the demo store's Parquet files directly
 * (parquet-wasm + flechette, not the engine's reader) and aggregates 5m windows itself.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from '@uwdata/flechette';
import { readParquet } from 'parquet-wasm';
import { tap } from 'rxjs';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { Session } from '../../lib/calendar/types.ts';
import type { Indicator } from '../../lib/indicators/types.ts';
import { setLogLevel } from '../../lib/log.ts';
import { generateDemoStore } from '../../lib/store/demo-data.ts';
import { indicator } from '../../operators/indicators/indicator.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { tempRoot } from '../helpers/lean-store.ts';

// The run deliberately lacks one (symbol, session); its warnings are expected.
setLogLevel('error');

const MIN = 60_000;
const W = 5 * MIN;
const SYMBOLS = ['DEMOA', 'DEMOB'];
const TRAILING = 5;
const PERIOD = 9;

// 2024-03-01 … 2024-03-15: 11 XNYS sessions across the 2024-03-10 DST switch (open 14:30Z → 13:30Z).
const ALL = getCalendar('XNYS').sessions('2024-03-01', '2024-03-15');
const RUN_FROM = ALL[TRAILING]!.date;

interface Bars5 {
  close: number[];
  start: number[];
}

/** 5m windows anchored at the open, from the raw 1m file of one (symbol, session); empty when the file is absent. */
async function reference5m(root: string, symbol: string, s: Session): Promise<Bars5> {
  const file = join(root, '1m', symbol, s.date.slice(0, 4), s.date.slice(5, 7), `${s.date}.parquet`);
  if (!existsSync(file)) return { close: [], start: [] };
  const table = tableFromIPC(readParquet(new Uint8Array(await readFile(file))).intoIPCStream());
  const ts = Array.from(table.getChild('ts').toArray() as ArrayLike<number | Date>, (v) => Number(v));
  const close = Array.from(table.getChild('close').toArray() as ArrayLike<number>);
  const out: Bars5 = { close: [], start: [] };
  let window = -1;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! < s.open || ts[i]! + MIN > s.close) continue;
    const k = Math.floor((ts[i]! - s.open) / W);
    if (k !== window) {
      out.start.push(s.open + k * W);
      out.close.push(close[i]!);
      window = k;
    } else out.close[out.close.length - 1] = close[i]!;
  }
  return out;
}

/** TA-Lib EMA over the whole series (SMA seed, k = 2/(N+1)), NaN while warming up. */
function referenceEma(xs: readonly number[], n: number): number[] {
  const k = 2 / (n + 1);
  const out: number[] = [];
  let ema = Number.NaN;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    if (i < n) {
      sum += xs[i]!;
      ema = i === n - 1 ? sum / n : Number.NaN;
    } else ema += k * (xs[i]! - ema);
    out.push(ema);
  }
  return out;
}

/** Counts every input it receives, so a test can check what an indicator has seen. */
class Probe implements Indicator {
  private n = 0;
  readonly warmup = 1;
  get ready() {
    return this.n > 0;
  }
  get value() {
    return this.n > 0 ? this.n : undefined;
  }
  update(_x: number) {
    this.n++;
    return this.n;
  }
  reset() {
    this.n = 0;
  }
}

test('indicator: the EMA at the first 5m bar of each day equals a continuous EMA over 5 trailing sessions + today, and sees no future bar', async (t) => {
  const root = await tempRoot(t, 'sessionflow-warmup-');
  const demo = await generateDemoStore({ out: root, symbols: SYMBOLS, sessions: ALL, seed: 7, missingMinuteRate: 0.01 });
  t.truthy(demo.missingDay, 'one (symbol, session) without data: history must cope with it');

  // ema value recorded AT THE TICK each 5m bar closed: date → symbol → values in bar order.
  const live = new Map<string, Map<string, number[]>>();
  const violations: string[] = [];
  const result = await backtest(
    {
      name: 'warmup',
      backtest: { start: RUN_FROM, end: ALL.at(-1)!.date },
      store: { root, layout: demo.template, timestamp: { column: 'ts', label: 'start' } },
      symbols: SYMBOLS,
      streams: ['1m', '5m'],
      history: [{ trailingSessions: TRAILING, intervals: ['1m', '5m'] }],
      indicators: [{ name: 'ema', period: PERIOD, interval: '5m' }],
    },
    {
      baseDir: root,
      extend: () => (source) =>
        source.pipe(
          indicator(() => new Probe(), { interval: '5m', as: 'probe' }),
          tap((slice) => {
            const day = live.get(slice.session.date) ?? new Map<string, number[]>();
            live.set(slice.session.date, day);
            const closed = slice.closed.get('5m');
            for (let k = 0; closed && k < closed.count; k++) {
              const s = closed.series(k);
              const row = closed.row(k);
              const list = day.get(s.symbol) ?? [];
              day.set(s.symbol, list);
              list.push(s.value('ema_9', row));
            }
            for (const entry of slice.data.entries()) {
              const s5 = entry.bars.get('5m')!;
              const h5 = entry.history.get('5m');
              // Nothing visible ends after the tick; no history bar reaches into today.
              if (s5.length > 0 && s5.end[s5.length - 1]! > slice.time) violations.push(`${slice.time} ${entry.symbol} 5m bar after the tick`);
              if (h5 && h5.length > 0 && h5.end[h5.length - 1]! > slice.session.open) violations.push(`${entry.symbol} history reaches into ${slice.session.date}`);
              // No value written ahead of the newest bar.
              if (s5.hasColumn('ema_9') && !Number.isNaN(s5.column('ema_9')[s5.length] ?? Number.NaN)) violations.push(`${entry.symbol} ema_9 written past the last bar`);
              // The probe indicator has seen exactly history + today's bars so far.
              const probe = s5.length > 0 ? s5.value('probe', s5.length - 1) : Number.NaN;
              if (s5.length > 0 && probe !== (h5?.length ?? 0) + s5.length) violations.push(`${slice.session.date} ${entry.symbol} probe saw ${probe}, expected ${(h5?.length ?? 0) + s5.length}`);
            }
          }),
        ),
    },
  ).result();
  t.teardown(() => result.dispose());
  t.deepEqual(violations, []);
  t.is(result.days.length, ALL.length - TRAILING);
  // The missing (symbol, session) shows up in the history quality of the days that trail it.
  const missing = demo.missingDay!;
  const after = result.days.find((d) => d.date > missing.date)!;
  t.deepEqual(after.quality[missing.symbol]!.history['5m']!.missingSessions, [missing.date]);
  t.is(after.quality[missing.symbol]!.history['5m']!.expected, TRAILING * 78);

  // Reference: every session's 5m closes per symbol, straight from the files.
  const ref = new Map<string, Bars5[]>();
  for (const symbol of SYMBOLS) ref.set(symbol, await Promise.all(ALL.map((s) => reference5m(root, symbol, s))));

  let compared = 0;
  for (let d = TRAILING; d < ALL.length; d++) {
    const date = ALL[d]!.date;
    for (const symbol of SYMBOLS) {
      const got = live.get(date)?.get(symbol);
      const perSession = ref.get(symbol)!;
      if (perSession[d]!.close.length === 0) {
        t.is(got, undefined, `${symbol} has no data on ${date} and is skipped`);
        continue;
      }
      const history = perSession.slice(d - TRAILING, d).flatMap((b) => b.close);
      const today = perSession[d]!.close;
      const want = referenceEma([...history, ...today], PERIOD).slice(history.length);
      t.is(got!.length, today.length, `${symbol} ${date}: 5m bar count`);
      t.true(Math.abs(got![0]! - want[0]!) < 1e-9, `${symbol} ${date}: first 5m EMA ${got![0]} vs continuous ${want[0]}`);
      for (let i = 0; i < want.length; i++) if (!(Math.abs(got![i]! - want[i]!) < 1e-9)) t.fail(`${symbol} ${date} bar ${i}: ${got![i]} vs ${want[i]}`);
      compared++;
    }
  }
  t.true(compared >= 2 * (ALL.length - TRAILING) - 1);
});
