/**
 * Every built-in indicator, named from a session config, through the real engine over
 * several days: its columns (one per output) exist on the right interval, and at every
 * closed bar — the first of each day in particular — the value equals a fresh instance of
 * the class run continuously over the trailing history plus today, restarted at each
 * session for session-anchored ones. Session-level indicators equal the class run over the
 * daily bars of the earlier sessions only.
 */
import test from 'ava';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import * as lib from '../../lib/indicators/index.ts';
import type { BarInput, Indicator } from '../../lib/indicators/types.ts';
import { setLogLevel } from '../../lib/log.ts';
import type { BarSeries } from '../../lib/session/bar-series.ts';
import type { SymbolData } from '../../lib/session/session-data.ts';
import { DEMO_DAILY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import { indicatorDefinition, listIndicators } from '../../operators/indicators/indicator-registry.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { tempRoot } from '../helpers/lean-store.ts';

setLogLevel('error');

const ALL = getCalendar('XNYS').sessions('2024-02-26', '2024-03-15');
const DAYS = 3;
const BUILTIN_BAR = ['sma', 'ema', 'wma', 'dema', 'tema', 'hma', 'rsi', 'macd', 'roc', 'momentum', 'stddev', 'bollinger', 'historical_volatility', 'rolling_high', 'rolling_low', 'vwap', 'twap', 'stochastic', 'cci', 'williams_r', 'ultimate_oscillator', 'atr', 'keltner', 'donchian', 'obv', 'pvt', 'volume_sma', 'volume_ratio', 'swing_high', 'swing_low'];
const BUILTIN_SESSION = ['pivot_points', 'average_volume', 'average_range', 'daily_atr', 'gap_statistics', 'range_ratio', 'high_low_52w', 'rolling_extremes'];

/** Config entry for a built-in: small periods so several days exercise the ready state. */
function entry(name: string, interval: string): { name: string; interval: string; period?: number; params?: Record<string, unknown> } {
  const def = indicatorDefinition(name);
  if (def.period === 'none') return name === 'rolling_extremes' ? { name, interval, params: { window: '2w' } } : { name, interval };
  if (name === 'macd') return { name, interval, period: 5, params: { slow: 10, signal: 4 } };
  return { name, interval, period: def.scope === 'session' ? 3 : 7 };
}

/**
 * The class each config name must build, with the spec's parameters, written out here
 * rather than taken from the registry, so a wrong mapping in the registry fails.
 */
const CLASSES: Record<string, (p: number) => unknown> = {
  sma: (p) => new lib.SMA(p),
  ema: (p) => new lib.EMA(p),
  wma: (p) => new lib.WMA(p),
  dema: (p) => new lib.DEMA(p),
  tema: (p) => new lib.TEMA(p),
  hma: (p) => new lib.HMA(p),
  rsi: (p) => new lib.RSI(p),
  macd: () => new lib.MACD({ fast: 5, slow: 10, signal: 4 }),
  roc: (p) => new lib.ROC(p),
  momentum: (p) => new lib.Momentum(p),
  stddev: (p) => new lib.StdDev(p),
  bollinger: (p) => new lib.BollingerBands({ period: p, stdDev: 2 }),
  historical_volatility: (p) => new lib.HistoricalVolatility({ period: p, annualization: 252 }),
  rolling_high: (p) => new lib.RollingHigh(p),
  rolling_low: (p) => new lib.RollingLow(p),
  vwap: () => new lib.VWAP(),
  twap: () => new lib.TWAP(),
  stochastic: (p) => new lib.Stochastic({ period: p, kSmoothing: 3, dPeriod: 3 }),
  cci: (p) => new lib.CCI(p),
  williams_r: (p) => new lib.WilliamsR(p),
  ultimate_oscillator: () => new lib.UltimateOscillator({ short: 7, medium: 14, long: 28 }),
  atr: (p) => new lib.ATR(p),
  keltner: (p) => new lib.KeltnerChannels({ period: p, multiplier: 2, atrPeriod: 10 }),
  donchian: (p) => new lib.DonchianChannels(p),
  obv: () => new lib.OBV(),
  pvt: () => new lib.PVT(),
  volume_sma: (p) => new lib.VolumeSMA(p),
  volume_ratio: (p) => new lib.VolumeRatio(p),
  swing_high: (p) => new lib.SwingHigh({ left: p, right: p }),
  swing_low: (p) => new lib.SwingLow({ left: p, right: p }),
  pivot_points: () => new lib.PivotPoints(),
  average_volume: (p) => new lib.AverageVolume(p),
  average_range: (p) => new lib.AverageRange(p),
  daily_atr: (p) => new lib.DailyATR(p),
  gap_statistics: (p) => new lib.GapStatistics(p),
  range_ratio: (p) => new lib.RangeRatio(p),
  high_low_52w: () => new lib.FiftyTwoWeekHighLow(),
  rolling_extremes: () => new lib.RollingExtremes('2w'),
};

/** Fields the class reads, from its definition, not from the registry. */
const PRICE_FIELD: Record<string, string> = { rolling_high: 'high', rolling_low: 'low' };
const isPriceClass = (name: string): boolean => ['sma', 'ema', 'wma', 'dema', 'tema', 'hma', 'rsi', 'macd', 'roc', 'momentum', 'stddev', 'bollinger', 'historical_volatility', 'rolling_high', 'rolling_low'].includes(name);

interface Snapshot {
  readonly date: string;
  readonly symbols: Map<string, { today: Map<string, BarSeries>; entry: SymbolData }>;
}

function feedBar(ind: Indicator<never, unknown>, s: BarSeries, row: number, input: string, date?: string): unknown {
  const update = ind.update as (x: unknown) => unknown;
  if (input === 'bar') return update.call(ind, { open: s.open[row]!, high: s.high[row]!, low: s.low[row]!, close: s.close[row]!, volume: s.volume[row]!, ...(date ? { date } : {}) } satisfies BarInput & { date?: string });
  return update.call(ind, s[input as 'close'][row]!);
}

test('registry: the built-ins are registered, describe themselves, and report a warm-up matching a fresh instance', (t) => {
  const names = listIndicators().map((d) => d.name);
  for (const name of [...BUILTIN_BAR, ...BUILTIN_SESSION]) t.true(names.includes(name), name);
  t.deepEqual(Object.keys(CLASSES).sort(), [...BUILTIN_BAR, ...BUILTIN_SESSION].sort());
  for (const name of [...BUILTIN_BAR, ...BUILTIN_SESSION]) {
    const def = indicatorDefinition(name);
    const e = entry(name, def.scope === 'session' ? '1d' : '5m');
    t.true(def.description.length > 10, name);
    t.true(def.inputs.length > 0 && def.outputs.length > 0, name);
    // Calendar-window extremes give a value from the first bar but need the whole window loaded.
    const planned = name === 'high_low_52w' ? 260 : name === 'rolling_extremes' ? 10 : def.create(e.period ?? 0, e.params ?? {}).warmup;
    t.is(def.warmup(e.period ?? 0, e.params ?? {}), planned, name);
  }
});

test('config: every built-in indicator through the engine equals its class run over history + today', async (t) => {
  const root = await tempRoot(t, 'sessionflow-builtins-');
  await generateDemoStore({ out: root, symbols: ['DEMOA', 'DEMOB'], sessions: ALL, seed: 5, missingMinuteRate: 0.02, missingDaySymbol: false, layout: 'daily' });
  const run = ALL.slice(-DAYS);
  const indicators = [...BUILTIN_BAR.map((n) => entry(n, '5m')), ...BUILTIN_BAR.slice(0, 8).map((n) => ({ ...entry(n, '15m'), as: `${n}_q` })), ...BUILTIN_SESSION.map((n) => entry(n, '1d'))];
  const config: SessionConfigInput = {
    backtest: { start: run[0]!.date, end: run.at(-1)!.date },
    store: { root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
    symbols: ['DEMOA', 'DEMOB'],
    streams: ['1m', '5m', '15m'],
    indicators,
  };
  const snapshots: Snapshot[] = [];
  const result = await backtest(config, {
    baseDir: root,
    components: [
      {
        name: 'snapshot',
        // Phase 4 of each day: the day's data is complete and still intact.
        onSessionEnd: (ctx) => {
          const symbols = new Map<string, { today: Map<string, BarSeries>; entry: SymbolData }>();
          for (const e of ctx.data.entries()) symbols.set(e.symbol, { today: e.bars, entry: e });
          snapshots.push({ date: ctx.session.date, symbols });
          // Compare now, before the next day's Phase 1 clears the data.
          for (const ind of indicators) compare(ind, ctx.session.date, symbols);
        },
      },
    ],
  }).result();
  t.teardown(() => result.dispose());
  t.is(snapshots.length, DAYS);

  function compare(spec: (typeof indicators)[number] & { as?: string }, date: string, symbols: Snapshot['symbols']): void {
    const def = indicatorDefinition(spec.name);
    const stem = spec.as ?? (def.period === 'none' ? def.name : `${def.name}_${spec.period}`);
    const keys = def.outputs.length > 1 ? def.outputs.map((o) => `${stem}_${o}`) : [stem];
    for (const [symbol, { today, entry: sd }] of symbols) {
      const make = () => CLASSES[spec.name]!(spec.period ?? 0) as Indicator<never, unknown>;
      const input = isPriceClass(spec.name) ? (PRICE_FIELD[spec.name] ?? 'close') : 'bar';
      if (def.scope === 'session') {
        const daily = sd.history.get('1d')!;
        const ind = make();
        let value: unknown;
        for (let i = 0; i < daily.length; i++) value = feedBar(ind, daily, i, input, sd.historySessionDates.get('1d')![i]);
        const want = value === undefined ? keys.map(() => Number.NaN) : typeof value === 'number' ? [value] : def.outputs.map((o) => (value as Record<string, number>)[o]!);
        t.deepEqual(keys.map((k) => sd.sessionValues.get(k)), want, `${spec.name} ${symbol} ${date}`);
        continue;
      }
      const series = today.get(spec.interval)!;
      const history = sd.history.get(spec.interval)!;
      const starts = sd.historySessionStarts.get(spec.interval)!;
      for (const key of keys) t.true(series.hasColumn(key), `${date} ${symbol} ${spec.interval} has ${key}`);
      const ind = make();
      for (let i = 0; i < history.length; i++) {
        if (starts.includes(i)) ind.startSession?.();
        feedBar(ind, history, i, input);
      }
      ind.startSession?.();
      let readyRows = 0;
      for (let row = 0; row < series.length; row++) {
        const value = feedBar(ind, series, row, input);
        const want = value === undefined ? keys.map(() => Number.NaN) : typeof value === 'number' ? [value] : def.outputs.map((o) => (value as Record<string, number>)[o]!);
        const got = keys.map((k) => series.value(k, row));
        if (value !== undefined) readyRows++;
        if (!got.every((g, k) => Object.is(g, want[k]) || Math.abs(g - want[k]!) <= 1e-12 * Math.max(1, Math.abs(want[k]!)))) {
          t.fail(`${spec.name} (${stem}) ${symbol} ${date} ${spec.interval} row ${row}: engine ${got.join(', ')} vs class ${want.join(', ')}`);
          return;
        }
      }
      // With the automatic warm-up history every indicator is ready from the first bar of the day.
      t.is(readyRows, series.length, `${spec.name} ${symbol} ${date} ${spec.interval}: ready at the open`);
    }
  }
});
