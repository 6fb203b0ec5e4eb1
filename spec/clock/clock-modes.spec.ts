import test from 'ava';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import { flushUntil, makeEngineStore, onSlice, plainConfig, quietEngineLogs, settleVirtual, virtualScheduler, type EngineStore } from '../helpers/engine-fixtures.ts';

const MINUTE = 60_000;
const FULL = '2024-11-27';
const EARLY = '2024-11-29'; // the day after Thanksgiving: 13:00 close
const xnys = getCalendar('XNYS');

// 2 symbols over 2024-11-26 … 2024-11-29 with many missing minutes, so data-driven ticks
// visibly differ from clock ticks.
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 2, from: '2024-11-26', to: '2024-11-29', missingMinuteRate: 0.05, missingDaySymbol: false });
});

test.after.always(async () => {
  await store?.dispose();
});

interface Recorded {
  times: number[];
  /** Virtual time at which each slice was processed. */
  at: number[];
  /** The scheduler flush each slice was processed in. */
  flush: number[];
}

async function clockDriven(dates: readonly string[], speed = 60) {
  const scheduler = virtualScheduler();
  const rec: Recorded = { times: [], at: [], flush: [] };
  const config = parseConfig(plainConfig(store, dates[0]!, dates.at(-1)!, { backtest: { start: dates[0]!, end: dates.at(-1)!, speed } }));
  const run = createBacktest(config, { scheduler, pipeline: () => onSlice((s) => (rec.times.push(s.time), rec.at.push(scheduler.now()), rec.flush.push(scheduler.flushes))) });
  const result = await settleVirtual(scheduler, run.result());
  return { result, rec, scheduler };
}

test('fixture: 2024-11-29 is an early close at 13:00 New York time and 2024-11-27 a full day', (t) => {
  const early = xnys.session(EARLY)!;
  const full = xnys.session(FULL)!;
  t.true(early.earlyClose);
  t.false(full.earlyClose);
  t.is(early.close - early.open, 210 * MINUTE);
  t.is(full.close - full.open, 390 * MINUTE);
});

test('createBacktest: at speed 60 a full XNYS session emits exactly 390 ticks in 390 virtual seconds, ending exactly at the close', async (t) => {
  const { result, rec } = await clockDriven([FULL]);
  const session = xnys.session(FULL)!;
  const day = result.days[0]!;
  t.is(day.ticks, 390);
  t.is(rec.times.length, 390);
  t.deepEqual(rec.times, Array.from({ length: 390 }, (_, k) => session.open + (k + 1) * MINUTE));
  t.is(rec.times.at(-1), session.close);
  // One simulated minute takes 60 s / 60 = 1 virtual second. Loading takes no virtual time,
  // so the clock starts at frame 0 and the close is reached at 23 400 s / 60 = 390 000 ms.
  t.deepEqual(rec.at, Array.from({ length: 390 }, (_, k) => (k + 1) * 1000));
  t.is(rec.at.at(-1), (23_400 / 60) * 1000);
  // No real time passes for virtual seconds: every tick ran inside one synchronous flush.
  t.is(new Set(rec.flush).size, 1, `ticks spread over flushes ${[...new Set(rec.flush)].join(', ')}`);
  // Clock ticks do not depend on the data: the missing minutes do not remove ticks.
  t.true(day.barsOut['1m']! < 2 * 390);
  result.dispose();
});

test('createBacktest: at speed 60 an early-close session emits 210 ticks in 210 virtual seconds, the last at the 13:00 close', async (t) => {
  const { result, rec } = await clockDriven([EARLY]);
  const session = xnys.session(EARLY)!;
  t.is(result.days[0]!.ticks, 210);
  t.is(rec.times.length, 210);
  t.is(rec.times.at(-1), session.close);
  t.is(rec.at[0], 1000);
  t.is(rec.at.at(-1), 210_000);
  t.true(rec.times.every((time) => time <= session.close));
  result.dispose();
});

test('createBacktest: a clock-driven run over several days paces each day from its own open', async (t) => {
  const { result, rec } = await clockDriven([FULL, EARLY], 120);
  t.deepEqual(result.days.map((d) => [d.date, d.ticks]), [[FULL, 390], [EARLY, 210]]);
  t.is(rec.times.length, 600);
  // At speed 120 a minute takes 500 virtual ms, also across the day boundary's first tick.
  const day2 = rec.at.slice(390);
  t.deepEqual(day2, Array.from({ length: 210 }, (_, k) => day2[0]! + k * 500));
  t.is(rec.times[389], xnys.session(FULL)!.close);
  t.is(rec.times.at(-1), xnys.session(EARLY)!.close);
  result.dispose();
});

test('createBacktest: pausing a clock-driven run holds the clock and does not catch the paused time up', async (t) => {
  const scheduler = virtualScheduler();
  const at: number[] = [];
  const config = parseConfig(plainConfig(store, EARLY, EARLY, { backtest: { start: EARLY, end: EARLY, speed: 60 } }));
  const run = createBacktest(config, {
    scheduler,
    pipeline: () =>
      onSlice((s) => {
        at.push(scheduler.now());
        if (s.index === 9) run.pause();
      }),
  });
  const done = run.result();
  // Run until the pause: 10 ticks, then no scheduled action is left. Flushed whenever the
  // clock schedules a tick, however long Phase 2 waits for the decode thread; a failed run
  // ends the wait with its error.
  await Promise.race([flushUntil(scheduler, () => at.length >= 10), done]);
  scheduler.flush();
  t.is(at.length, 10);
  t.true(run.paused);
  t.is(scheduler.actions.length, 0, 'a paused clock schedules nothing');
  // Let 50 virtual seconds pass while paused.
  const pausedAt = scheduler.now();
  scheduler.schedule(() => undefined, 50_000);
  scheduler.flush();
  t.is(at.length, 10, 'no slice while paused');
  t.is(scheduler.now(), pausedAt + 50_000);
  run.resume();
  const result = await settleVirtual(scheduler, done);
  t.is(result.days[0]!.ticks, 210);
  t.is(at.length, 210);
  // The next tick comes one tick interval after the resume, not all at once to catch up.
  t.is(at[10], pausedAt + 50_000 + 1000);
  t.deepEqual(at.slice(10), Array.from({ length: 200 }, (_, k) => at[10]! + k * 1000));
  result.dispose();
});

test('createBacktest: data-driven ticks are the distinct bar ends, the 5m and 15m window ends and the close', async (t) => {
  const config = parseConfig(plainConfig(store, FULL, FULL, { streams: ['1m', '5m', '15m'] }));
  const times: number[] = [];
  const result = await createBacktest(config, { pipeline: () => onSlice((s) => times.push(s.time)) }).result();
  const session = xnys.session(FULL)!;
  const data = result.sessionData!;
  const expected = new Set<number>([session.close]);
  for (const symbol of data.symbols()) {
    const base = data.series(symbol, '1m');
    for (let i = 0; i < base.length; i++) expected.add(base.end[i]!);
  }
  for (const width of [5 * MINUTE, 15 * MINUTE]) for (let end = session.open + width; end < session.close; end += width) expected.add(end);
  const sorted = [...expected].sort((a, b) => a - b);
  t.deepEqual(times, sorted);
  t.is(result.days[0]!.ticks, sorted.length);
  // With 5% of the minutes missing for each of 2 symbols, some minutes have no bar and no window end.
  t.true(sorted.length < 390, `${sorted.length} ticks`);
  t.is(times.at(-1), session.close);
  result.dispose();
});
