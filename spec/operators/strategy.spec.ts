import test from 'ava';
import { join } from 'node:path';
import { pipe } from 'rxjs';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { ConfigError } from '../../lib/errors.ts';
import { EMA } from '../../lib/indicators/ema.ts';
import type { Signal } from '../../lib/session/time-slice.ts';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';
import { indicatorDefinition, listIndicators, registerIndicator, type IndicatorDefinition } from '../../operators/indicators/indicator-registry.ts';
import { strategy } from '../../operators/strategies/strategy.ts';
import { listStrategies, registerStrategy, strategyDefinition, type StrategyDefinition } from '../../operators/strategies/strategy-registry.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { emaCrossover } from '../../pipelines/examples/ema-crossover.ts';
import { registerExampleStrategies } from '../../pipelines/examples/register-examples.ts';
import { tempRoot } from '../helpers/lean-store.ts';
import { runSlices, type TestBar } from '../../pipelines/testing/index.ts';
import { MIN, flatBar, sessionOf } from '../helpers/bars.ts';

/**
 * A price path whose EMA(2)/EMA(4) crossings are worked out by hand (TA-Lib EMA, SMA seed;
 * k_fast = 2/3, k_slow = 2/5):
 *
 * | i | close | ema_2   | ema_4  | ema_2 − ema_4 |
 * |---|-------|---------|--------|---------------|
 * | 1 | 19    | 19.5    |        |               |
 * | 3 | 17    | 17.5    | 18.5   | −1            |
 * | 6 | 14    | 14.5    | 15.5   | −1            |
 * | 7 | 16    | 15.5    | 15.7   | −0.2          |
 * | 8 | 18    | 17.1667 | 16.62  | +0.5467  ← crosses above: BUY at bar 8 (close 18)
 * | 9 | 20    | 19.0556 | 17.972 | +1.0836       |
 * |10 | 12    | 14.3519 | 15.5832| −1.2313  ← crosses below: SELL at bar 10 (close 12)
 *
 * After bar 10 the price declines steadily (fast stays below slow: no further signal).
 */
const CROSS_PATH = [20, 19, 18, 17, 16, 15, 14, 16, 18, 20, 12];
const BUY_AT = 8;
const SELL_AT = 10;

function pathBars(open: number, closes: readonly number[]): TestBar[] {
  return closes.map((c, i) => flatBar(open + i * MIN, c));
}

test('strategy: stamps the tick time and the strategy name onto every signal', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:35');
  const run = runSlices(
    strategy({
      name: 'every-other',
      onSlice: (slice) => (slice.index % 2 === 0 ? [{ symbol: 'X', side: 'buy', price: slice.index }, { symbol: 'X', side: 'flat' }] : undefined),
    }),
    { session, intervals: ['1m'], bars: { X: pathBars(session.open, [1, 2, 3, 4, 5]) }, ticks: 'clock' },
  );
  const signals = run.slices.flatMap((s) => s.signals);
  t.deepEqual(signals, [0, 2, 4].flatMap((i) => [
    { symbol: 'X', side: 'buy', price: i, time: session.open + (i + 1) * MIN, strategy: 'every-other' },
    { symbol: 'X', side: 'flat', time: session.open + (i + 1) * MIN, strategy: 'every-other' },
  ]));
});

test('strategy: state made by init is fresh for each subscription (session)', (t) => {
  const op = strategy<{ n: number }>({
    name: 'counter',
    init: () => ({ n: 0 }),
    onSlice: (_slice, state) => ({ symbol: 'X', side: 'buy', reason: String(++state.n) }),
  });
  const session = sessionOf('2024-03-15', '13:30', '13:33');
  const once = () => runSlices(op, { session, intervals: ['1m'], bars: { X: [] }, ticks: 'clock' }).slices.flatMap((s) => s.signals.map((x) => x.reason));
  t.deepEqual(once(), ['1', '2', '3']);
  t.deepEqual(once(), ['1', '2', '3']);
});

test('strategy: an error thrown by onSlice travels on the error channel', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:32');
  const boom = new Error('boom');
  const run = runSlices(strategy({ name: 'bad', onSlice: () => { throw boom; } }), { session, intervals: ['1m'], bars: { X: [] }, ticks: 'clock' });
  t.is(run.error, boom);
  // The warm-up slice passes (strategies act on ticks only); no tick gets through.
  t.is(run.ticks.length, 0);
});

test('strategy: refuses a handler without name or onSlice with a ConfigError', (t) => {
  t.throws(() => strategy({ name: '', onSlice: () => undefined }), { instanceOf: ConfigError });
  t.throws(() => strategy({ name: 'x' } as never), { instanceOf: ConfigError });
});

test('emaCrossover: buys exactly at the bar where ema_fast crosses above ema_slow and sells at the cross below', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:50');
  const closes = [...CROSS_PATH, ...Array.from({ length: 9 }, (_, j) => 11.9 - 0.1 * j)];
  const run = runSlices(emaCrossover({ fast: 2, slow: 4, interval: '1m' }), { session, intervals: ['1m'], bars: { X: pathBars(session.open, closes) }, ticks: 'clock' });
  const signals = run.slices.flatMap((s) => s.signals);
  const data = run.data;
  t.deepEqual(
    signals.map((s) => ({ side: s.side, time: s.time, price: s.price, strategy: s.strategy })),
    [
      { side: 'buy', time: session.open + (BUY_AT + 1) * MIN, price: 18, strategy: 'ema-crossover' },
      { side: 'sell', time: session.open + (SELL_AT + 1) * MIN, price: 12, strategy: 'ema-crossover' },
    ],
  );
  // The signal is made at the tick where the crossing bar closes, never later or earlier.
  const s1m = data.series('X', '1m');
  t.is(signals[0]!.time, s1m.end[BUY_AT]!);
  t.true(Math.abs(s1m.value('ema_2', BUY_AT) - 17.1666667) < 1e-6);
  t.true(Math.abs(s1m.value('ema_4', BUY_AT) - 16.62) < 1e-9);
});

function withHistory(closes: readonly number[], today: readonly number[]) {
  const session = sessionOf('2024-03-15', '13:30', '13:40');
  const prevOpen = Date.parse('2024-03-14T13:30:00Z');
  const history = closes.map((c, i) => ({ start: prevOpen + i * MIN, open: c, high: c + 0.01, low: c - 0.01, close: c, volume: 100 }));
  const run = runSlices(emaCrossover({ fast: 2, slow: 4, interval: '1m' }), { session, intervals: ['1m'], bars: { X: pathBars(session.open, today) }, history: { X: { '1m': history } }, ticks: 'clock' });
  return { session, signals: run.slices.flatMap((s) => s.signals), data: run.data };
}

test('emaCrossover: never signals a cross that happened in the warm-up history', (t) => {
  // The whole crossing path (buy at 8, sell at 10) lies in yesterday's history; today declines steadily.
  const { signals, data } = withHistory(CROSS_PATH, Array.from({ length: 10 }, (_, j) => 11.9 - 0.1 * j));
  t.deepEqual(signals, []);
  // The EMAs were warm at the open: a value at today's first bar.
  t.false(Number.isNaN(data.series('X', '1m').value('ema_4', 0)));
});

test('emaCrossover: signals a cross at the second bar of the day against warmed EMAs', (t) => {
  // History = bars 0..6; today = bars 7, 8, …: the cross happens at today's row 1.
  const { session, signals } = withHistory(CROSS_PATH.slice(0, 7), [...CROSS_PATH.slice(7), 11.9, 11.8, 11.7, 11.6, 11.5, 11.4]);
  t.deepEqual(signals.map((s) => [s.side, s.time]), [
    ['buy', session.open + 2 * MIN],
    ['sell', session.open + 4 * MIN],
  ]);
});

// The previous bar of the day's first bar is the history's last one, where the warm-up
// wrote its EMA values.
test('emaCrossover: signals a cross that happens at the first bar of the day', (t) => {
  const { session, signals } = withHistory(CROSS_PATH.slice(0, BUY_AT), [...CROSS_PATH.slice(BUY_AT), 11.9, 11.8, 11.7, 11.6, 11.5, 11.4, 11.3, 11.2]);
  t.deepEqual(signals.map((s) => [s.side, s.time]), [
    ['buy', session.open + MIN],
    ['sell', session.open + 3 * MIN],
  ]);
});

test('emaCrossover: refuses fast >= slow with a ConfigError', (t) => {
  t.throws(() => emaCrossover({ fast: 21, slow: 9 }), { instanceOf: ConfigError });
  t.throws(() => emaCrossover({ fast: 9, slow: 9 }), { instanceOf: ConfigError });
});

test('backtest: records strategy signals in DayResult.signals (config strategy and an extended one)', async (t) => {
  const root = await tempRoot(t, 'sessionflow-signals-');
  const session = getCalendar('XNYS').session('2024-11-27')!;
  const closes = [...CROSS_PATH, ...Array.from({ length: 390 - CROSS_PATH.length }, (_, j) => 11.9 - 0.01 * j)];
  const col = (f: (i: number) => number) => Float64Array.from(closes, (_, i) => f(i));
  await writeParquetFile(
    join(root, '1m', 'X', `${session.date}.parquet`),
    { ts: col((i) => session.open + i * MIN), open: col((i) => closes[i]!), high: col((i) => closes[i]! + 0.01), low: col((i) => closes[i]! - 0.01), close: col((i) => closes[i]!), volume: col(() => 100) },
    { timestampColumns: ['ts'], int64Columns: ['volume'] },
  );
  const result = await backtest(
    {
      backtest: { start: session.date, end: session.date },
      store: { root, layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } },
      symbols: ['X'],
      streams: ['1m', '5m'],
      strategies: [{ name: 'ema-crossover', params: { fast: 2, slow: 4, interval: '1m' } }],
    },
    { baseDir: root, extend: () => pipe(strategy({ name: 'at-close', onSlice: (s) => (s.isClose ? { symbol: 'X', side: 'flat', reason: 'eod' } : undefined) })) },
  ).result();
  t.teardown(() => result.dispose());
  const signals: readonly Signal[] = result.days[0]!.signals;
  t.deepEqual(
    signals.map((s) => ({ ...s, price: s.price === undefined ? undefined : Math.round(s.price * 100) / 100 })),
    [
      { symbol: 'X', side: 'buy', price: 18, reason: 'ema_2 crossed above ema_4', time: session.open + (BUY_AT + 1) * MIN, strategy: 'ema-crossover' },
      { symbol: 'X', side: 'sell', price: 12, reason: 'ema_2 crossed below ema_4', time: session.open + (SELL_AT + 1) * MIN, strategy: 'ema-crossover' },
      { symbol: 'X', side: 'flat', price: undefined, reason: 'eod', time: session.close, strategy: 'at-close' },
    ],
  );
  t.is(result.totals.signals, 3);
});

test('registry: refuses duplicate strategy names unless { override: true }', (t) => {
  registerExampleStrategies();
  registerExampleStrategies(); // idempotent
  const def = (description: string): StrategyDefinition => ({ kind: 'strategy', name: 'spec-dup-strategy', description, params: {}, create: () => (s) => s });
  registerStrategy(def('first'));
  t.throws(() => registerStrategy(def('second')), { instanceOf: ConfigError, message: /spec-dup-strategy/ });
  t.is(strategyDefinition('spec-dup-strategy').description, 'first');
  registerStrategy(def('second'), { override: true });
  t.is(strategyDefinition('spec-dup-strategy').description, 'second');
  t.throws(() => registerStrategy({ ...strategyDefinition('ema-crossover') }), { instanceOf: ConfigError });
  t.throws(() => strategyDefinition('no-such-strategy'), { instanceOf: ConfigError, message: /ema-crossover/ });
});

test('registry: matches strategy names case-insensitively, refusing a duplicate that differs only in case', (t) => {
  registerExampleStrategies();
  t.is(strategyDefinition('EMA-Crossover'), strategyDefinition('ema-crossover'));
  const def: StrategyDefinition = { kind: 'strategy', name: 'Spec-Case-Strategy', description: 'first', params: {}, create: () => (s) => s };
  registerStrategy(def);
  t.is(strategyDefinition('spec-case-strategy'), def);
  t.throws(() => registerStrategy({ ...def, name: 'SPEC-CASE-STRATEGY' }), { instanceOf: ConfigError, message: /"Spec-Case-Strategy" is registered/ });
  t.is(listStrategies().filter((s) => s.name.toLowerCase() === 'spec-case-strategy').length, 1);
  t.throws(() => strategyDefinition('ema-crosover', 'strategies[0].name'), { instanceOf: ConfigError, message: /^strategies\[0\]\.name: .*; did you mean "ema-crossover"\?$/ });
});

test('registry: refuses duplicate indicator names (case-insensitive) unless { override: true }', (t) => {
  const def = (description: string, name = 'spec-dup-ind'): IndicatorDefinition => ({ kind: 'indicator', name, description, params: [], inputs: ['close'], outputs: ['x'], warmup: (p) => p, create: (p) => new EMA(p) });
  registerIndicator(def('first'));
  t.throws(() => registerIndicator(def('second', 'SPEC-DUP-IND')), { instanceOf: ConfigError });
  t.is(indicatorDefinition('Spec-Dup-Ind').description, 'first');
  registerIndicator(def('second'), { override: true });
  t.is(indicatorDefinition('spec-dup-ind').description, 'second');
  t.throws(() => registerIndicator(def('again', 'ema')), { instanceOf: ConfigError });
  // The built-ins describe themselves and report their warm-up.
  for (const name of ['sma', 'ema']) {
    const d = indicatorDefinition(name);
    t.is(d.kind, 'indicator');
    t.is(d.warmup(9, {}), 9);
    t.is(d.create(9, {}).warmup, 9);
  }
  t.true(listIndicators().length >= 3);
});
