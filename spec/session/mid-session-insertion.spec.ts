/**
 * Scans and mid-session insertion through the real engine (issue: the day as an object):
 * one as-of time per scan, an inserted symbol equal from T on to one present from the open,
 * schedules that fire with no bar, clock- and data-driven modes, a pause during a scan, day
 * isolation with scanners, drops, and the records a day keeps.
 */
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { tap } from 'rxjs';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { LifecycleError } from '../../lib/errors.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import type { BacktestResult } from '../../lib/session/results.ts';
import type { ScanView } from '../../lib/session/scan-view.ts';
import type { TimeSlice } from '../../lib/session/time-slice.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { scanner } from '../../operators/scanners/scanner.ts';
import type { ScanResult } from '../../operators/scanners/scanner-registry.ts';
import { strategy } from '../../operators/strategies/strategy.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { makeEngineStore, quietEngineLogs, sameBits, settleVirtual, standardConfig, turn, virtualScheduler, type EngineStore } from '../helpers/engine-fixtures.ts';

const MINUTE = 60_000;
const xnys = getCalendar('XNYS');
const DAYS = ['2024-04-09', '2024-04-10', '2024-04-11'];
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'], from: '2024-04-02', to: DAYS.at(-1)!, missingMinuteRate: 0.03, missingDaySymbol: false });
});
test.after.always(async () => {
  await store?.dispose();
});

/** The standard engine config (5m/15m, EMAs, SMA, history) trading `symbols`. */
function config(symbols: string[], days: readonly string[] = DAYS, extra: Partial<SessionConfigInput> = {}): SessionConfigInput {
  return standardConfig(store, days[0]!, days.at(-1)!, { symbols, strategies: [], ...extra });
}

/** Exchange-local `HH:MM` of `date` as an instant. */
function at(date: string, hhmm: string): number {
  const session = xnys.session(date)!;
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return session.open + ((h - 9) * 60 + m - 30) * MINUTE;
}

/** A scanner component that adds `symbols` at each scheduled instant (and records the views it got). */
function adder(symbols: string[], schedule: string[], seen: Array<{ date: string; asOf: number; pre: boolean }> = [], name = 'adder'): SessionComponent {
  return scanner({
    name,
    schedule,
    universe: symbols,
    scanner: {
      scan(view: ScanView): ScanResult {
        seen.push({ date: view.session.date, asOf: view.asOf, pre: view.pre });
        return { add: symbols.map((symbol, i) => ({ symbol, score: symbols.length - i, reason: 'test' })) };
      },
    },
  });
}

/** A strategy that records, per tick, which symbols' base bars it saw and the `added` list. */
function watcher(log: Array<{ time: number; symbols: string[]; added: string[] }>): SessionComponent {
  return {
    name: 'watcher',
    kind: 'strategy',
    stage: () =>
      strategy({
        name: 'watcher',
        onSlice(slice) {
          const base = slice.closed.get('1m');
          log.push({ time: slice.time, symbols: base ? Array.from({ length: base.count }, (_, k) => base.symbol(k)) : [], added: [...slice.added] });
        },
      }),
  };
}

function columnsEqual(t: ExecutionContext, a: BacktestResult, b: BacktestResult, symbol: string, label: string): void {
  for (const interval of ['1m', '5m', '15m']) {
    const x = a.sessionData!.series(symbol, interval).toColumns();
    const y = b.sessionData!.series(symbol, interval).toColumns();
    t.deepEqual(Object.keys(x).sort(), Object.keys(y).sort(), `${label} ${symbol} ${interval}: columns`);
    for (const name of Object.keys(y)) t.true(sameBits(x[name]!, y[name]!), `${label} ${symbol} ${interval} ${name}`);
  }
}

test('insertion: a symbol added at 10:00 ends the day with the bars and indicator values of a run that had it from the open', async (t) => {
  const log: Array<{ time: number; symbols: string[]; added: string[] }> = [];
  const inserted = await backtest(config(['AAA', 'BBB']), { components: [adder(['CCC'], ['10:00']), watcher(log)] }).result();
  t.teardown(() => inserted.dispose());
  const fromOpen = await backtest(config(['AAA', 'BBB', 'CCC'])).result();
  t.teardown(() => fromOpen.dispose());

  const last = DAYS.at(-1)!;
  const T = at(last, '10:00');
  columnsEqual(t, inserted, fromOpen, 'CCC', 'data-driven');
  // The configured symbols are unaffected by the insertion.
  columnsEqual(t, inserted, fromOpen, 'AAA', 'data-driven');
  const day = inserted.days.at(-1)!;
  t.deepEqual(day.symbols, ['AAA', 'BBB', 'CCC']);
  t.deepEqual(
    day.additions.map((a) => [a.symbol, a.time, a.by, a.status, a.score, a.reason]),
    [['CCC', T, 'adder', 'added', 1, 'test']],
  );
  t.is(inserted.sessionData!.get('CCC')!.addedAt, T);
  // No strategy saw CCC's past: its first bar reached a strategy at the first tick after T.
  const todays = log.filter((l) => l.time > xnys.session(last)!.open && l.time <= xnys.session(last)!.close);
  const firstSeen = todays.find((l) => l.symbols.includes('CCC'));
  t.truthy(firstSeen);
  t.true(firstSeen!.time > T, 'CCC reaches strategies only after the scan instant');
  t.true(todays.filter((l) => l.time <= T).every((l) => !l.symbols.includes('CCC')));
  // slice.added lists it on the tick where it joins the live drain.
  const joined = todays.filter((l) => l.added.length > 0);
  t.deepEqual(joined.map((l) => l.added), [['CCC']]);
  t.is(joined[0]!.time, todays.find((l) => l.time > T)!.time);
  // The scanner's report is in the day's result under its name.
  const report = day.components.adder as { scans: Array<{ asOf: number; phase: string; added: string[] }>; added: number };
  t.deepEqual(report.scans.map((s) => [s.asOf, s.phase, s.added]), [[T, 'intraday', ['CCC']]]);
  t.is(report.added, 1);
});

test('insertion: clock-driven, an inserted symbol also equals a run that had it from the open, and the scan fires on time', async (t) => {
  const days = DAYS.slice(-1);
  const seen: Array<{ date: string; asOf: number; pre: boolean }> = [];
  const clock = async (symbols: string[], components: SessionComponent[]): Promise<BacktestResult> => {
    const scheduler = virtualScheduler();
    const parsed = parseConfig(config(symbols, days, { backtest: { start: days[0]!, end: days[0]!, speed: 60 } }));
    return settleVirtual(scheduler, backtest(parsed, { scheduler, components }).result());
  };
  const inserted = await clock(['AAA', 'BBB'], [adder(['DDD'], ['11:17'], seen)]);
  t.teardown(() => inserted.dispose());
  const fromOpen = await clock(['AAA', 'BBB', 'DDD'], []);
  t.teardown(() => fromOpen.dispose());
  columnsEqual(t, inserted, fromOpen, 'DDD', 'clock-driven');
  t.deepEqual(seen, [{ date: days[0]!, asOf: at(days[0]!, '11:17'), pre: false }]);
  t.is(inserted.days[0]!.ticks, 390, 'the clock still ticks once a minute');
});

test('scans: a scan at T sees exactly the bars with end <= T of every universe symbol, never the bar ending after T (property)', async (t) => {
  const day = DAYS.at(-1)!;
  const session = xnys.session(day)!;
  const reader = new ParquetBarReader({ root: store.root, layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } });
  const truth = new Map<string, Float64Array>();
  for (const symbol of store.symbols) truth.set(symbol, (await reader.load(symbol, '1m', session.open, session.close, day)).bars.start.slice());
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 389 }), { minLength: 1, maxLength: 6 }), fc.subarray([...store.symbols], { minLength: 1 }), async (minutes, universe) => {
      const schedule = minutes.map((m) => `${String(9 + Math.floor((30 + m) / 60)).padStart(2, '0')}:${String((30 + m) % 60).padStart(2, '0')}`);
      const problems: string[] = [];
      let scans = 0;
      const probe = scanner({
        name: 'probe',
        schedule: ['pre', ...schedule],
        universe,
        scanner: {
          async scan(view) {
            scans++;
            for (const symbol of universe) {
              const bars = (await view.today(symbol))!;
              const want = [...truth.get(symbol)!].filter((s) => s + MINUTE <= view.asOf);
              if (view.pre && bars.length > 0) problems.push(`pre-session scan saw ${bars.length} bars of ${symbol} today`);
              if (bars.length !== want.length) problems.push(`${symbol} as of ${new Date(view.asOf).toISOString()}: ${bars.length} bars, want ${want.length}`);
              if (bars.length > 0 && bars.end[bars.length - 1]! > view.asOf) problems.push(`${symbol} saw a bar ending after ${new Date(view.asOf).toISOString()}`);
              for (const d of await view.daily(symbol, 2)) if (d.date >= day) problems.push(`${symbol}: daily bar of ${d.date} is not before ${day}`);
            }
            return {};
          },
        },
      });
      const result = await backtest(config(['AAA'], [day], { indicators: [], history: [] }), { components: [probe] }).result();
      result.dispose();
      return problems.length === 0 && scans === minutes.length + 1;
    }),
    { numRuns: 4 },
  );
  t.pass();
});

test('scans: scheduled instants with no bar are ticks in both clock modes, and every scan has one as-of time', async (t) => {
  const day = DAYS[0]!;
  const open = xnys.session(day)!.open;
  for (const speed of [0, 60]) {
    const seen: Array<{ date: string; asOf: number; pre: boolean }> = [];
    const ticks: number[] = [];
    const parsed = parseConfig(config(['AAA'], [day], { backtest: { start: day, end: day, speed } }));
    const scheduler = virtualScheduler();
    const run = backtest(parsed, { scheduler, components: [adder([], ['pre', 'open+30s', 'close-90s'], seen), { name: 'ticks', stage: () => tap((s: TimeSlice) => s.kind === 'tick' && ticks.push(s.time)) }] });
    const result = await settleVirtual(scheduler, run.result());
    t.deepEqual(seen.map((s) => [s.asOf - open, s.pre]), [
      [0, true],
      [30_000, false],
      [xnys.session(day)!.close - 90_000 - open, false],
    ], `speed ${speed}`);
    t.true(ticks.includes(open + 30_000) && ticks.includes(xnys.session(day)!.close - 90_000), `speed ${speed}: off-grid scan instants are ticks`);
    result.dispose();
  }
});

test('scans: the clock holds during an async scan, and a pause() inside it holds the run until resume()', async (t) => {
  const day = DAYS[0]!;
  const T = at(day, '10:30');
  const ticks: number[] = [];
  let scanDone = false;
  let releaseScan!: () => void;
  const scanGate = new Promise<void>((resolve) => (releaseScan = resolve));
  let reachedScan!: () => void;
  const atScan = new Promise<void>((resolve) => (reachedScan = resolve));
  const run = backtest(config(['AAA'], [day]), {
    components: [
      scanner({
        name: 'slow',
        schedule: ['10:30'],
        universe: ['BBB'],
        scanner: {
          async scan() {
            run.pause();
            reachedScan();
            await scanGate;
            scanDone = true;
            return { add: [{ symbol: 'BBB', score: 1 }] };
          },
        },
      }),
      { name: 'ticks', stage: () => tap((s: TimeSlice) => s.kind === 'tick' && ticks.push(s.time)) },
    ],
  });
  const finished = run.result();
  await atScan;
  for (let i = 0; i < 20; i++) await turn();
  // The scan has not returned: the clock holds at T (the slice of T has not left the scanner).
  t.is(ticks.at(-1)! < T, true, 'no tick reaches the stages after the scanner while the scan runs');
  releaseScan();
  // Event-driven: the insertion loads BBB (decode threads), then the slice of T moves on.
  while (ticks.at(-1) !== T) await turn();
  t.true(scanDone);
  for (let i = 0; i < 20; i++) await turn();
  // The pause asked for during the scan is honoured, not cancelled: the run waits after T.
  t.true(run.paused);
  t.is(ticks.at(-1), T);
  run.resume();
  const result = await finished;
  t.teardown(() => result.dispose());
  t.is(ticks.at(-1), xnys.session(day)!.close);
  t.deepEqual(result.days[0]!.additions.map((a) => [a.symbol, a.status]), [['BBB', 'added']]);
});

test('scans: day isolation holds with scanners — day 3 alone equals day 3 of days 1–3, and scanner additions do not leak into the next day', async (t) => {
  let firstDayOnly = true;
  const once: SessionComponent = scanner({
    name: 'once',
    schedule: ['09:45'],
    universe: ['DDD'],
    scanner: {
      scan(view) {
        const add = firstDayOnly && view.session.date === DAYS[0] ? [{ symbol: 'DDD', score: 1 }] : [];
        return { add };
      },
    },
  });
  const components = (): SessionComponent[] => [adder(['CCC'], ['10:00', '14:00']), once];
  const all = await backtest(config(['AAA', 'BBB']), { components: components() }).result();
  t.teardown(() => all.dispose());
  firstDayOnly = false;
  const alone = await backtest(config(['AAA', 'BBB']), { components: components(), dates: [DAYS.at(-1)!] }).result();
  t.teardown(() => alone.dispose());
  t.deepEqual(all.days[0]!.symbols, ['AAA', 'BBB', 'DDD', 'CCC']);
  t.deepEqual(all.days[1]!.symbols, ['AAA', 'BBB', 'CCC'], 'DDD, added on day 1 only, is not in day 2');
  const a = all.days.at(-1)!;
  const b = alone.days[0]!;
  for (const key of ['symbols', 'barsIn', 'barsOut', 'ticks', 'quality', 'additions', 'drops'] as const) t.deepEqual(b[key], a[key], key);
  // The 14:00 scan finds CCC present: a no-op recorded as such.
  t.deepEqual(a.additions.map((x) => [x.symbol, x.status]), [['CCC', 'added']]);
  for (const symbol of ['AAA', 'CCC']) columnsEqual(t, all, alone, symbol, 'isolation');
});

test('scans: adding a symbol already present is a no-op, one the store lacks is recorded with the reason, and drops stop strategies but keep the data', async (t) => {
  const day = DAYS[0]!;
  const log: Array<{ time: number; symbols: string[]; added: string[] }> = [];
  const mixed = scanner({
    name: 'mixed',
    schedule: ['10:00', '11:00'],
    universe: ['AAA', 'ZZZ'],
    scanner: {
      scan(view) {
        if (view.asOf === at(day, '10:00')) return { add: [{ symbol: 'ZZZ', score: 2, reason: 'not in the store' }] };
        return { drop: [{ symbol: 'BBB', reason: 'enough' }] };
      },
    },
  });
  const result = await backtest(config(['AAA', 'BBB'], [day]), { components: [mixed, watcher(log)] }).result();
  t.teardown(() => result.dispose());
  const r = result.days[0]!;
  const zzz = r.additions.find((a) => a.symbol === 'ZZZ')!;
  t.is(zzz.status, 'unavailable');
  t.regex(zzz.detail!, /ZZZ|no such file|missing|not found/i);
  t.deepEqual(r.symbols, ['AAA', 'BBB'], 'the run went on without it');
  t.deepEqual(r.drops.map((d) => [d.symbol, d.time, d.by, d.reason, d.status]), [['BBB', at(day, '11:00'), 'mixed', 'enough', 'dropped']]);
  const after = log.filter((l) => l.time > at(day, '11:00'));
  t.true(after.length > 0 && after.every((l) => !l.symbols.includes('BBB')), 'strategies no longer see BBB');
  t.true(log.some((l) => l.time <= at(day, '11:00') && l.symbols.includes('BBB')));
  // Its data stays complete for analysis: bars kept arriving until the close.
  const bbb = result.sessionData!.series('BBB', '1m');
  t.true(bbb.end[bbb.length - 1]! > at(day, '15:00'));
  t.is(result.sessionData!.isActive('BBB'), false);
  t.is(result.sessionData!.get('BBB')!.droppedAt, at(day, '11:00'));
});

test('indicators are warm before the open: setup() and a pre-session scan read current values', async (t) => {
  const day = DAYS[0]!;
  const fromSetup: number[] = [];
  const fromScan: number[] = [];
  const reader: SessionComponent = {
    name: 'reader',
    setup: (ctx) => {
      fromSetup.push(ctx.data.get('AAA')!.latest('5m', 'ema_9'));
    },
  };
  const pre = scanner({
    name: 'pre',
    schedule: ['pre'],
    universe: ['AAA'],
    scanner: {
      scan(view) {
        fromScan.push(view.data.get('AAA')!.latest('5m', 'ema_9'));
        return {};
      },
    },
  });
  const result = await backtest(config(['AAA'], [day]), { components: [reader, pre] }).result();
  t.teardown(() => result.dispose());
  const history = result.sessionData!.get('AAA')!.history.get('5m')!;
  const expected = history.value('ema_9', history.length - 1);
  t.false(Number.isNaN(expected));
  t.deepEqual(fromSetup, [expected]);
  t.deepEqual(fromScan, [expected]);
});

test('lifecycle: a disposed result refuses reads with a LifecycleError naming the phase', async (t) => {
  const result = await backtest(config(['AAA'], [DAYS[0]!])).result();
  const data = result.sessionData!;
  t.is(data.table('AAA', '5m').numRows() > 0, true);
  result.dispose();
  t.true(result.disposed);
  const error = t.throws(() => data.table('AAA', '5m'), { instanceOf: LifecycleError });
  t.is(error!.phase, 'torn-down');
  t.regex(error!.message, /torn down/);
  t.throws(() => data.series('AAA', '1m'), { instanceOf: LifecycleError });
  t.notThrows(() => result.dispose());
});

test('scans: a symbol picked twice is added once, and several additions register in score order whatever order their loads finish in', async (t) => {
  const day = DAYS[0]!;
  const picks = scanner({
    name: 'picks',
    schedule: ['pre', '10:00'],
    universe: ['CCC', 'DDD', 'EEE'],
    scanner: {
      scan: (view) => (view.pre ? { add: [{ symbol: 'EEE', score: 1 }, { symbol: 'CCC', score: 3 }, { symbol: 'EEE', score: 2 }] } : { add: [{ symbol: 'DDD', score: 5 }, { symbol: 'DDD', score: 4 }] }),
    },
  });
  const orders: string[][] = [];
  for (const decodeThreads of [0, 2]) {
    const input = config(['AAA'], [day]);
    const result = await backtest({ ...input, store: { ...input.store, decodeThreads } }, { components: [picks] }).result();
    const r = result.days[0]!;
    orders.push([...r.symbols]);
    t.deepEqual(r.additions.map((a) => [a.symbol, a.status, a.score]), [['CCC', 'added', 3], ['EEE', 'added', 2], ['DDD', 'added', 5]], `decodeThreads ${decodeThreads}`);
    result.dispose();
  }
  t.deepEqual(orders, [['AAA', 'CCC', 'EEE', 'DDD'], ['AAA', 'CCC', 'EEE', 'DDD']]);
});
