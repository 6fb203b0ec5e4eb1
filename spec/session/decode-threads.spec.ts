/**
 * The session loop gives the same results whether Parquet is decoded on the main thread
 * (`store.decodeThreads: 0`) or on decode threads that read ahead while earlier sessions are
 * replayed (the default): same per-day bars, rejections, quality, history and signals, and the
 * same last-day SessionData bit for bit, for per-day and per-year files, with a symbol missing
 * a day. The main-thread run is the reference (the other engine specs check it).
 */
import test from 'ava';
import type { Session } from '../../lib/calendar/types.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { DEMO_DAILY_LAYOUT, DEMO_YEARLY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import type { LoadOutcome, ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { ThreadedBarLoader, type BarLoader } from '../../lib/store/threaded-bar-loader.ts';
import type { DailyBars, LoadedBars } from '../../lib/store/types.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { prepareRun } from '../../pipelines/prepare-run.ts';
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
      // The caller's source (planning and the run read through it), so its counters can be read.
      const { plan, source } = await prepareRun(config).plan();
      const result = await backtest(config, { plan, source }).result();
      t.teardown(() => {
        result.dispose();
        source.close?.();
      });
      results.push({ ...result, source });
    }
    const [main, threaded] = results as [(typeof results)[0], (typeof results)[0]];
    t.is(threaded.days.length, main.days.length, layout);
    // Validation ran on the threads for the threaded run: the same report either way.
    t.deepEqual(threaded.plan.availability, main.plan.availability, `${layout}: availability`);
    t.deepEqual(threaded.plan.warnings, main.plan.warnings, `${layout}: warnings`);
    const loader = threaded.source;
    t.true(loader instanceof ThreadedBarLoader && loader.stats.threaded > 0 && loader.stats.mainThread === 0, `${layout}: bars were decoded on a thread`);
    t.false(main.source instanceof ThreadedBarLoader);
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

/** A background loader that records its reads and holds (decoding on the main thread). */
class RecordingLoader implements BarLoader {
  readonly background = true;
  readonly reads: Array<{ symbol: string; dates: string[]; whileHeld: boolean }> = [];
  holds = 0;
  releases = 0;
  private held = false;
  private readonly reader: ParquetBarReader;

  constructor(reader: ParquetBarReader) {
    this.reader = reader;
  }

  async load(symbol: string, interval: string, from: number, to: number, date?: string): Promise<LoadedBars> {
    const [outcome] = await this.loadMany(symbol, interval, [{ from, to, ...(date ? { date } : {}) }]);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.loaded;
  }

  loadMany(symbol: string, interval: string, windows: ReadonlyArray<{ from: number; to: number; date?: string }>): Promise<LoadOutcome[]> {
    this.reads.push({ symbol, dates: windows.map((w) => w.date ?? ''), whileHeld: this.held });
    return this.reader.loadMany(symbol, interval, windows);
  }

  loadDaily(symbol: string, sessions: readonly Session[], options?: { from?: string }): Promise<DailyBars> {
    return this.reader.loadDaily(symbol, sessions, options);
  }

  holdBackground(): () => void {
    this.holds++;
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releases++;
      this.held = false;
    };
  }
}

test('background loading reads each file in few large reads, never while a data-driven day replays', async (t) => {
  const store = await makeEngineStore({ symbols: 3, from: '2024-04-01', to: '2024-04-19' });
  t.teardown(() => store.dispose());
  const root = `${store.root}/yearly`;
  await generateDemoStore({ out: root, symbols: 3, sessions: [...store.sessions], seed: 7, layout: 'yearly' });
  const days = store.sessions.filter((s) => s.date >= '2024-04-04').map((s) => s.date);
  for (const readAhead of [20, 4]) {
    const input: SessionConfigInput = standardConfig(store, '2024-04-04', '2024-04-19');
    const config = parseConfig({ ...input, store: { root, layout: DEMO_YEARLY_LAYOUT, timestamp: { column: 'ts', label: 'start' }, decodeThreads: 0, readAhead } });
    const plan = await planRun(config);
    const loader = new RecordingLoader(plan.reader);
    const result = await backtest(config, { plan, source: loader }).result();
    t.teardown(() => result.dispose());
    t.is(result.days.length, days.length);
    t.is(loader.holds, days.length, `readAhead ${readAhead}: each day holds the background loader while it replays`);
    t.is(loader.releases, days.length, `readAhead ${readAhead}: and releases it`);
    t.deepEqual(loader.reads.filter((r) => r.whileHeld), [], `readAhead ${readAhead}: nothing is read while held`);
    for (const symbol of store.symbols) {
      const reads = loader.reads.filter((r) => r.symbol === symbol);
      const dates = reads.flatMap((r) => r.dates);
      t.deepEqual([...new Set(dates)].length, dates.length, `readAhead ${readAhead} ${symbol}: each session read once`);
      t.true(days.every((d) => dates.includes(d)), `readAhead ${readAhead} ${symbol}: every day was read`);
      if (readAhead >= days.length) {
        // Three history sessions, the first day and the whole read-ahead: one read.
        t.is(reads.length, 1, `readAhead ${readAhead} ${symbol}: one read for the whole run`);
        t.is(reads[0]!.dates.length, 3 + days.length);
      } else {
        t.is(reads[0]!.dates.length, 3 + 1 + readAhead, `readAhead ${readAhead} ${symbol}: history, the first day and the read-ahead together`);
        // Refills wait until half of the read-ahead is missing, then take all of it in one read.
        for (const read of reads.slice(1, -1)) t.true(read.dates.length >= readAhead / 2, `readAhead ${readAhead} ${symbol}: a refill of ${read.dates.length} sessions`);
      }
    }
  }
});
