import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { concatMap, filter, map, mergeMap, tap } from 'rxjs';
import { LifecycleError } from '../../lib/errors.ts';
import type { SessionComponent } from '../../lib/session/create-backtest.ts';
import type { TimeSlice } from '../../lib/session/time-slice.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { DEMO_DAILY_LAYOUT } from '../../lib/store/demo-data.ts';
import { makeEngineStore, quietEngineLogs, standardConfig, type EngineStore } from '../helpers/engine-fixtures.ts';

// Issue 15, point 4: a stage that breaks the slice contract is named (position and name in
// the pipeline) with the tick, at the violation, and the run never hangs.

const DAY = '2024-01-03';
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 1, from: '2024-01-02', to: '2024-01-03', missingDaySymbol: false });
});

test.after.always(async () => {
  await store?.dispose();
});

/** A day with the standard stages and `stage` added after them, as a user's component. */
async function runWith(name: string, stage: SessionComponent['stage']): Promise<unknown> {
  // AVA's own timers keep the process from running dry, so the stall watchdog names the
  // stage: 300 ms of real time with no load pending (a bound on nothing but the wait).
  const run = backtest(standardConfig(store, DAY, DAY), { components: [{ name: 'counter', stage: () => tap(() => undefined) }, { name, stage }], stallTimeoutMs: 300 });
  try {
    const result = await run.result();
    result.dispose();
    return result;
  } catch (error) {
    return error;
  }
}

/** The 09:40 tick of the day, as messages print it. */
const at0940 = '2024-01-03T14:40:00Z';

test('a stage that drops a slice (filter) fails the day naming the stage, its position and the tick — it does not hang', async (t) => {
  const error = await runWith('drops-after-0940', () => filter((slice: TimeSlice) => slice.kind !== 'tick' || slice.time < Date.parse(at0940)));
  t.true(error instanceof LifecycleError, String(error));
  const message = (error as Error).message;
  t.regex(message, /^2024-01-03 /);
  // The standard pipeline's stages come first; the user's dropper is the last one.
  t.regex(message, /stage \d+ \(drops-after-0940\) took the slice of 2024-01-03T14:40:00Z and never passed it on/);
  t.regex(message, /filter/);
});

test('a stage that passes a copy of the slice on is named, with the slice it received', async (t) => {
  const error = await runWith('copies', () => map((slice: TimeSlice) => ({ ...slice })));
  t.true(error instanceof LifecycleError, String(error));
  t.regex((error as Error).message, /stage \d+ \(copies\) passed on another object than the slice of warmup 2024-01-03T14:30:00Z it received \(a copy/);
});

test('a stage that emits a slice twice is named at the second emission', async (t) => {
  const error = await runWith('twice', () => mergeMap((slice: TimeSlice) => (slice.kind === 'tick' && slice.time === Date.parse(at0940) ? [slice, slice] : [slice])));
  t.true(error instanceof LifecycleError, String(error));
  t.regex((error as Error).message, /stage \d+ \(twice\) passed on the slice of 2024-01-03T14:40:00Z a second time/);
});

test('an asynchronous stage that passes every slice on later is not a violation', async (t) => {
  let seen = 0;
  const result = await runWith('async', () =>
    concatMap(async (slice: TimeSlice) => {
      await new Promise((resolve) => setImmediate(resolve));
      seen++;
      return slice;
    }),
  );
  t.false(result instanceof Error, String(result));
  // Warm-up, pre-session and 390 ticks all went through the async stage.
  t.true(seen >= 392, String(seen));
});

test('in a plain process with the watchdog off, a dropped slice still ends the run, naming the stage, once the process runs dry', async (t) => {
  const script = fileURLToPath(new URL('fixtures/dropping-stage.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, store.root, DEMO_DAILY_LAYOUT, store.symbols[0]!]);
  t.regex(stdout, /^failed: 2024-01-03 phase 3 \(active\): stage \d+ \(drop-ticks\) took the slice of 2024-01-03T14:32:00Z and never passed it on/m);
});
