import test from 'ava';
import { concatMap, map, of, tap, timer } from 'rxjs';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionContext } from '../../lib/session/create-backtest.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { componentsFromConfig } from '../../pipelines/components-from-config.ts';
import { makeEngineStore, onSlice, quietEngineLogs, standardConfig, turn, type EngineStore } from '../helpers/engine-fixtures.ts';

// 2 symbols, one backtest day (2024-01-05) after 3 sessions of history, real async scheduler.
const DAY = '2024-01-05';
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 2, from: '2024-01-02', to: DAY, missingDaySymbol: false });
});

test.after.always(async () => {
  await store?.dispose();
});

const config = () => parseConfig(standardConfig(store, DAY, DAY));

/** `SYMBOL/interval` → number of bars, for every series of the day. */
function lengths(slice: TimeSlice): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of slice.data.entries()) for (const [interval, s] of entry.bars) out.set(`${entry.symbol}/${interval}`, s.length);
  return out;
}

test('backtest: a slow async stage holds the clock: while it waits no later bar reaches SessionData', async (t) => {
  const SLOW = 40;
  const problems: string[] = [];
  const times: number[] = [];
  let waited = 0;
  let entered = 0;
  let left = 0;
  // After the standard pipeline: every series of tick T is complete when the stage starts waiting.
  const slow = (_ctx: SessionContext): SlicePipeline => (source) =>
    source.pipe(
      // A clock that did not wait would hand the next slice in while one is still waiting
      // (concatMap would buffer it): count slices in and out of the slow part.
      tap((slice) => {
        if (slice.kind !== 'tick') return;
        if (entered !== left) problems.push(`#${slice.index} arrived while ${entered - left} slice(s) were still in the stage`);
        entered++;
      }),
      concatMap((slice) => {
        if (slice.kind !== 'tick' || slice.index >= SLOW) return of(slice);
        const entering = lengths(slice);
        return timer(3).pipe(
          map(() => {
            waited++;
            const now = lengths(slice);
            for (const [key, n] of entering) if (now.get(key) !== n) problems.push(`#${slice.index} ${key}: ${n} → ${now.get(key)} bars while waiting`);
            for (const entry of slice.data.entries()) {
              for (const [interval, s] of entry.bars) {
                if (s.length > 0 && s.end[s.length - 1]! > slice.time) problems.push(`#${slice.index} ${entry.symbol}/${interval} has a bar ending after ${new Date(slice.time).toISOString()}`);
              }
            }
            return slice;
          }),
        );
      }),
      onSlice((slice) => {
        left++;
        times.push(slice.time);
      }),
    );
  const result = await backtest(config(), { extend: slow }).result();
  t.is(waited, SLOW);
  t.deepEqual(problems, []);
  t.is(times.length, result.days[0]!.ticks);
  t.true(times.every((time, i) => i === 0 || time > times[i - 1]!), 'ticks stay strictly increasing');
  t.is(times.at(-1), result.days[0]!.close);
  t.is(entered, left, 'every slice that entered the stage left it');
  // Nothing was lost by waiting: all bars arrived by the close.
  t.is(result.days[0]!.barsOut['1m'], result.days[0]!.barsIn);
  result.dispose();
});

test('backtest: a slow stage before the standard pipeline sees only bars drained up to its tick', async (t) => {
  const problems: string[] = [];
  const firstSlow = (ctx: SessionContext): SlicePipeline => {
    const base = ctx.data.baseInterval;
    return (source) =>
      source.pipe(
        concatMap((slice) =>
          slice.index % 10 !== 0
            ? of(slice)
            : timer(2).pipe(
                map(() => {
                  for (const symbol of slice.data.symbols()) {
                    const s = slice.data.series(symbol, base);
                    if (s.length > 0 && s.end[s.length - 1]! > slice.time) problems.push(`#${slice.index} ${symbol} base bar after the tick`);
                  }
                  return slice;
                }),
              ),
        ),
      );
  };
  const parsed = config();
  // The slow stage first, then the config's standard components.
  const result = await backtest(parsed, { replace: [{ name: 'first-slow', stage: firstSlow }, ...componentsFromConfig(parsed)] }).result();
  t.deepEqual(problems, []);
  // The delayed stage did not change the outcome: same signals and bars as an undelayed run.
  const plain = await backtest(parsed).result();
  t.deepEqual(result.days[0]!.signals, plain.days[0]!.signals);
  t.deepEqual(result.days[0]!.barsOut, plain.days[0]!.barsOut);
  result.dispose();
  plain.dispose();
});

test('backtest: pause() holds the run between ticks until resume(), then it completes with every tick', async (t) => {
  const PAUSE_AT = 10;
  let processed = 0;
  let pausedAt = (): void => undefined;
  const paused = new Promise<void>((resolve) => (pausedAt = resolve));
  const run = backtest(config(), {
    extend: () =>
      onSlice((slice) => {
        processed++;
        if (slice.index === PAUSE_AT) {
          run.pause();
          pausedAt();
        }
      }),
  });
  const done = run.result();
  // Resumes after the tick that paused has run through to the clock (a microtask later); a
  // run that fails or ends without pausing ends the wait too (and fails below).
  await Promise.race([paused, done]);
  t.true(run.paused);
  t.is(processed, PAUSE_AT + 1, 'the slice in flight finishes, the next one waits');
  // A data-driven clock has no timer: only resume() could wake it, so if the pause did not
  // hold, the next ticks would run within these event-loop turns.
  for (let i = 0; i < 20; i++) await turn();
  t.is(processed, PAUSE_AT + 1, 'nothing is processed while paused');
  run.resume();
  t.false(run.paused);
  const result = await done;
  t.is(processed, result.days[0]!.ticks);
  t.true(result.days[0]!.ticks > 300);
  result.dispose();
});
