import test from 'ava';
import { map, takeWhile, type Subscription } from 'rxjs';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionConfig } from '../../lib/config/schema.ts';
import { LifecycleError } from '../../lib/errors.ts';
import { createBacktest, type SessionComponent, type SessionContext } from '../../lib/session/create-backtest.ts';
import type { Phase, RunEvent } from '../../lib/session/results.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { collectEvents, eventLabel, makeEngineStore, onSlice, plainConfig, quietEngineLogs, standardConfig, turn, virtualScheduler, type EngineStore } from '../helpers/engine-fixtures.ts';

// 2 symbols × 5 sessions, no missing day: history for 2024-01-05 … 2024-01-08 (3 days).
const DAYS = ['2024-01-04', '2024-01-05', '2024-01-08'];
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 2, from: '2024-01-02', to: '2024-01-08', missingDaySymbol: false });
});

test.after.always(async () => {
  await store?.dispose();
});

function config(start = DAYS[0]!, end = DAYS.at(-1)!): SessionConfig {
  return parseConfig(plainConfig(store, start, end));
}

/** A component that writes its lifecycle into `log` and keeps every day's context. */
function recorder(name: string, log: string[], contexts: SessionContext[] = []): SessionComponent {
  return {
    name,
    setup(ctx) {
      contexts.push(ctx);
      log.push(`${name}:setup:${ctx.session.date}`);
      return () => log.push(`${name}:teardown:${ctx.session.date}`);
    },
    onSessionEnd(ctx) {
      log.push(`${name}:end:${ctx.session.date}`);
    },
  };
}

// ── 2. SessionScope ──────────────────────────────────────────────────────────────────────

test('createBacktest: tears the previous day down at the start of the next day, not at its close', async (t) => {
  const log: string[] = [];
  const contexts: SessionContext[] = [];
  const clearedAtDayEvent: boolean[] = [];
  const run = createBacktest(config(), { components: [recorder('c', log, contexts)] });
  run.events$.subscribe((e) => {
    log.push(eventLabel(e));
    if (e.type === 'day') clearedAtDayEvent.push(contexts.at(-1)!.data.isCleared);
  });
  const result = await run.result();
  const [d1, d2, d3] = DAYS;
  t.deepEqual(log, [
    'run-start',
    `phase:teardown:${d1}`,
    `c:setup:${d1}`,
    `phase:init:${d1}`,
    `phase:active:${d1}`,
    `c:end:${d1}`,
    `phase:end:${d1}`,
    `day:${d1}`,
    `c:teardown:${d1}`,
    `phase:teardown:${d2}`,
    `c:setup:${d2}`,
    `phase:init:${d2}`,
    `phase:active:${d2}`,
    `c:end:${d2}`,
    `phase:end:${d2}`,
    `day:${d2}`,
    `c:teardown:${d2}`,
    `phase:teardown:${d3}`,
    `c:setup:${d3}`,
    `phase:init:${d3}`,
    `phase:active:${d3}`,
    `c:end:${d3}`,
    `phase:end:${d3}`,
    `day:${d3}`,
    'run-end',
  ]);
  // A finished day stays inspectable until the next day starts …
  t.deepEqual(clearedAtDayEvent, [false, false, false]);
  // … and is gone once it has: SessionData of days 1 and 2 were cleared in Phase 1.
  t.deepEqual(contexts.map((c) => c.data.isCleared), [true, true, false]);
  t.deepEqual(contexts.map((c) => c.scope.closed), [true, true, false]);
  result.dispose();
});

test('createBacktest: keeps the last day intact after result() and clears it on dispose(), idempotently', async (t) => {
  const log: string[] = [];
  const contexts: SessionContext[] = [];
  const result = await createBacktest(config(), { components: [recorder('c', log, contexts)] }).result();
  const data = result.sessionData!;
  t.is(data, contexts.at(-1)!.data);
  t.is(data.session.date, DAYS.at(-1)!);
  t.false(data.isCleared);
  t.deepEqual(data.symbols(), [...store.symbols]);
  const lengths = data.symbols().map((s) => data.series(s, '1m').length);
  t.deepEqual(lengths, result.days.at(-1)!.symbols.map((s) => data.series(s, '1m').length));
  t.true(lengths.every((n) => n > 380 && n <= 390), `lengths ${lengths.join(', ')}`);
  t.is(result.days.at(-1)!.barsOut['1m'], lengths.reduce((a, b) => a + b, 0));
  t.false(log.includes(`c:teardown:${DAYS.at(-1)!}`), 'the last scope is still open');

  result.dispose();
  t.true(data.isCleared);
  t.deepEqual(data.symbols(), []);
  t.is(log.filter((l) => l === `c:teardown:${DAYS.at(-1)!}`).length, 1);
  t.notThrows(() => result.dispose());
  t.is(log.filter((l) => l === `c:teardown:${DAYS.at(-1)!}`).length, 1, 'disposing twice tears down once');
});

// ── 3. Four phases ───────────────────────────────────────────────────────────────────────

test('createBacktest: runs teardown → init → active → end each day with timings, then emits the day', async (t) => {
  const { events, done } = collectEvents(backtest(standardConfig(store, DAYS[0]!, DAYS.at(-1)!)).events$);
  await done;
  const phases: Phase[] = ['teardown', 'init', 'active', 'end'];
  const perDay = events.filter((e) => e.type === 'phase' || e.type === 'day');
  t.is(perDay.length, DAYS.length * 5);
  for (const [i, date] of DAYS.entries()) {
    const chunk = perDay.slice(i * 5, i * 5 + 5);
    t.deepEqual(chunk.map(eventLabel), [...phases.map((p) => `phase:${p}:${date}`), `day:${date}`]);
    const day = chunk[4] as Extract<RunEvent, { type: 'day' }>;
    t.is(day.index, i);
    t.is(day.total, DAYS.length);
    for (const e of chunk.slice(0, 4) as Array<Extract<RunEvent, { type: 'phase' }>>) {
      t.true(Number.isFinite(e.ms) && e.ms >= 0, `${e.phase} ${e.ms}`);
      t.is(day.result.phaseMs[e.phase], e.ms, 'DayResult.phaseMs records the same timings');
    }
  }
  t.is(events[0]!.type, 'run-start');
  t.is(events.at(-1)!.type, 'run-end');
});

// ── 4. Errors carry phase and date, and tear the day down ────────────────────────────────

test('createBacktest: a component whose setup throws fails the run with a LifecycleError in phase init and tears the day down', async (t) => {
  const log: string[] = [];
  const contexts: SessionContext[] = [];
  const failing: SessionComponent = {
    name: 'broken',
    setup(ctx) {
      if (ctx.dayIndex === 1) throw new Error('cannot open the order book');
    },
  };
  const run = createBacktest(config(), { components: [recorder('c', log, contexts), failing] });
  const days: string[] = [];
  run.events$.subscribe({ next: (e) => e.type === 'day' && days.push(e.result.date), error: () => undefined });
  const error = await t.throwsAsync(run.result(), { instanceOf: LifecycleError });
  t.is(error!.phase, 'init');
  t.is(error!.date, DAYS[1]);
  t.true(error!.message.includes(DAYS[1]!), error!.message);
  t.true(error!.message.includes('init'), error!.message);
  t.regex(error!.message, /cannot open the order book/);
  t.is((error!.cause as Error).message, 'cannot open the order book');
  t.deepEqual(days, [DAYS[0]]);
  t.true(log.includes(`c:teardown:${DAYS[1]}`), 'the failing day’s scope was unsubscribed');
  t.true(contexts[1]!.data.isCleared);
  t.false(log.includes(`c:end:${DAYS[1]}`));
});

test('createBacktest: a stage that throws on the Nth slice fails the run with a LifecycleError in phase active and tears the day down', async (t) => {
  const log: string[] = [];
  const contexts: SessionContext[] = [];
  const seen: number[] = [];
  const boom: SlicePipeline = (source) =>
    source.pipe(
      map((slice) => {
        if (slice.session.date === DAYS[1] && slice.kind === 'tick') seen.push(slice.index);
        if (slice.session.date === DAYS[1] && slice.kind === 'tick' && slice.index === 7) throw new Error('stage exploded');
        return slice;
      }),
    );
  const run = createBacktest(config(), { components: [recorder('c', log, contexts)], pipeline: () => boom });
  const error = await t.throwsAsync(run.result(), { instanceOf: LifecycleError });
  t.is(error!.phase, 'active');
  t.is(error!.date, DAYS[1]);
  t.true(error!.message.includes(DAYS[1]!) && error!.message.includes('active'), error!.message);
  t.regex(error!.message, /stage exploded/);
  t.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7], 'nothing after the failing slice');
  t.true(log.includes(`c:teardown:${DAYS[1]}`));
  t.true(contexts[1]!.data.isCleared);
  t.false(log.includes(`c:end:${DAYS[1]}`));
});

// ── 5. Unsubscribing mid-day ─────────────────────────────────────────────────────────────

test('createBacktest: unsubscribing from inside a stage mid-day tears the day down and processes no further slice', async (t) => {
  const log: string[] = [];
  const contexts: SessionContext[] = [];
  const before: number[] = [];
  const after: number[] = [];
  let stop = (): void => undefined;
  const pipeline = (): SlicePipeline => (source) =>
    source.pipe(
      onSlice((slice) => {
        before.push(slice.index);
        if (slice.index === 20) stop();
      }),
      onSlice((slice) => after.push(slice.index)),
    );
  const run = createBacktest(config(DAYS[0]!, DAYS[0]!), { components: [recorder('c', log, contexts)], pipeline });
  const events: RunEvent[] = [];
  let sub: Subscription | undefined;
  await new Promise<void>((resolve, reject) => {
    stop = () => {
      sub?.unsubscribe();
      resolve();
    };
    sub = run.events$.subscribe({ next: (e) => events.push(e), error: reject, complete: () => reject(new Error('the run ended before slice 20')) });
  });
  t.true(sub!.closed);
  for (let i = 0; i < 20; i++) await turn();
  t.deepEqual(before, Array.from({ length: 21 }, (_, i) => i));
  t.deepEqual(after, Array.from({ length: 20 }, (_, i) => i), 'the slice being processed does not reach later stages');
  t.true(log.includes(`c:teardown:${DAYS[0]}`));
  t.true(contexts[0]!.data.isCleared);
  t.false(events.some((e) => e.type === 'day'));
});

test('createBacktest: a takeWhile that stops at a phase event tears the day down before any slice is processed (data-driven)', async (t) => {
  for (const stopAt of ['init', 'teardown'] as const) {
    const log: string[] = [];
    const contexts: SessionContext[] = [];
    let slices = 0;
    const run = createBacktest(config(DAYS[0]!, DAYS[0]!), { components: [recorder('c', log, contexts)], pipeline: () => onSlice(() => slices++) });
    const events: RunEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      run.events$.pipe(takeWhile((e) => !(e.type === 'phase' && e.phase === stopAt), true)).subscribe({ next: (e) => events.push(e), error: reject, complete: resolve });
    });
    // Give a cancelled load time to finish (it must notice the cancellation).
    for (let i = 0; i < 50; i++) await turn();
    await new Promise((r) => setTimeout(r, 100));
    t.is(slices, 0, `stopped at ${stopAt}: no slice after unsubscribe`);
    t.deepEqual(events.map(eventLabel), stopAt === 'init' ? ['run-start', `phase:teardown:${DAYS[0]}`, `phase:init:${DAYS[0]}`] : ['run-start', `phase:teardown:${DAYS[0]}`]);
    if (stopAt === 'init') {
      t.true(log.includes(`c:teardown:${DAYS[0]}`));
      t.true(contexts[0]!.data.isCleared);
    } else {
      t.deepEqual(log, [], 'no component was set up for a day that was cancelled while loading');
    }
  }
});

test('createBacktest: unsubscribing a clock-driven day in virtual time leaves no timer and processes nothing more', async (t) => {
  const scheduler = virtualScheduler();
  const log: string[] = [];
  const contexts: SessionContext[] = [];
  const times: number[] = [];
  const run = createBacktest(config(DAYS[0]!, DAYS[0]!), { components: [recorder('c', log, contexts)], scheduler, speed: 60, pipeline: () => onSlice((s) => times.push(s.time)) });
  let activeStarted = false;
  let failed = (_error: unknown): void => undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const sub = run.events$.subscribe({
    next: (e) => {
      if (e.type === 'phase' && e.phase === 'init') activeStarted = true;
    },
    error: (error: unknown) => failed(error),
  });
  // The first tick's timer is the first action: wait for it rather than flush (the test
  // flushes below, a bounded number of frames); a failed run ends the wait with its error.
  while (!(activeStarted && scheduler.actions.length > 0)) await Promise.race([scheduler.scheduled(), failure]);
  // Run 100 virtual seconds at speed 60: 100 one-minute ticks.
  scheduler.maxFrames = 100_000;
  scheduler.flush();
  t.is(times.length, 100);
  sub.unsubscribe();
  t.is(scheduler.actions.length, 0, 'no scheduled tick survives the unsubscribe');
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  scheduler.flush();
  for (let i = 0; i < 10; i++) await turn();
  t.is(times.length, 100, 'flushing after unsubscribe processes nothing');
  t.true(log.includes(`c:teardown:${DAYS[0]}`));
  t.true(contexts[0]!.data.isCleared);
});

test('createBacktest: unsubscribing on the day event of a middle day tears that day down and starts no other', async (t) => {
  const log: string[] = [];
  const contexts: SessionContext[] = [];
  const run = createBacktest(config(), { components: [recorder('c', log, contexts)] });
  await new Promise<void>((resolve, reject) => {
    run.events$.pipe(takeWhile((e) => !(e.type === 'day' && e.index === 0))).subscribe({ error: reject, complete: resolve });
  });
  await new Promise((r) => setTimeout(r, 30));
  t.deepEqual(log, [`c:setup:${DAYS[0]}`, `c:end:${DAYS[0]}`, `c:teardown:${DAYS[0]}`]);
  t.is(contexts.length, 1);
  t.true(contexts[0]!.data.isCleared);
});
