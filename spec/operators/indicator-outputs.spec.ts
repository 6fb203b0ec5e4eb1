/**
 * The generalised indicator contract through the real engine: whole-bar inputs, multi-output
 * indicators (one SessionData column per output), the startSession() hook at every session
 * of the warm-up and of today, and session-level indicators computed from the daily bars of
 * earlier sessions only. References are computed here from the raw 1m Parquet files (read
 * with parquet-wasm directly, not through the engine's reader).
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
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { BarInput, Indicator } from '../../lib/indicators/types.ts';
import { setLogLevel } from '../../lib/log.ts';
import { DEMO_DAILY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import { indicator } from '../../operators/indicators/indicator.ts';
import { registerIndicator } from '../../operators/indicators/indicator-registry.ts';
import { sessionIndicator } from '../../operators/indicators/session-indicator.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { componentsFromConfig } from '../../pipelines/components-from-config.ts';
import { historyNeedsOf } from '../../lib/session/create-backtest.ts';
import { tempRoot } from '../helpers/lean-store.ts';

setLogLevel('error');

const MIN = 60_000;
const ALL = getCalendar('XNYS').sessions('2024-03-04', '2024-03-13');
const TRAILING = 3;
const SYMBOLS = ['DEMOA', 'DEMOB'];

/** Highest high and lowest low since the session started: needs whole bars and the session hook. */
class SessionExtremes implements Indicator<BarInput, { hi: number; lo: number }> {
  readonly warmup = 1;
  starts = 0;
  private hi = Number.NEGATIVE_INFINITY;
  private lo = Number.POSITIVE_INFINITY;
  private current: { hi: number; lo: number } | undefined;
  get ready() {
    return this.current !== undefined;
  }
  get value() {
    return this.current;
  }
  startSession() {
    this.starts++;
    this.hi = Number.NEGATIVE_INFINITY;
    this.lo = Number.POSITIVE_INFINITY;
  }
  update(bar: BarInput) {
    this.hi = Math.max(this.hi, bar.high);
    this.lo = Math.min(this.lo, bar.low);
    return (this.current = { hi: this.hi, lo: this.lo });
  }
  reset() {
    this.hi = Number.NEGATIVE_INFINITY;
    this.lo = Number.POSITIVE_INFINITY;
    this.current = undefined;
  }
}

/** Mean daily volume of the last `n` daily bars (a session-level indicator). */
class MeanDailyVolume implements Indicator<BarInput> {
  private readonly volumes: number[] = [];
  private current: number | undefined;
  constructor(readonly warmup: number) {}
  get ready() {
    return this.current !== undefined;
  }
  get value() {
    return this.current;
  }
  update(bar: BarInput) {
    this.volumes.push(bar.volume);
    if (this.volumes.length > this.warmup) this.volumes.shift();
    if (this.volumes.length === this.warmup) this.current = this.volumes.reduce((a, b) => a + b, 0) / this.warmup;
    return this.current;
  }
  reset() {
    this.volumes.length = 0;
    this.current = undefined;
  }
}

interface RawDay {
  start: number[];
  high: number[];
  low: number[];
  volume: number[];
}

/** One (symbol, session)'s regular-session 1m bars straight from its file; empty when absent. */
async function rawDay(root: string, symbol: string, s: Session): Promise<RawDay> {
  const file = join(root, '1m', symbol, s.date.slice(0, 4), s.date.slice(5, 7), `${s.date}.parquet`);
  const out: RawDay = { start: [], high: [], low: [], volume: [] };
  if (!existsSync(file)) return out;
  const table = tableFromIPC(readParquet(new Uint8Array(await readFile(file))).intoIPCStream());
  const ts = Array.from(table.getChild('ts').toArray() as ArrayLike<number | Date>, (v) => Number(v));
  const high = table.getChild('high').toArray() as ArrayLike<number>;
  const low = table.getChild('low').toArray() as ArrayLike<number>;
  const volume = table.getChild('volume').toArray() as ArrayLike<number>;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! < s.open || ts[i]! + MIN > s.close) continue;
    out.start.push(ts[i]!);
    out.high.push(high[i]!);
    out.low.push(low[i]!);
    out.volume.push(Number(volume[i]!));
  }
  return out;
}

async function demoStore(t: Parameters<typeof tempRoot>[0]): Promise<string> {
  const root = await tempRoot(t, 'sessionflow-indicator-outputs-');
  await generateDemoStore({ out: root, symbols: SYMBOLS, sessions: ALL, seed: 11, missingMinuteRate: 0.01, missingDaySymbol: false, layout: 'daily' });
  return root;
}

test('indicator: a whole-bar, multi-output indicator writes <as>_<output> columns and restarts at every session, history included', async (t) => {
  const root = await demoStore(t);
  const instances: SessionExtremes[] = [];
  const atTick = new Map<string, Array<[number, number, number]>>(); // date/symbol → [5m start, hi, lo] when the bar closed
  const result = await backtest(
    {
      backtest: { start: ALL[TRAILING]!.date, end: ALL.at(-1)!.date },
      store: { root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
      symbols: SYMBOLS,
      streams: ['1m', '5m'],
      history: [{ trailingSessions: TRAILING, intervals: ['1m', '5m'] }],
    },
    {
      baseDir: root,
      extend: () => (source) =>
        source.pipe(
          indicator(
            () => {
              const ind = new SessionExtremes();
              instances.push(ind);
              return ind as Indicator<never, unknown>;
            },
            { interval: '5m', as: 'ext', input: 'bar', outputs: ['hi', 'lo'] },
          ),
          tap((slice) => {
            const closed = slice.closed.get('5m');
            for (let k = 0; closed && k < closed.count; k++) {
              const s = closed.series(k);
              const row = closed.row(k);
              const key = `${slice.session.date}/${s.symbol}`;
              const list = atTick.get(key) ?? [];
              atTick.set(key, list);
              list.push([closed.start(k), s.value('ext_hi', row), s.value('ext_lo', row)]);
            }
          }),
        ),
    },
  ).result();
  t.teardown(() => result.dispose());

  // One instance per (symbol, day); each saw TRAILING history sessions plus today.
  t.is(instances.length, SYMBOLS.length * (ALL.length - TRAILING));
  for (const ind of instances) t.is(ind.starts, TRAILING + 1);

  let checked = 0;
  for (let d = TRAILING; d < ALL.length; d++) {
    const s = ALL[d]!;
    for (const symbol of SYMBOLS) {
      const raw = await rawDay(root, symbol, s);
      const got = atTick.get(`${s.date}/${symbol}`)!;
      // Reference: running max/min of today's 1m bars up to the end of each 5m window.
      for (const [start, hi, lo] of got) {
        let h = Number.NEGATIVE_INFINITY;
        let l = Number.POSITIVE_INFINITY;
        for (let i = 0; i < raw.start.length && raw.start[i]! < start + 5 * MIN; i++) {
          h = Math.max(h, raw.high[i]!);
          l = Math.min(l, raw.low[i]!);
        }
        t.is(hi, h, `${symbol} ${s.date} ${new Date(start).toISOString()} hi`);
        t.is(lo, l, `${symbol} ${s.date} ${new Date(start).toISOString()} lo`);
        checked++;
      }
    }
  }
  t.true(checked > 300);

  // In the last day's history, the column restarts at each earlier session's first bar.
  const last = result.sessionData!;
  const history = last.get('DEMOA')!.history.get('5m')!;
  const starts = last.get('DEMOA')!.historySessionStarts.get('5m')!;
  t.is(starts.length, TRAILING);
  for (const row of starts) {
    t.is(history.value('ext_hi', row), history.high[row]!, 'first bar of a history session: its own high');
    t.is(history.value('ext_lo', row), history.low[row]!);
  }
});

test('sessionIndicator: computed before the first bar from daily bars of earlier sessions only; NaN until enough history', async (t) => {
  const root = await demoStore(t);
  const N = 2;
  const seen = new Map<string, number>(); // date/symbol → value at the first slice
  const result = await backtest(
    {
      backtest: { start: ALL[1]!.date, end: ALL.at(-1)!.date },
      store: { root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
      symbols: SYMBOLS,
      streams: ['1m'],
      history: [{ trailingSessions: TRAILING, intervals: ['1d'] }],
    },
    {
      baseDir: root,
      extend: () => (source) => {
        let first = true;
        return source.pipe(
          sessionIndicator(() => new MeanDailyVolume(N) as Indicator<never, unknown>, { as: 'mean_volume' }),
          tap((slice) => {
            if (!first) return;
            first = false;
            for (const entry of slice.data.entries()) seen.set(`${slice.session.date}/${entry.symbol}`, entry.sessionValues.get('mean_volume')!);
          }),
        );
      },
    },
  ).result();
  t.teardown(() => result.dispose());

  const volumes = new Map<string, number[]>();
  for (const symbol of SYMBOLS) volumes.set(symbol, await Promise.all(ALL.map(async (s) => (await rawDay(root, symbol, s)).volume.reduce((a, b) => a + b, 0))));
  for (let d = 1; d < ALL.length; d++) {
    // The store begins at ALL[0], so day d has min(d, TRAILING) earlier sessions.
    for (const symbol of SYMBOLS) {
      const got = seen.get(`${ALL[d]!.date}/${symbol}`);
      const prior = volumes.get(symbol)!.slice(Math.max(0, d - TRAILING), d);
      if (prior.length < N) {
        t.true(Number.isNaN(got), `${symbol} ${ALL[d]!.date}: not enough history yet`);
        continue;
      }
      const want = (prior.at(-1)! + prior.at(-2)!) / N;
      t.true(Math.abs(got! - want) <= 1e-9 * want, `${symbol} ${ALL[d]!.date}: ${got} vs ${want}`);
    }
  }
});

test('config: session-level and bar indicators are checked against their scope, and the plan loads the history their warm-up needs', async (t) => {
  const root = await demoStore(t);
  registerIndicator({ kind: 'indicator', name: 'spec-mean-daily-volume', description: 'mean volume of the previous N sessions', scope: 'session', input: 'bar', params: [], inputs: ['volume'], outputs: ['mean'], warmup: (p) => p, create: (p) => new MeanDailyVolume(p) as Indicator<never, unknown> }, { override: true });
  registerIndicator({ kind: 'indicator', name: 'spec-extremes', description: 'session high/low', input: 'bar', period: 'none', params: [], inputs: ['high', 'low'], outputs: ['hi', 'lo'], warmup: () => 1, create: () => new SessionExtremes() as Indicator<never, unknown> }, { override: true });
  const base = {
    backtest: { start: ALL.at(-2)!.date, end: ALL.at(-1)!.date },
    store: { root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
    symbols: SYMBOLS,
    streams: ['1m', '5m'],
  };
  const config = parseConfig(
    {
      ...base,
      indicators: [
        { name: 'spec-mean-daily-volume', period: 4, interval: '1d' },
        { name: 'ema', period: 100, interval: '5m' },
        { name: 'spec-extremes', interval: '5m' },
      ],
    },
    { baseDir: root },
  );
  const history = historyNeedsOf(componentsFromConfig(config));
  t.deepEqual(
    history.map((h) => [h.interval, h.bars]),
    [
      ['1d', 4],
      ['5m', 100],
      ['5m', 1],
    ],
  );
  const plan = await planRun(config, { history });
  // EMA(100) on 5m: 100 bars; every session before these March days is a full one (78
  // five-minute bars), so 2 sessions hold them. The 1d need (4 sessions) is served separately
  // by the daily loader.
  t.is(plan.historySessions, 2);
  // Only what something reads: the 5m warm-up (the base interval is not kept unless listed).
  t.deepEqual(plan.historyIntervals.map((i) => i.name), ['5m']);
  t.is(plan.dailyHistorySessions, 4);

  const result = await backtest(config, { baseDir: root }).result();
  t.teardown(() => result.dispose());
  const data = result.sessionData!;
  t.true(data.get('DEMOA')!.sessionValues.get('spec_mean_daily_volume_4')! > 0);
  t.is(data.get('DEMOA')!.history.get('1d')!.length, 4);
  t.deepEqual(data.get('DEMOA')!.historySessionDates.get('1d'), ALL.slice(-5, -1).map((s) => s.date));
  const s5 = data.series('DEMOA', '5m');
  t.deepEqual(s5.columnNames().filter((c) => c.startsWith('spec_') || c.startsWith('ema')).sort(), ['ema_100', 'spec_extremes_hi', 'spec_extremes_lo']);
  t.false(Number.isNaN(s5.value('ema_100', 0)), 'EMA(100) is ready at the first 5m bar');

  const problems = (indicators: unknown[]): string[] => {
    try {
      componentsFromConfig(parseConfig({ ...base, indicators }, { baseDir: root }));
      return [];
    } catch (error) {
      t.true(error instanceof ConfigError);
      return (error as ConfigError).problems.map((p) => p.path);
    }
  };
  t.deepEqual(problems([{ name: 'ema', period: 9, interval: '1d' }]), ['indicators[0].interval']);
  t.deepEqual(problems([{ name: 'spec-mean-daily-volume', period: 5, interval: '5m' }]), ['indicators[0].interval']);
  t.deepEqual(problems([{ name: 'spec-extremes', period: 5, interval: '5m' }]), ['indicators[0].period']);
  t.deepEqual(problems([{ name: 'ema', interval: '5m' }]), ['indicators[0].period']);
  t.deepEqual(problems([{ name: 'ema', period: 9, interval: '15m' }]), ['indicators[0].interval']);
});

test('daily history: a long 1d window is loaded once per session and cached, independent of the intraday history', async (t) => {
  const root = await demoStore(t);
  const { ParquetBarReader } = await import('../../lib/store/bar-reader.ts');
  const { SessionBarsCache, loadSessionData } = await import('../../lib/session/load-session-data.ts');
  const config = parseConfig({ backtest: { start: ALL[5]!.date, end: ALL.at(-1)!.date }, store: { root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } }, symbols: ['DEMOA'], streams: ['1m'], history: [{ trailingSessions: 5, intervals: ['1d'] }] }, { baseDir: root });
  const plan = await planRun(config);
  t.is(plan.historySessions, 0, 'no intraday history asked for');
  t.is(plan.dailyHistorySessions, 5);
  const reader = new ParquetBarReader(plan.store);
  const requested: string[] = [];
  const loadDaily = reader.loadDaily.bind(reader);
  reader.loadDaily = (symbol, sessions, options) => {
    requested.push(...sessions.map((s) => s.date));
    return loadDaily(symbol, sessions, options);
  };
  const cache = new SessionBarsCache();
  for (const session of plan.sessions) {
    const loaded = await loadSessionData(plan, session, reader, cache);
    const daily = loaded.data.get('DEMOA')!.history.get('1d')!;
    t.is(daily.length, 5, session.date);
    t.true(daily.start[4]! < session.open, 'only sessions before today');
    t.deepEqual(loaded.data.get('DEMOA')!.historySessionDates.get('1d'), ALL.slice(ALL.indexOf(session) - 5, ALL.indexOf(session)).map((s) => s.date));
  }
  // Each session's daily bar is read once: day 1 its 5 trailing sessions (and its own, read
  // ahead with them), later days only what is not cached yet.
  t.is(new Set(requested).size, requested.length, `no session read twice: ${requested.join(', ')}`);
  t.deepEqual(requested.slice(0, 5), ALL.slice(0, 5).map((s) => s.date));
  t.true(ALL.slice(0, -1).every((s) => requested.includes(s.date)), 'every history session was read');
});
