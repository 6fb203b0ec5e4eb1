/**
 * The built-in scanners through the real engine (config → components → backtest), each
 * checked against picks computed in the spec from the store's own bars (read back with
 * ParquetBarReader, never through the engine's scan view). Two kinds of store:
 *
 * - a hand-built one whose numbers are designed so each rule decides something (today's
 *   ranking reversed against yesterday's, gaps exactly at the threshold, volume after the
 *   scan instant that would change the answer if it were seen, …);
 * - a generated demo store (random walks), where the expectation is computed generically
 *   and thresholds are placed between the computed values, so they always separate picks
 *   from non-picks.
 *
 * Runs decode on the main thread (`decodeThreads: 0`): these stores are tiny, and thread
 * start-up would dominate.
 */
import test, { type ExecutionContext } from 'ava';
import type { Session } from '../../../lib/calendar/types.ts';
import type { SessionConfigInput } from '../../../lib/config/schema.ts';
import type { SessionComponent } from '../../../lib/session/component.ts';
import type { BacktestResult, DayResult } from '../../../lib/session/results.ts';
import { validateParams } from '../../../lib/config/validate-params.ts';
import { scanner } from '../../../operators/scanners/scanner.ts';
import { SCANNERS } from '../../../operators/scanners/scanner-registry.ts';
import { strategy } from '../../../operators/strategies/strategy.ts';
import { backtest } from '../../../pipelines/backtest.ts';
import { makeEngineStore, quietEngineLogs, type EngineStore } from '../../helpers/engine-fixtures.ts';
import {
  additionsBy,
  best,
  between,
  dailyOf,
  endedBy,
  expectedAdds,
  flatBars,
  MINUTE,
  sameScore,
  scansOf,
  storeSection,
  StoreBars,
  sum,
  writeDesignedStore,
  type DesignedBar,
  type DesignedStore,
  type Expected,
} from './scanner-fixtures.ts';

type ScannerSpec = NonNullable<SessionConfigInput['scanners']>[number];

// ---------------------------------------------------------------------------------------
// The designed store: 2024-04-01 (day 0) … 2024-04-04 (day 3, the backtest day). SPY is the
// configured symbol of every run and in no universe. Each scanner has its own symbols.
// ---------------------------------------------------------------------------------------

const DESIGN_FROM = '2024-04-01';
const TODAY = '2024-04-04';

/** A session whose first bar opens at `open` (away from the prior close of 100), then flat. */
function gapDay(open: number): DesignedBar[] {
  return [{ minute: 0, o: open, h: open, l: open, c: open, v: 1000 }, ...flatBars(open, 1000, 9, 1)];
}

/** 30 bars of `early` volume each (before open+30m), then 30 bars of `late` volume. */
function volumeDay(early: number, late = 100_000): DesignedBar[] {
  return [...flatBars(10, early, 30), ...flatBars(10, late, 30, 30)];
}

function design(symbol: string, day: number): DesignedBar[] | undefined {
  const today = day === 3;
  switch (symbol) {
    case 'SPY':
      return flatBars(100, 1000, 10);
    // top-dollar-volume: dollar volume = price × 10 bars × volume. Day 2 (yesterday) ranks
    // TA > TB > TC > TD, today ranks the reverse; day 1 makes TC's 2-session average the largest;
    // TE is the most traded of all but in no universe.
    case 'TA':
      return flatBars(10, [1000, 1000, 4000, 1000][day]!, 10);
    case 'TB':
      return flatBars(20, [500, 500, 1500, 1000][day]!, 10);
    case 'TC':
      return flatBars(10, [1000, 20_000, 2000, 3000][day]!, 10);
    case 'TD':
      return flatBars(10, [1000, 1000, 1000, 4000][day]!, 10);
    case 'TE':
      return flatBars(10, 9000, 10);
    // gap: every prior session opens at 90 and closes at 100; today's first bar opens at
    // +5%, −3%, +1%, −0.5%, +2% (exactly), +10% but one minute late (no opening bar), and
    // +20% for GG, whose prior session is missing.
    case 'GA':
    case 'GB':
    case 'GC':
    case 'GD':
    case 'GE':
    case 'GF':
    case 'GG': {
      const opens: Record<string, number> = { GA: 105, GB: 97, GC: 101, GD: 99.5, GE: 102, GF: 110, GG: 120 };
      if (!today) return symbol === 'GG' && day === 2 ? undefined : [{ minute: 0, o: 90, h: 100, l: 90, c: 95, v: 1000 }, ...flatBars(100, 1000, 9, 1)];
      return symbol === 'GF' ? flatBars(110, 1000, 9, 1) : gapDay(opens[symbol]!);
    }
    // relative-volume at open+30m over 3 sessions: RA 3×, RB 1.5×, RC 2.5× (one prior session
    // missing: the average is over two), RD trades only after the scan, RE's big volume comes
    // one bar after the scan instant; every session trades 100 000 a bar after 30 minutes.
    case 'RA':
      return volumeDay(today ? 300 : 100);
    case 'RB':
      return volumeDay(today ? 150 : 100);
    case 'RC':
      return [volumeDay(100), undefined, volumeDay(300), volumeDay(500)][day];
    case 'RD':
      return today ? flatBars(10, 5000, 20, 40) : volumeDay(100);
    case 'RE':
      return today ? [...flatBars(10, 100, 30), ...flatBars(10, 1_000_000, 30, 30)] : volumeDay(100);
    // new-high-low (today only): NA rises (a new high every bar), NB falls (a new low every
    // bar), NC is flat, ND's only new high is its 11th bar (ending at open+11m), NE has 5 bars.
    case 'NA':
      return today ? Array.from({ length: 11 }, (_, i) => ({ minute: i, o: 9.5 + i, h: 10 + i, l: 9 + i, c: 9.5 + i, v: 100 })) : flatBars(10, 100, 10);
    case 'NB':
      return today ? Array.from({ length: 11 }, (_, i) => ({ minute: i, o: 20.5 - i, h: 21 - i, l: 20 - i, c: 20.5 - i, v: 100 })) : flatBars(20, 100, 10);
    case 'NC':
      return today ? Array.from({ length: 11 }, (_, i) => ({ minute: i, o: 14.5, h: 15, l: 14, c: 14.5, v: 100 })) : flatBars(14.5, 100, 10);
    case 'ND':
      return today ? Array.from({ length: 11 }, (_, i) => ({ minute: i, o: 14.5, h: i === 0 ? 16 : i === 10 ? 30 : 15, l: i === 10 ? 14.5 : 14, c: 14.5, v: 100 })) : flatBars(14.5, 100, 10);
    case 'NE':
      return today ? Array.from({ length: 5 }, (_, i) => ({ minute: i, o: 9.5 + i, h: 10 + i, l: 9 + i, c: 9.5 + i, v: 100 })) : flatBars(10, 100, 10);
    // price-volume-filter. Prior session (close, volume): PA (10, 10 000), PB (50, 50 000),
    // PC (250, 30 000), PD (30, 1 000), PE none. Today up to open+5m (last close, volume):
    // PA (300, 10 000), PB (50, 500), PC (100, 20 000), PD (30, 10 000), PE (20, 25 000). PA's
    // and PC's first closes would decide the other way; the bars after open+5m would pass PA
    // (price 50) and PB (volume 1e6) if they were seen.
    case 'PA':
      return today ? [...flatBars(100, 2000, 4), ...flatBars(300, 2000, 1, 4), ...flatBars(50, 2000, 5, 5)] : flatBars(10, 1000, 10);
    case 'PB':
      return today ? [...flatBars(50, 100, 5), ...flatBars(50, 1_000_000, 5, 5)] : flatBars(50, 5000, 10);
    case 'PC':
      return today ? [...flatBars(250, 4000, 4), ...flatBars(100, 4000, 6, 4)] : flatBars(250, 3000, 10);
    case 'PD':
      return today ? flatBars(30, 2000, 10) : flatBars(30, 100, 10);
    case 'PE':
      return today ? flatBars(20, 5000, 10) : day === 2 ? undefined : flatBars(20, 5000, 10);
    default:
      throw new Error(`no design for ${symbol}`);
  }
}

const DESIGNED_SYMBOLS = ['SPY', 'TA', 'TB', 'TC', 'TD', 'TE', 'GA', 'GB', 'GC', 'GD', 'GE', 'GF', 'GG', 'RA', 'RB', 'RC', 'RD', 'RE', 'NA', 'NB', 'NC', 'ND', 'NE', 'PA', 'PB', 'PC', 'PD', 'PE'];

// ---------------------------------------------------------------------------------------
// The demo store: DEMO01…DEMO07 over 2024-04-01 … 2024-04-09; DEMO07 misses 2024-04-04.
// DEMO01 is the configured symbol; the universe is the other six.
// ---------------------------------------------------------------------------------------

const DEMO_UNIVERSE = ['DEMO02', 'DEMO03', 'DEMO04', 'DEMO05', 'DEMO06', 'DEMO07'];
const DEMO_DAYS = ['2024-04-05', '2024-04-08'];

let designed: DesignedStore;
let demo: EngineStore;
let designedBars: StoreBars;
let demoBars: StoreBars;

test.before(async () => {
  quietEngineLogs();
  [designed, demo] = await Promise.all([writeDesignedStore(DESIGNED_SYMBOLS, DESIGN_FROM, TODAY, (symbol, day) => design(symbol, day)), makeEngineStore({ symbols: 7, from: '2024-04-01', to: '2024-04-09', seed: 5 })]);
  designedBars = new StoreBars(designed.root);
  demoBars = new StoreBars(demo.root);
});

test.after.always(async () => {
  await Promise.all([designed?.dispose(), demo?.dispose()]);
});

const todaySession = (): Session => designed.sessions.find((s) => s.date === TODAY)!;

/** The `count` sessions of `store` before `date`, oldest first. */
function priorSessions(sessions: readonly Session[], date: string, count: number): Session[] {
  const at = sessions.findIndex((s) => s.date === date);
  if (at < count) throw new Error(`the store has fewer than ${count} sessions before ${date}`);
  return sessions.slice(at - count, at);
}

/** Which base bars (by end time) a strategy saw per symbol, per day. */
type Seen = Map<string, Map<string, number[]>>;

/** A strategy component recording every 1m bar it is shown. */
function watcher(seen: Seen): SessionComponent {
  return {
    name: 'watcher',
    kind: 'strategy',
    stage: () =>
      strategy({
        name: 'watcher',
        onSlice: (slice) => {
          const closed = slice.closed.get('1m');
          if (!closed) return;
          let day = seen.get(slice.session.date);
          if (!day) seen.set(slice.session.date, (day = new Map()));
          for (let k = 0; k < closed.count; k++) {
            const ends = day.get(closed.symbol(k)) ?? [];
            ends.push(closed.end(k));
            day.set(closed.symbol(k), ends);
          }
        },
      }),
  };
}

interface RunOptions {
  readonly symbols?: string[];
  readonly start?: string;
  readonly end?: string;
  readonly components?: SessionComponent[];
}

/** Backtest `scanners` over a store (one 1m stream, no history, main-thread decoding). */
async function run(t: ExecutionContext, root: string, scanners: ScannerSpec[], options: RunOptions = {}): Promise<BacktestResult> {
  const config: SessionConfigInput = {
    name: 'scanner-spec',
    calendar: 'XNYS',
    store: { ...storeSection(root), decodeThreads: 0 },
    symbols: options.symbols ?? ['SPY'],
    streams: ['1m'],
    scanners,
    backtest: { start: options.start ?? TODAY, end: options.end ?? TODAY, speed: 0 },
  };
  const result = await backtest(config, options.components ? { components: options.components } : {}).result();
  t.teardown(() => result.dispose());
  return result;
}

const designedRun = (t: ExecutionContext, scanners: ScannerSpec[], options: RunOptions = {}) => run(t, designed.root, scanners, options);
const demoRun = (t: ExecutionContext, scanners: ScannerSpec[], options: RunOptions = {}) => run(t, demo.root, scanners, { symbols: ['DEMO01'], start: DEMO_DAYS[0], end: DEMO_DAYS.at(-1), ...options });

const dayOf = (result: BacktestResult, date: string): DayResult => {
  const day = result.days.find((d) => d.date === date);
  if (!day) throw new Error(`no result for ${date} (days: ${result.days.map((d) => d.date).join(', ')})`);
  return day;
};

/** Assert the additions of `by` are exactly `expected` (symbol and score), at `time`. */
function assertAdded(t: ExecutionContext, day: DayResult, by: string, expected: readonly Expected[], time: number | ((symbol: string) => number)): void {
  const got = additionsBy(day, by);
  t.deepEqual(
    got.map((a) => a.symbol),
    best(expected).map((e) => e.symbol),
    `${day.date} ${by}: added symbols`,
  );
  for (const e of expected) {
    const a = got.find((g) => g.symbol === e.symbol);
    t.true(sameScore(a?.score, e.score), `${day.date} ${by} ${e.symbol}: score ${a?.score} ≠ ${e.score}`);
    t.is(a?.status, 'added');
    t.is(a?.time, typeof time === 'number' ? time : time(e.symbol));
  }
}

// ---------------------------------------------------------------------------------------
// top-dollar-volume
// ---------------------------------------------------------------------------------------

/** Average close × volume over the prior `k` sessions with data, or undefined with none. */
async function dollarVolume(bars: StoreBars, symbol: string, prior: readonly Session[], minPrice = 0): Promise<number | undefined> {
  const days = (await Promise.all(prior.map(async (s) => dailyOf(await bars.day(symbol, s))))).filter((d) => d !== undefined);
  if (days.length === 0 || days.at(-1)!.close < minPrice) return undefined;
  return sum(days.map((d) => d.close * d.volume)) / days.length;
}

async function expectedTopDollar(bars: StoreBars, sessions: readonly Session[], universe: readonly string[], date: string, k: number, count: number, minPrice = 0): Promise<Expected[]> {
  const prior = priorSessions(sessions, date, k);
  const scored = await Promise.all(universe.map(async (symbol) => ({ symbol, score: await dollarVolume(bars, symbol, prior, minPrice) })));
  return best(scored.filter((s): s is Expected => s.score !== undefined)).slice(0, count);
}

test('top-dollar-volume: adds the top N of the universe by the prior session dollar volume before the open, not by today’s', async (t) => {
  const universe = ['TA', 'TB', 'TC', 'TD'];
  const result = await designedRun(t, [{ name: 'top-dollar-volume', params: { count: 2 }, universe }]);
  const day = dayOf(result, TODAY);
  const open = todaySession().open;
  // Designed: yesterday TA $400k > TB $300k > TC > TD; today the reverse (TD, TC on top).
  const expected = [
    { symbol: 'TA', score: 400_000 },
    { symbol: 'TB', score: 300_000 },
  ];
  t.deepEqual(await expectedTopDollar(designedBars, designed.sessions, universe, TODAY, 1, 2), expected);
  const byToday = best(
    await Promise.all(
      universe.map(async (symbol) => {
        const d = dailyOf(await designedBars.day(symbol, todaySession()))!;
        return { symbol, score: d.close * d.volume };
      }),
    ),
  );
  t.deepEqual(byToday.slice(0, 2).map((p) => p.symbol), ['TD', 'TC'], 'today ranks differently (precondition)');
  assertAdded(t, day, 'top-dollar-volume', expected, open);
  t.deepEqual(
    scansOf(day, 'top-dollar-volume').map((s) => ({ asOf: s.asOf, phase: s.phase, universe: s.universe, picks: s.picks, added: s.added })),
    [{ asOf: open, phase: 'pre', universe: 4, picks: 2, added: ['TA', 'TB'] }],
  );
  t.regex(day.additions.find((a) => a.symbol === 'TA')!.reason!, /average dollar volume 400,000 over 1 session to 2024-04-03/);
  // TE, the most traded symbol of the store, is not in the universe.
  t.false(day.symbols.includes('TE'));
  t.deepEqual([...day.symbols].sort(), ['SPY', 'TA', 'TB']);
});

test('top-dollar-volume: with sessions k ranks by the average over the k prior sessions, and minPrice skips cheaper symbols', async (t) => {
  const universe = ['TA', 'TB', 'TC', 'TD'];
  const [averaged, priced] = await Promise.all([
    designedRun(t, [{ name: 'top-dollar-volume', params: { count: 2, sessions: 2 }, universe }]),
    designedRun(t, [{ name: 'top-dollar-volume', params: { count: 2, minPrice: 15 }, universe }]),
  ]);
  const open = todaySession().open;
  // (2 000 000 + 200 000) / 2 for TC, (100 000 + 400 000) / 2 for TA.
  const twoSessions = [
    { symbol: 'TC', score: 1_100_000 },
    { symbol: 'TA', score: 250_000 },
  ];
  t.deepEqual(await expectedTopDollar(designedBars, designed.sessions, universe, TODAY, 2, 2), twoSessions);
  assertAdded(t, dayOf(averaged, TODAY), 'top-dollar-volume', twoSessions, open);
  t.regex(dayOf(averaged, TODAY).additions.find((a) => a.symbol === 'TC')!.reason!, /over 2 sessions to 2024-04-03/);
  // Only TB (price 20) is at least 15: one pick although count is 2.
  const expensive = [{ symbol: 'TB', score: 300_000 }];
  t.deepEqual(await expectedTopDollar(designedBars, designed.sessions, universe, TODAY, 1, 2, 15), expensive);
  assertAdded(t, dayOf(priced, TODAY), 'top-dollar-volume', expensive, open);
  t.is(scansOf(dayOf(priced, TODAY), 'top-dollar-volume')[0]!.picks, 1);
});

for (const k of [1, 3]) {
  test(`top-dollar-volume: on generated data adds the top 3 of the universe by average close × volume over ${k} prior session${k === 1 ? '' : 's'}, every day`, async (t) => {
    const result = await demoRun(t, [{ name: 'top-dollar-volume', params: { count: 3, sessions: k }, universe: DEMO_UNIVERSE }]);
    t.deepEqual(
      result.days.map((d) => d.date),
      DEMO_DAYS,
    );
    for (const date of DEMO_DAYS) {
      const day = dayOf(result, date);
      const session = demo.sessions.find((s) => s.date === date)!;
      const expected = await expectedTopDollar(demoBars, demo.sessions, DEMO_UNIVERSE, date, k, 3);
      t.is(expected.length, 3);
      assertAdded(t, day, 'top-dollar-volume', expected, session.open);
      t.deepEqual(scansOf(day, 'top-dollar-volume')[0]!.added, expected.map((e) => e.symbol));
    }
    // Coverage (precondition): DEMO07 has no 2024-04-04, so on 04-05 it is unranked with one
    // session and averaged over the sessions it has with three.
    const demo07 = await dollarVolume(demoBars, 'DEMO07', priorSessions(demo.sessions, '2024-04-05', k));
    t.is(demo07 === undefined, k === 1);
  });
}

// ---------------------------------------------------------------------------------------
// gap
// ---------------------------------------------------------------------------------------

/** Percent gap of the first bar (at the open) against the prior session's close. */
async function gapOf(bars: StoreBars, symbol: string, session: Session, prior: Session): Promise<number | undefined> {
  const today = await bars.day(symbol, session);
  const before = dailyOf(await bars.day(symbol, prior));
  if (!today || today.start[0] !== session.open || !before) return undefined;
  return (100 * (today.open[0]! - before.close)) / before.close;
}

const GAPPERS = ['GA', 'GB', 'GC', 'GD', 'GE', 'GF', 'GG'];

test('gap: picks the symbols whose first bar opened at least minPercent from the prior close, in the requested direction, scored by the gap size', async (t) => {
  const scanners: ScannerSpec[] = [
    { name: 'gap', as: 'both', params: { minPercent: 2 }, universe: GAPPERS },
    { name: 'gap', as: 'up', params: { minPercent: 2, direction: 'up' }, universe: GAPPERS },
    { name: 'gap', as: 'down', params: { minPercent: 0.5, direction: 'down' }, universe: GAPPERS },
    { name: 'gap', as: 'top', params: { minPercent: 0, count: 1 }, universe: GAPPERS },
    // Later in the session GF's bars are visible, but it has no opening bar to measure a gap on.
    { name: 'gap', as: 'later', params: { minPercent: 2 }, schedule: ['open+5m'], universe: GAPPERS },
  ];
  // One run per scanner: a symbol one of them added would not be added (again) by another.
  const results = await Promise.all(scanners.map((s) => designedRun(t, [s])));
  const session = todaySession();
  const prior = designed.sessions.at(-2)!;
  const gaps = Object.fromEntries(await Promise.all(GAPPERS.map(async (s) => [s, await gapOf(designedBars, s, session, prior)] as const)));
  // Computed from the store: GF has no opening bar, GG no prior session.
  t.deepEqual(gaps, { GA: 5, GB: -3, GC: 1, GD: -0.5, GE: 2, GF: undefined, GG: undefined });
  const at = session.open + MINUTE;
  const expected = {
    both: [{ symbol: 'GA', score: 5 }, { symbol: 'GB', score: 3 }, { symbol: 'GE', score: 2 }],
    up: [{ symbol: 'GA', score: 5 }, { symbol: 'GE', score: 2 }],
    down: [{ symbol: 'GB', score: 3 }, { symbol: 'GD', score: 0.5 }],
    top: [{ symbol: 'GA', score: 5 }],
    later: [{ symbol: 'GA', score: 5 }, { symbol: 'GB', score: 3 }, { symbol: 'GE', score: 2 }],
  };
  scanners.forEach((s, i) => {
    const day = dayOf(results[i]!, TODAY);
    const name = s.as! as keyof typeof expected;
    const when = name === 'later' ? session.open + 5 * MINUTE : at;
    assertAdded(t, day, name, expected[name], when);
    t.deepEqual(scansOf(day, name).map((r) => [r.asOf, r.phase, r.picks]), [[when, 'intraday', expected[name].length]]);
  });
  t.regex(dayOf(results[0]!, TODAY).additions.find((a) => a.symbol === 'GB')!.reason!, /^gap -3\.00% from 2024-04-03 close 100$/);
});

test('gap: sees nothing before the first bar has ended (a pre-session scan and one at open+30s pick nothing)', async (t) => {
  const result = await designedRun(t, [
    { name: 'gap', as: 'early', params: { minPercent: 0 }, schedule: ['pre', 'open+30s'], universe: GAPPERS },
    { name: 'gap', as: 'first-bar', params: { minPercent: 0 }, schedule: ['open+1m'], universe: GAPPERS },
  ]);
  const day = dayOf(result, TODAY);
  const open = todaySession().open;
  t.deepEqual(
    scansOf(day, 'early').map((s) => [s.asOf, s.phase, s.picks, s.added]),
    [
      [open, 'pre', 0, []],
      [open + 30_000, 'intraday', 0, []],
    ],
  );
  t.deepEqual(additionsBy(day, 'early'), []);
  // Once the first bar has ended the same scan finds every gapper with an opening bar and a prior close.
  t.deepEqual(scansOf(day, 'first-bar').map((s) => [s.asOf, s.picks]), [[open + MINUTE, 5]]);
  t.deepEqual(additionsBy(day, 'first-bar').map((a) => a.symbol), ['GA', 'GB', 'GE', 'GC', 'GD']);
});

test('gap: on generated data picks exactly the symbols whose computed |gap| reaches minPercent, every day', async (t) => {
  const gapsOn = async (date: string) => {
    const at = demo.sessions.findIndex((s) => s.date === date);
    const list = await Promise.all(DEMO_UNIVERSE.map(async (symbol) => ({ symbol, gap: await gapOf(demoBars, symbol, demo.sessions[at]!, demo.sessions[at - 1]!) })));
    return list.filter((g): g is { symbol: string; gap: number } => g.gap !== undefined);
  };
  const perDay = await Promise.all(DEMO_DAYS.map(gapsOn));
  // A threshold between the 2nd and 3rd largest gap of the first day: some pass, some do not.
  const sizes = perDay[0]!.map((g) => Math.abs(g.gap)).sort((a, b) => b - a);
  const minPercent = between(sizes[1]!, sizes[2]!);
  const result = await demoRun(t, [{ name: 'gap', params: { minPercent }, universe: DEMO_UNIVERSE }]);
  DEMO_DAYS.forEach((date, i) => {
    const expected = perDay[i]!.filter((g) => Math.abs(g.gap) >= minPercent).map((g) => ({ symbol: g.symbol, score: Math.abs(g.gap) }));
    if (i === 0) t.is(expected.length, 2);
    const open = demo.sessions.find((s) => s.date === date)!.open;
    assertAdded(t, dayOf(result, date), 'gap', expected, open + MINUTE);
    for (const a of dayOf(result, date).additions) {
      const g = perDay[i]!.find((x) => x.symbol === a.symbol)!.gap;
      t.true(a.reason!.startsWith(`gap ${g >= 0 ? '+' : ''}${g.toFixed(2)}% from `), a.reason);
    }
  });
});

// ---------------------------------------------------------------------------------------
// relative-volume
// ---------------------------------------------------------------------------------------

/** Volume open→T over the average of the same part of the prior sessions that have bars. */
async function relativeVolumeOf(bars: StoreBars, symbol: string, session: Session, prior: readonly Session[], T: number): Promise<number | undefined> {
  const elapsed = T - session.open;
  const now = sum(endedBy(await bars.day(symbol, session), T).volume);
  if (now <= 0) return undefined;
  const past: number[] = [];
  for (const p of prior) {
    const b = await bars.day(symbol, p);
    if (b && b.start.length > 0) past.push(sum(endedBy(b, p.open + elapsed).volume));
  }
  const average = sum(past) / past.length;
  return past.length > 0 && average > 0 ? now / average : undefined;
}

const RELATIVE = ['RA', 'RB', 'RC', 'RD', 'RE'];

test('relative-volume: divides the volume open→T by the average of the same part of the prior sessions, and respects minRatio and count', async (t) => {
  const session = todaySession();
  const T = session.open + 30 * MINUTE;
  const prior = priorSessions(designed.sessions, TODAY, 3);
  const ratios = Object.fromEntries(await Promise.all(RELATIVE.map(async (s) => [s, await relativeVolumeOf(designedBars, s, session, prior, T)] as const)));
  // 9000 / 3000; 4500 / 3000; 15 000 / ((3000 + 9000) / 2) (RC misses 04-02); RD has no volume yet.
  t.deepEqual(ratios, { RA: 3, RB: 1.5, RC: 2.5, RD: undefined, RE: 1 });
  const [all, counted] = await Promise.all([
    designedRun(t, [{ name: 'relative-volume', params: { sessions: 3, minRatio: 2.5 }, schedule: ['open+30m'], universe: RELATIVE }]),
    designedRun(t, [{ name: 'relative-volume', params: { sessions: 3, minRatio: 2.5, count: 1 }, schedule: ['open+30m'], universe: RELATIVE }]),
  ]);
  assertAdded(t, dayOf(all, TODAY), 'relative-volume', [{ symbol: 'RA', score: 3 }, { symbol: 'RC', score: 2.5 }], T);
  assertAdded(t, dayOf(counted, TODAY), 'relative-volume', [{ symbol: 'RA', score: 3 }], T);
  t.deepEqual(scansOf(dayOf(all, TODAY), 'relative-volume').map((s) => [s.asOf, s.picks]), [[T, 2]]);
  t.regex(dayOf(all, TODAY).additions.find((a) => a.symbol === 'RC')!.reason!, /^relative volume 2\.50× \(15000 vs 6000 on average over 2 sessions\)$/);
});

test('relative-volume: on generated data the scores equal the ratios computed from the store at T, and exactly the symbols at or above minRatio are picked', async (t) => {
  const k = 3;
  const offset = 60 * MINUTE;
  const ratiosOn = async (date: string) => {
    const session = demo.sessions.find((s) => s.date === date)!;
    const prior = priorSessions(demo.sessions, date, k);
    const list = await Promise.all(DEMO_UNIVERSE.map(async (symbol) => ({ symbol, score: await relativeVolumeOf(demoBars, symbol, session, prior, session.open + offset) })));
    return list.filter((r): r is Expected => r.score !== undefined);
  };
  const perDay = await Promise.all(DEMO_DAYS.map(ratiosOn));
  const sorted = best(perDay[0]!);
  const minRatio = between(sorted[2]!.score, sorted[3]!.score);
  const result = await demoRun(t, [{ name: 'relative-volume', params: { sessions: k, minRatio }, schedule: ['open+60m'], universe: DEMO_UNIVERSE }]);
  DEMO_DAYS.forEach((date, i) => {
    const expected = perDay[i]!.filter((r) => r.score >= minRatio);
    if (i === 0) t.is(expected.length, 3);
    const open = demo.sessions.find((s) => s.date === date)!.open;
    assertAdded(t, dayOf(result, date), 'relative-volume', expected, open + offset);
    t.is(scansOf(dayOf(result, date), 'relative-volume')[0]!.picks, expected.length);
  });
});

// ---------------------------------------------------------------------------------------
// new-high-low
// ---------------------------------------------------------------------------------------

/** The new-high (or low) score of the latest bar that ended by T, after more than minBars bars. */
async function newExtremeOf(bars: StoreBars, symbol: string, session: Session, T: number, side: 'high' | 'low', minBars: number): Promise<number | undefined> {
  const seen = endedBy(await bars.day(symbol, session), T);
  const values = side === 'high' ? seen.high : seen.low;
  if (values.length <= minBars) return undefined;
  const latest = values.at(-1)!;
  const previous = side === 'high' ? Math.max(...values.slice(0, -1)) : Math.min(...values.slice(0, -1));
  const beyond = side === 'high' ? latest > previous : latest < previous;
  return beyond && previous > 0 ? (100 * Math.abs(latest - previous)) / previous : undefined;
}

const EXTREMES = ['NA', 'NB', 'NC', 'ND', 'NE'];

test('new-high-low: picks the symbols whose latest visible bar makes a new high (side high) or a new low (side low) of the day', async (t) => {
  const session = todaySession();
  const [t10, t11] = [session.open + 10 * MINUTE, session.open + 11 * MINUTE];
  const result = await designedRun(t, [
    { name: 'new-high-low', as: 'highs', params: { side: 'high', minBars: 5 }, schedule: ['open+10m', 'open+11m'], universe: EXTREMES },
    { name: 'new-high-low', as: 'lows', params: { side: 'low', minBars: 5 }, schedule: ['open+10m', 'open+11m'], universe: EXTREMES },
    { name: 'new-high-low', as: 'short-day', params: { side: 'high', minBars: 4 }, schedule: ['open+10m'], universe: ['NE'] },
  ]);
  const day = dayOf(result, TODAY);
  const computed = async (side: 'high' | 'low', T: number, minBars = 5) => best((await Promise.all(EXTREMES.map(async (symbol) => ({ symbol, score: await newExtremeOf(designedBars, symbol, session, T, side, minBars) })))).filter((p): p is Expected => p.score !== undefined));
  // Highs: NA's rising bars at both instants; ND's spike is its bar ending at open+11m, so the
  // scan at open+10m must not see it; NE (5 bars) is below minBars 5.
  t.deepEqual(await computed('high', t10), [{ symbol: 'NA', score: 100 / 18 }]);
  t.deepEqual(await computed('high', t11), [{ symbol: 'ND', score: 87.5 }, { symbol: 'NA', score: 100 / 19 }]);
  t.deepEqual(await computed('low', t10), [{ symbol: 'NB', score: 100 / 12 }]);
  t.deepEqual(await computed('low', t11), [{ symbol: 'NB', score: 100 / 11 }]);
  t.deepEqual(await computed('high', t10, 4), [{ symbol: 'NE', score: 100 / 13 }, { symbol: 'NA', score: 100 / 18 }]);
  t.deepEqual(
    scansOf(day, 'highs').map((s) => [s.asOf, s.picks, s.added]),
    [
      [t10, 1, ['NA']],
      [t11, 2, ['ND']],
    ],
  );
  assertAdded(t, day, 'highs', [{ symbol: 'ND', score: 87.5 }, { symbol: 'NA', score: 100 / 18 }], (s) => (s === 'NA' ? t10 : t11));
  // NB is present at open+11m (added at open+10m): picked again, not added again.
  t.deepEqual(
    scansOf(day, 'lows').map((s) => [s.asOf, s.picks, s.added]),
    [
      [t10, 1, ['NB']],
      [t11, 1, []],
    ],
  );
  assertAdded(t, day, 'lows', [{ symbol: 'NB', score: 100 / 12 }], t10);
  assertAdded(t, day, 'short-day', [{ symbol: 'NE', score: 100 / 13 }], t10);
  // count keeps the best picks only (a run of its own: the scanners above would add them first).
  const top = dayOf(await designedRun(t, [{ name: 'new-high-low', params: { side: 'high', count: 1 }, schedule: ['open+11m'], universe: EXTREMES }]), TODAY);
  t.deepEqual(scansOf(top, 'new-high-low').map((s) => [s.asOf, s.picks, s.added]), [[t11, 1, ['ND']]]);
  t.regex(day.additions.find((a) => a.symbol === 'NB')!.reason!, /^new low of the day 11 \(previous 12\)$/);
});

for (const side of ['high', 'low'] as const) {
  test(`new-high-low: on generated data every scan of side ${side} picks exactly the new ${side}s computed from the store at its instant`, async (t) => {
    const count = 3;
    const result = await demoRun(t, [{ name: 'new-high-low', params: { side, minBars: 5, count }, schedule: ['every 20m'], universe: DEMO_UNIVERSE }]);
    let picked = 0;
    for (const date of DEMO_DAYS) {
      const session = demo.sessions.find((s) => s.date === date)!;
      const day = dayOf(result, date);
      const scans = scansOf(day, 'new-high-low');
      const instants: number[] = [];
      for (let at = session.open + 20 * MINUTE; at < session.close; at += 20 * MINUTE) instants.push(at);
      t.deepEqual(scans.map((s) => s.asOf), instants);
      const active = new Set(['DEMO01']);
      const expectedAdditions: Array<Expected & { time: number }> = [];
      for (const [i, T] of instants.entries()) {
        const all = (await Promise.all(DEMO_UNIVERSE.map(async (symbol) => ({ symbol, score: await newExtremeOf(demoBars, symbol, session, T, side, 5) })))).filter((p): p is Expected => p.score !== undefined);
        const picks = best(all).slice(0, count);
        const adds = expectedAdds(picks, active, 10);
        t.is(scans[i]!.picks, picks.length, `${date} ${new Date(T).toISOString()} picks`);
        t.deepEqual(scans[i]!.added, adds.map((a) => a.symbol), `${date} ${new Date(T).toISOString()} added`);
        for (const a of adds) {
          active.add(a.symbol);
          expectedAdditions.push({ ...a, time: T });
        }
        picked += picks.length;
      }
      assertAdded(t, day, 'new-high-low', expectedAdditions, (s) => expectedAdditions.find((e) => e.symbol === s)!.time);
    }
    t.true(picked > 0, 'the data makes some new extremes (precondition)');
  });
}

// ---------------------------------------------------------------------------------------
// price-volume-filter
// ---------------------------------------------------------------------------------------

const FILTERED = ['PA', 'PB', 'PC', 'PD', 'PE'];
const RANGES = { minPrice: 5, maxPrice: 200, minVolume: 5000 };

interface Measure {
  readonly symbol: string;
  readonly price: number;
  readonly volume: number;
}

async function priorMeasure(bars: StoreBars, symbol: string, prior: Session): Promise<Measure> {
  const d = dailyOf(await bars.day(symbol, prior));
  return { symbol, price: d?.close ?? Number.NaN, volume: d?.volume ?? Number.NaN };
}

async function todayMeasure(bars: StoreBars, symbol: string, session: Session, T: number): Promise<Measure> {
  const seen = endedBy(await bars.day(symbol, session), T);
  return seen.close.length === 0 ? { symbol, price: Number.NaN, volume: Number.NaN } : { symbol, price: seen.close.at(-1)!, volume: sum(seen.volume) };
}

function passing(measures: readonly Measure[], r: { minPrice?: number; maxPrice?: number; minVolume?: number; maxVolume?: number }): Expected[] {
  const ok = (m: Measure) => m.price >= (r.minPrice ?? 0) && m.price <= (r.maxPrice ?? Infinity) && m.volume >= (r.minVolume ?? 0) && m.volume <= (r.maxVolume ?? Infinity);
  return best(measures.filter(ok).map((m) => ({ symbol: m.symbol, score: m.volume })));
}

test('price-volume-filter: basis prior picks before the open the symbols whose prior-session close and volume lie in the ranges, best volume first, at most count', async (t) => {
  const prior = designed.sessions.at(-2)!;
  const measures = await Promise.all(FILTERED.map((s) => priorMeasure(designedBars, s, prior)));
  const expected = passing(measures, RANGES);
  t.deepEqual(expected, [{ symbol: 'PB', score: 50_000 }, { symbol: 'PA', score: 10_000 }]);
  const [result, counted] = await Promise.all([
    designedRun(t, [{ name: 'price-volume-filter', params: RANGES, universe: FILTERED }]),
    designedRun(t, [{ name: 'price-volume-filter', params: { ...RANGES, count: 1 }, universe: FILTERED }]),
  ]);
  const day = dayOf(result, TODAY);
  assertAdded(t, day, 'price-volume-filter', expected, todaySession().open);
  assertAdded(t, dayOf(counted, TODAY), 'price-volume-filter', expected.slice(0, 1), todaySession().open);
  t.deepEqual(scansOf(day, 'price-volume-filter').map((s) => [s.phase, s.picks, s.added]), [['pre', 2, ['PB', 'PA']]]);
  t.regex(day.additions.find((a) => a.symbol === 'PB')!.reason!, /^price 50, volume 50000 \(prior session\)$/);
  t.deepEqual(day.drops, []);
});

test('price-volume-filter: basis today measures the last close and the volume since the open of the bars visible at T', async (t) => {
  const session = todaySession();
  const T = session.open + 5 * MINUTE;
  const measures = await Promise.all(FILTERED.map((s) => todayMeasure(designedBars, s, session, T)));
  const expected = passing(measures, RANGES);
  // PA (300) and PB (volume 500) fail at T; their later bars would pass.
  t.deepEqual(expected, [{ symbol: 'PE', score: 25_000 }, { symbol: 'PC', score: 20_000 }, { symbol: 'PD', score: 10_000 }]);
  const result = await designedRun(t, [{ name: 'price-volume-filter', params: { ...RANGES, basis: 'today' }, schedule: ['pre', 'open+5m'], universe: FILTERED }]);
  const day = dayOf(result, TODAY);
  assertAdded(t, day, 'price-volume-filter', expected, T);
  // The pre-session scan of basis today has nothing to measure yet.
  t.deepEqual(scansOf(day, 'price-volume-filter').map((s) => [s.phase, s.picks]), [['pre', 0], ['intraday', 3]]);
  t.regex(day.additions.find((a) => a.symbol === 'PE')!.reason!, /^price 20, volume 25000 \(today so far\)$/);
});

test('price-volume-filter: dropFailing drops active symbols outside the ranges before the open, and strategies never see their bars', async (t) => {
  const seen: Seen = new Map();
  const ranges = { ...RANGES, maxVolume: 40_000 };
  const result = await designedRun(t, [{ name: 'price-volume-filter', params: { ...ranges, dropFailing: true }, universe: FILTERED }], { symbols: ['SPY', 'PB', 'PC'], components: [watcher(seen)] });
  const day = dayOf(result, TODAY);
  const open = todaySession().open;
  const prior = designed.sessions.at(-2)!;
  const measures = await Promise.all(['SPY', ...FILTERED].map((s) => priorMeasure(designedBars, s, prior)));
  const failing = measures.filter((m) => !passing([m], ranges).length).map((m) => m.symbol);
  // PB's volume (50 000) is above maxVolume, PC's price (250) above maxPrice; PD and PE fail but are not active.
  t.deepEqual(failing, ['PB', 'PC', 'PD', 'PE']);
  t.deepEqual(
    day.drops.map((d) => ({ symbol: d.symbol, time: d.time, by: d.by, status: d.status })),
    ['PB', 'PC'].map((symbol) => ({ symbol, time: open, by: 'price-volume-filter', status: 'dropped' })),
  );
  t.regex(day.drops[0]!.reason!, /^price 50, volume 50000 outside the ranges$/);
  assertAdded(t, day, 'price-volume-filter', [{ symbol: 'PA', score: 10_000 }], open);
  t.deepEqual(scansOf(day, 'price-volume-filter').map((s) => s.dropped), [['PB', 'PC']]);
  t.deepEqual((day.components['price-volume-filter'] as { dropped: number }).dropped, 2);
  const shown = seen.get(TODAY)!;
  t.deepEqual([...shown.keys()].sort(), ['PA', 'SPY']);
  t.is(shown.get('SPY')!.length, 10);
  // Dropped, not removed: their data stays in the day.
  t.true(result.sessionData!.has('PB') && result.sessionData!.has('PC'));
});

test('price-volume-filter: dropFailing at T drops the active symbols failing on today’s bars from that tick on; strategies stop seeing them and see the added ones from the next tick', async (t) => {
  const seen: Seen = new Map();
  const session = todaySession();
  const T = session.open + 5 * MINUTE;
  const result = await designedRun(t, [{ name: 'price-volume-filter', params: { ...RANGES, basis: 'today', dropFailing: true }, schedule: ['open+5m'], universe: FILTERED }], { symbols: ['SPY', 'PA', 'PB', 'PC'], components: [watcher(seen)] });
  const day = dayOf(result, TODAY);
  const measures = await Promise.all(['SPY', ...FILTERED].map((s) => todayMeasure(designedBars, s, session, T)));
  t.deepEqual(passing(measures, RANGES).map((p) => p.symbol), ['PE', 'PC', 'PD', 'SPY']);
  t.deepEqual(day.drops.map((d) => [d.symbol, d.time, d.status]), [['PA', T, 'dropped'], ['PB', T, 'dropped']]);
  assertAdded(t, day, 'price-volume-filter', [{ symbol: 'PE', score: 25_000 }, { symbol: 'PD', score: 10_000 }], T);
  const shown = seen.get(TODAY)!;
  const minutes = (symbol: string) => (shown.get(symbol) ?? []).map((end) => (end - session.open) / MINUTE);
  // The scan runs at T before the strategies: the bars ending at T are not shown for the dropped ones.
  t.deepEqual(minutes('PA'), [1, 2, 3, 4]);
  t.deepEqual(minutes('PB'), [1, 2, 3, 4]);
  t.deepEqual(minutes('PC'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.deepEqual(minutes('SPY'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // Joined at T: their bars up to T are replayed without the strategies, live from the next tick.
  t.deepEqual(minutes('PD'), [6, 7, 8, 9, 10]);
  t.deepEqual(minutes('PE'), [6, 7, 8, 9, 10]);
});

test('price-volume-filter: on generated data picks exactly the universe symbols whose prior or today-so-far measures lie in the ranges', async (t) => {
  const offset = 45 * MINUTE;
  const first = demo.sessions.find((s) => s.date === DEMO_DAYS[0])!;
  const priorOf = (date: string) => priorSessions(demo.sessions, date, 1)[0]!;
  const priorOn = (date: string) => Promise.all(DEMO_UNIVERSE.map((s) => priorMeasure(demoBars, s, priorOf(date))));
  const todayOn = (date: string) => {
    const session = demo.sessions.find((s) => s.date === date)!;
    return Promise.all(DEMO_UNIVERSE.map((s) => todayMeasure(demoBars, s, session, session.open + offset)));
  };
  // Ranges between computed values of the first day: the cheapest and the most expensive fail
  // the price range, and so does the least traded of the rest.
  const cut = (ms: readonly Measure[]) => {
    const known = ms.filter((m) => Number.isFinite(m.price));
    const prices = known.map((m) => m.price).sort((a, b) => a - b);
    const volumes = known.map((m) => m.volume).sort((a, b) => a - b);
    return { minPrice: between(prices[0]!, prices[1]!), maxPrice: between(prices.at(-2)!, prices.at(-1)!), minVolume: between(volumes[0]!, volumes[1]!) };
  };
  const priorRanges = cut(await priorOn(DEMO_DAYS[0]!));
  const todayRanges = cut(await todayOn(DEMO_DAYS[0]!));
  const [prior, today] = await Promise.all([
    demoRun(t, [{ name: 'price-volume-filter', params: priorRanges, universe: DEMO_UNIVERSE }]),
    demoRun(t, [{ name: 'price-volume-filter', params: { ...todayRanges, basis: 'today' }, schedule: ['open+45m'], universe: DEMO_UNIVERSE }]),
  ]);
  for (const date of DEMO_DAYS) {
    const session = demo.sessions.find((s) => s.date === date)!;
    const expectedPrior = passing(await priorOn(date), priorRanges);
    const expectedToday = passing(await todayOn(date), todayRanges);
    if (session === first) {
      t.true(expectedPrior.length >= 2 && expectedPrior.length <= 4, `prior picks on ${date}: ${expectedPrior.length}`);
      t.true(expectedToday.length >= 2 && expectedToday.length <= 4, `today picks on ${date}: ${expectedToday.length}`);
    }
    assertAdded(t, dayOf(prior, date), 'price-volume-filter', expectedPrior, session.open);
    assertAdded(t, dayOf(today, date), 'price-volume-filter', expectedToday, session.open + offset);
  }
});

// ---------------------------------------------------------------------------------------
// maxAdds and the scanners together
// ---------------------------------------------------------------------------------------

test('scanner maxAdds: adds at most maxAdds of the picks, best scores first, while the report counts every pick', async (t) => {
  const result = await designedRun(t, [{ name: 'gap', params: { minPercent: 0 }, maxAdds: 2, universe: GAPPERS }]);
  const day = dayOf(result, TODAY);
  t.deepEqual(scansOf(day, 'gap').map((s) => [s.picks, s.added]), [[5, ['GA', 'GB']]]);
  t.deepEqual(additionsBy(day, 'gap').map((a) => a.symbol), ['GA', 'GB']);
  t.is((day.components.gap as { added: number }).added, 2);
});

test('every built-in picks a symbol listed twice in a (programmatic) universe once, and the day adds it once', async (t) => {
  const uses: Array<[string, Record<string, unknown>, string[], string[]]> = [
    ['top-dollar-volume', { count: 5 }, ['pre'], ['TA', 'TA', 'TB']],
    ['gap', {}, ['open+1m'], ['GA', 'GA']],
    ['relative-volume', { sessions: 3 }, ['open+30m'], ['RA', 'RA']],
    ['new-high-low', {}, ['open+10m'], ['NA', 'NA']],
    ['price-volume-filter', RANGES, ['pre'], ['PB', 'PB']],
  ];
  const components = uses.map(([name, params, schedule, universe]) => {
    const definition = SCANNERS.get(name);
    return scanner({ name, scanner: definition.create(validateParams(definition.params, params, name)), schedule, universe });
  });
  const result = await designedRun(t, [], { components });
  const day = dayOf(result, TODAY);
  t.deepEqual(
    uses.map(([name]) => scansOf(day, name).map((s) => s.added)),
    [[['TA', 'TB']], [['GA']], [['RA']], [['NA']], [['PB']]],
  );
  t.deepEqual([...day.symbols].sort(), ['GA', 'NA', 'PB', 'RA', 'SPY', 'TA', 'TB']);
});
