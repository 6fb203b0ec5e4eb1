/**
 * The session loop gives the same results whether Parquet is decoded on the main thread
 * (`store.decodeThreads: 0`) or on decode threads that read ahead while earlier sessions are
 * replayed (the default): same per-day bars, rejections, quality, history and signals, and the
 * same last-day SessionData bit for bit, for per-day and per-year files, with a symbol missing
 * a day. The main-thread run is the reference (the other engine specs check it).
 */
import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { DEMO_DAILY_LAYOUT, DEMO_YEARLY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import { ThreadedBarLoader } from '../../lib/store/threaded-bar-loader.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { makeEngineStore, quietEngineLogs, sameBits, standardConfig } from '../helpers/engine-fixtures.ts';

quietEngineLogs();

test('decode threads change nothing in the results, for per-day and per-year files', async (t) => {
  const store = await makeEngineStore({ symbols: 4, from: '2024-04-01', to: '2024-04-19', missingMinuteRate: 0.01 });
  t.teardown(() => store.dispose());
  // A per-year store of the same sessions beside the per-day one.
  const yearlyRoot = `${store.root}/yearly`;
  await generateDemoStore({ out: yearlyRoot, symbols: 4, sessions: [...store.sessions], seed: 7, missingMinuteRate: 0.01, layout: 'yearly' });
  for (const [layout, root] of [[DEMO_DAILY_LAYOUT, store.root], [DEMO_YEARLY_LAYOUT, yearlyRoot]] as const) {
    const results = [];
    for (const decodeThreads of [0, 1]) {
      const input: SessionConfigInput = standardConfig(store, '2024-04-04', '2024-04-19');
      const config = parseConfig({ ...input, store: { root, layout, timestamp: { column: 'ts', label: 'start' }, decodeThreads, readAhead: 4 } });
      const result = await backtest(config).result();
      t.teardown(() => result.dispose());
      results.push(result);
    }
    const [main, threaded] = results as [(typeof results)[0], (typeof results)[0]];
    t.is(threaded.days.length, main.days.length, layout);
    const loader = threaded.plan.loader;
    t.true(loader instanceof ThreadedBarLoader && loader.stats.threaded > 0 && loader.stats.mainThread === 0, `${layout}: bars were decoded on a thread`);
    t.false(main.plan.loader instanceof ThreadedBarLoader);
    t.true(main.days.some((d) => d.skipped.length > 0), `${layout}: the run includes a skipped (symbol, day)`);
    main.days.forEach((day, i) => {
      const other = threaded.days[i]!;
      for (const key of ['date', 'symbols', 'skipped', 'barsIn', 'barsOut', 'rejected', 'historyBars', 'ticks', 'quality', 'signals'] as const) {
        t.deepEqual(other[key], day[key], `${layout} ${day.date}: ${key}`);
      }
    });
    const a = main.sessionData!;
    const b = threaded.sessionData!;
    t.deepEqual(b.symbols(), a.symbols());
    for (const symbol of a.symbols()) {
      for (const interval of ['1m', '5m', '15m']) {
        const x = a.series(symbol, interval).toColumns();
        const y = b.series(symbol, interval).toColumns();
        t.deepEqual(Object.keys(y), Object.keys(x), `${layout} ${symbol} ${interval}: columns`);
        for (const name of Object.keys(x)) t.true(sameBits(y[name]!, x[name]!), `${layout} ${symbol} ${interval} ${name}`);
      }
    }
  }
});
