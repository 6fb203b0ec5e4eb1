/**
 * A finished day's live derived windows become the next days' trailing history (the session
 * is not aggregated again from its base bars). They must be exactly what aggregating the
 * session's base bars gives, or indicators would warm differently: checked here bit for bit
 * against aggregateSessionWindows over the store's bars, with missing minutes, an early
 * close, a symbol missing a whole day, and a symbol a scan adds mid-session every day (its
 * partial days are not kept).
 */
import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import { BarSeries } from '../../lib/session/bar-series.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import { SessionBarsCache } from '../../lib/session/load-session-data.ts';
import { aggregateSessionWindows } from '../../lib/store/aggregate-windows.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { DEMO_DAILY_LAYOUT } from '../../lib/store/demo-data.ts';
import { scanner } from '../../operators/scanners/scanner.ts';
import type { ScanResult } from '../../operators/scanners/scanner-registry.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { makeEngineStore, quietEngineLogs, sameBits, standardConfig } from '../helpers/engine-fixtures.ts';

quietEngineLogs();

test.serial('trailing history from the kept live windows is bit for bit the aggregation of the sessions\' base bars', async (t) => {
  // 2023-11-24 is an early close (13:00); DEMO02 misses one day (missingDaySymbol).
  const store = await makeEngineStore({ symbols: 3, from: '2023-11-17', to: '2023-12-01', missingMinuteRate: 0.03, missingDaySymbol: true });
  t.teardown(() => store.dispose());
  const reader = new ParquetBarReader({ root: store.root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', unit: 'ms', label: 'start' } });
  const hits = { kept: 0 };
  const windowsOf = SessionBarsCache.prototype.windowsOf;
  SessionBarsCache.prototype.windowsOf = function (...args) {
    const found = windowsOf.apply(this, args);
    if (found) hits.kept++;
    return found;
  };
  t.teardown(() => {
    SessionBarsCache.prototype.windowsOf = windowsOf;
  });
  const checks: Array<Promise<void>> = [];
  let compared = 0;
  const checker: SessionComponent = {
    name: 'history-check',
    // At the end: a symbol added mid-session has its history too.
    onSessionEnd: (ctx) => {
      for (const symbol of ctx.data.symbols()) {
        const entry = ctx.data.get(symbol)!;
        for (const [interval, ms] of [['5m', 300_000], ['15m', 900_000]] as const) {
          // Copied now: the day's storage serves later days once it is torn down.
          const history = entry.history.get(interval)!;
          const x = history.toColumns();
          const length = history.length;
          const dates = [...entry.historySessionDates.get(interval)!];
          const date = ctx.session.date;
          const calendar = ctx.plan.calendar;
          checks.push(
            (async () => {
              const expected = new BarSeries(symbol, interval, ms, 200);
              for (const day of dates) {
                const session = calendar.sessions(day, day)[0]!;
                const loaded = await reader.load(symbol, '1m', session.open, session.close, day);
                aggregateSessionWindows(loaded.bars, 0, loaded.bars.length, session, ms, expected);
              }
              const y = expected.toColumns();
              for (const name of ['start', 'end', 'open', 'high', 'low', 'close', 'volume', 'partial']) t.true(sameBits(x[name]!.subarray(0, length), y[name]!.subarray(0, expected.length)), `${date} ${symbol} ${interval} ${name}`);
              t.is(length, expected.length, `${date} ${symbol} ${interval}`);
              compared += length;
            })(),
          );
        }
      }
    },
  };
  const config = parseConfig({ ...standardConfig(store, '2023-11-22', '2023-12-01'), symbols: ['DEMO01', 'DEMO02'], strategies: [] });
  // DEMO03 joins at 10:00 every day: its partial days must not become anyone's history.
  const adder = scanner({ name: 'adder', schedule: ['10:00'], universe: ['DEMO03'], scanner: { scan: (): ScanResult => ({ add: [{ symbol: 'DEMO03', score: 1, reason: 'test' }] }) } });
  // The config's components (sessionflow's own bars stage derives 5m and 15m), then the check.
  const result = await backtest(config, { components: [adder, checker] }).result();
  t.true(result.days.filter((d) => d.additions.some((a) => a.symbol === 'DEMO03' && a.status === 'added')).length >= 5, 'DEMO03 joined mid-session on most days');
  await Promise.all(checks);
  result.dispose();
  t.true(result.days.some((d) => d.earlyClose), 'the run crosses an early close');
  t.true(result.days.some((d) => d.skipped.length > 0 || d.additions.some((a) => a.status === 'unavailable')), 'and a day a symbol has no file');
  t.true(hits.kept > 20, `${hits.kept} history sessions came from kept windows`);
  t.true(compared > 1000, `${compared} history windows compared`);
});

test.serial('without sessionflow\'s own bars stage nothing is kept: the history is aggregated from the base bars', async (t) => {
  const store = await makeEngineStore({ symbols: 2, from: '2024-03-01', to: '2024-03-08' });
  t.teardown(() => store.dispose());
  let kept = 0;
  const keepWindows = SessionBarsCache.prototype.keepWindows;
  SessionBarsCache.prototype.keepWindows = function (...args) {
    kept++;
    return keepWindows.apply(this, args);
  };
  t.teardown(() => {
    SessionBarsCache.prototype.keepWindows = keepWindows;
  });
  const lengths: number[] = [];
  const probe: SessionComponent = { name: 'probe', setup: (ctx) => void lengths.push(ctx.data.get('DEMO01')!.history.get('5m')!.length) };
  // Only this component: no stage derives 5m live, so the live 5m series stay empty.
  const result = await createBacktest(parseConfig(standardConfig(store, '2024-03-05', '2024-03-08')), { components: [probe] }).result();
  result.dispose();
  t.is(kept, 0);
  // Three full sessions of 78 windows (the first day has two: the store starts on 03-01).
  t.deepEqual(lengths, [156, 234, 234, 234]);
});
