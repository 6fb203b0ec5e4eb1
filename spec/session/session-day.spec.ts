/**
 * The day as an object and the component contract: SessionDay's phase table, what each phase
 * allows, teardown order, reports and carry (the only cross-day state), and the data source a
 * run owns from start to dispose.
 */
import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun, type RunPlan } from '../../lib/config/plan-run.ts';
import { ConfigError, LifecycleError } from '../../lib/errors.ts';
import type { Json, SessionComponent } from '../../lib/session/component.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import { SessionBarsCache } from '../../lib/session/load-session-data.ts';
import { SessionDay } from '../../lib/session/session-day.ts';
import { runningDecodeThreads } from '../../lib/store/threaded-bar-loader.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { prepareRun } from '../../pipelines/prepare-run.ts';
import { makeEngineStore, plainConfig, quietEngineLogs, type EngineStore } from '../helpers/engine-fixtures.ts';

const DAYS = ['2024-05-07', '2024-05-08', '2024-05-09'];
let store: EngineStore;
let plan: RunPlan;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: ['AAA', 'BBB', 'CCC'], from: '2024-05-01', to: DAYS.at(-1)!, missingDaySymbol: false });
  plan = await planRun(parseConfig({ ...plainConfig(store, DAYS[0]!, DAYS.at(-1)!), symbols: ['AAA', 'BBB'], store: { root: store.root, layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet', timestamp: { column: 'ts', label: 'start' }, decodeThreads: 0 } }));
});
test.after.always(async () => {
  await store?.dispose();
});

function newDay(index = 0): SessionDay {
  return new SessionDay({ plan, session: plan.sessions[index]!, index, isLastSession: false, source: plan.reader, cache: new SessionBarsCache(), mode: 'data' });
}

test('SessionDay: moves new → init → active → end → torn-down, and refuses any other move with a LifecycleError naming both phases', async (t) => {
  const day = newDay();
  t.is(day.phase, 'new');
  t.throws(() => day.end(), { instanceOf: LifecycleError, message: /phase new cannot move to phase end \(allowed: init, torn-down\)/ });
  day.begin();
  t.is(day.phase, 'init');
  await day.load(['AAA', 'BBB']);
  t.throws(() => day.end(), { instanceOf: LifecycleError, message: /phase init cannot move to phase end/ });
  day.activate([]);
  t.is(day.phase, 'active');
  t.throws(() => day.begin(), { instanceOf: LifecycleError, message: /phase active cannot move to phase init/ });
  day.end();
  t.is(day.phase, 'end');
  day.close();
  t.is(day.phase, 'torn-down');
  t.notThrows(() => day.close(), 'closing twice is a no-op');
});

test('SessionDay: each operation is allowed only in its phases; a torn-down day refuses everything with its phase', async (t) => {
  const day = newDay();
  await t.throwsAsync(day.load(['AAA']), { instanceOf: LifecycleError, message: /load\(\) in phase new \(allowed in init\)/ });
  day.begin();
  t.throws(() => day.drain(plan.sessions[0]!.open + 60_000), { instanceOf: LifecycleError, message: /drain\(\) in phase init \(allowed in active\)/ });
  await day.load(['AAA']);
  day.activate([]);
  await t.throwsAsync(day.load(['BBB']), { instanceOf: LifecycleError, message: /load\(\) in phase active/ });
  const closed = day.drain(plan.sessions[0]!.open + 60_000);
  t.true(closed.series.length <= 1);
  day.close();
  for (const op of [() => day.drain(plan.sessions[0]!.close), () => day.dropSymbol('AAA'), () => day.scanView(['AAA']), () => day.openSlice('pre')]) {
    const error = t.throws(op, { instanceOf: LifecycleError });
    t.is(error!.phase, 'torn-down');
    t.is(error!.date, plan.sessions[0]!.date);
  }
  await t.throwsAsync(day.addSymbol('BBB'), { instanceOf: LifecycleError, message: /torn-down/ });
  t.throws(() => day.data.series('AAA', '1m'), { instanceOf: LifecycleError, message: /torn down/ });
});

test('SessionDay: load adds to the day; addSymbol is a no-op for a present symbol and records a symbol the store lacks', async (t) => {
  const day = newDay();
  day.begin();
  await day.load(['AAA']);
  const added = await day.addSymbol('BBB', { by: 'spec', score: 3, reason: 'why not' });
  t.like(added, { symbol: 'BBB', status: 'added', by: 'spec', score: 3, reason: 'why not', time: plan.sessions[0]!.open });
  t.deepEqual(day.data.symbols(), ['AAA', 'BBB'], 'added to the same SessionData, not a new one');
  t.is((await day.addSymbol('AAA')).status, 'present');
  const missing = await day.addSymbol('NOPE');
  t.is(missing.status, 'unavailable');
  t.truthy(missing.detail);
  t.deepEqual(day.data.symbols(), ['AAA', 'BBB']);
  t.is(day.additions.length, 3);
  t.like(day.dropSymbol('AAA', { by: 'spec' }), { symbol: 'AAA', status: 'dropped' });
  t.like(day.dropSymbol('AAA'), { status: 'absent' });
  t.false(day.isActive('AAA'));
  t.deepEqual(day.activeSymbols(), ['BBB']);
  t.is((await day.addSymbol('AAA')).status, 'present');
  t.true(day.isActive('AAA'), 'adding a dropped symbol makes it active again');
  day.close();
});

test('SessionDay: teardowns run in reverse order of adding, before SessionData is cleared', async (t) => {
  const day = newDay();
  day.begin();
  await day.load(['AAA']);
  const order: string[] = [];
  day.addTeardown(() => order.push(`first:${day.data.isCleared}`));
  day.addTeardown(() => order.push(`second:${day.data.isCleared}`));
  day.close();
  t.deepEqual(order, ['second:false', 'first:false']);
  t.true(day.data.isCleared);
});

/** A component that counts ticks, reports them, and carries a running total. */
function counter(log: string[] = []): SessionComponent {
  const ticks = new WeakMap<object, number>();
  return {
    name: 'counter',
    setup(ctx) {
      ticks.set(ctx, 0);
      log.push(`setup:${ctx.session.date}:${JSON.stringify(ctx.carried ?? null)}`);
      return () => log.push(`teardown:counter:${ctx.session.date}`);
    },
    stage: (ctx) => (source) => {
      source.subscribe((s) => s.kind === 'tick' && ticks.set(ctx, (ticks.get(ctx) ?? 0) + 1));
      return source;
    },
    report: (ctx) => ({ ticks: ticks.get(ctx) ?? 0 }),
    carry: (ctx) => ({ total: ((ctx.carried as { total?: number } | undefined)?.total ?? 0) + (ticks.get(ctx) ?? 0), last: ctx.session.date }),
  };
}

test('components: reports land in the day result under the name, carry reaches the next setup, and a run resumes from a recorded carry with identical results', async (t) => {
  const log: string[] = [];
  const other: SessionComponent = { name: 'other', setup: (ctx) => () => log.push(`teardown:other:${ctx.session.date}`) };
  const config = parseConfig({ ...plainConfig(store, DAYS[0]!, DAYS.at(-1)!), symbols: ['AAA'] });
  const full = await createBacktest(config, { components: [counter(log), other] }).result();
  t.teardown(() => full.dispose());
  const ticks = full.days.map((d) => d.ticks);
  t.deepEqual(full.days.map((d) => d.components.counter), ticks.map((n) => ({ ticks: n })));
  t.deepEqual(full.days[0]!.carry, { counter: { total: ticks[0]!, last: DAYS[0]! } });
  t.deepEqual(full.carry, { counter: { total: ticks[0]! + ticks[1]! + ticks[2]!, last: DAYS[2]! } });
  t.true(log.includes(`setup:${DAYS[1]}:${JSON.stringify({ total: ticks[0]!, last: DAYS[0]! })}`));
  // Teardown in reverse order of setup: 'other' (set up second) is torn down first.
  const day1 = log.filter((l) => l.startsWith('teardown') && l.endsWith(DAYS[0]!));
  t.deepEqual(day1, [`teardown:other:${DAYS[0]!}`, `teardown:counter:${DAYS[0]!}`]);

  // Resume: day 3 alone, from the carry recorded at the end of day 2.
  const resumed = await createBacktest(config, { components: [counter()], dates: [DAYS[2]!], carry: full.days[1]!.carry }).result();
  t.teardown(() => resumed.dispose());
  t.deepEqual(resumed.days[0]!.components, full.days[2]!.components);
  t.deepEqual(resumed.carry, full.carry);
});

test('components: a report or carry that is not plain JSON fails the day in phase end, naming the component', async (t) => {
  const config = parseConfig({ ...plainConfig(store, DAYS[0]!, DAYS[0]!), symbols: ['AAA'] });
  const bad = (value: unknown): SessionComponent => ({ name: 'bad', carry: () => value as Json });
  for (const value of [{ x: Number.NaN }, { when: new Date(0) }, { f: () => 1 }]) {
    const error = await t.throwsAsync(createBacktest(config, { components: [bad(value)] }).result(), { instanceOf: LifecycleError });
    t.is(error!.phase, 'end');
    t.regex(error!.message, /bad\.carry\(\) must return plain JSON/);
  }
  await t.throwsAsync(createBacktest(config, { components: [{ name: 'twice' }, { name: 'twice' }] }).result(), { instanceOf: ConfigError, message: /components\[1\]\.name/ });
});

// Serial: decode threads are process-wide, so no other test of this file may hold some meanwhile.
test.serial('data source: planning leaves no decode threads behind, and a run closes its own at dispose and on failure', async (t) => {
  const input = { ...plainConfig(store, DAYS[0]!, DAYS[1]!), symbols: ['AAA', 'BBB'], store: { root: store.root, layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet', timestamp: { column: 'ts' as const, label: 'start' as const }, decodeThreads: 2 } };
  await planRun(parseConfig(input));
  t.is(runningDecodeThreads(), 0, 'planRun alone starts no threads');
  const { source } = await prepareRun(input).plan();
  t.true(runningDecodeThreads() > 0, 'validation for a run opens the threads it will decode on');
  source.close?.();
  t.is(runningDecodeThreads(), 0);
  const result = await backtest(input).result();
  t.true(runningDecodeThreads() > 0, 'the finished run keeps its source until dispose');
  result.dispose();
  t.is(runningDecodeThreads(), 0, 'dispose closes the source the run opened');
  const failing: SessionComponent = {
    name: 'boom',
    setup: () => {
      throw new Error('boom');
    },
  };
  await t.throwsAsync(backtest(input, { components: [failing] }).result(), { instanceOf: LifecycleError });
  t.is(runningDecodeThreads(), 0, 'a failed run closes its source');
});

test('components: a freshReport component\'s report is kept as it was returned, made what JSON would make of it in place; it is still refused when it is not JSON', async (t) => {
  const config = parseConfig({ ...plainConfig(store, DAYS[0]!, DAYS[0]!), symbols: ['AAA'] });
  const made: Array<Record<string, unknown>> = [];
  const fresh: SessionComponent = {
    name: 'fresh',
    freshReport: true,
    report: () => {
      const report = { kept: 1, gone: undefined, list: [1, undefined, -0], nested: { z: -0 } };
      made.push(report);
      return report as unknown as Json;
    },
  };
  const result = await createBacktest(config, { components: [fresh] }).result();
  t.teardown(() => result.dispose());
  const kept = result.days[0]!.components.fresh as Record<string, unknown>;
  t.is(kept, made[0]!, 'the same object, not a copy');
  t.deepEqual(kept, { kept: 1, list: [1, null, 0], nested: { z: 0 } });
  t.false('gone' in kept, 'a key holding undefined is dropped');
  t.true(Object.is((kept.nested as { z: number }).z, 0), '−0 written as +0');
  const notJson: SessionComponent = { name: 'nan', freshReport: true, report: () => ({ x: Number.NaN }) };
  const error = await t.throwsAsync(createBacktest(config, { components: [notJson] }).result(), { instanceOf: LifecycleError });
  t.regex(error!.message, /nan\.report\(\) must return plain JSON: NaN is not JSON/);
});

test('components: a component needing an interval that is not a stream is refused before the first day', async (t) => {
  const config = parseConfig({ ...plainConfig(store, DAYS[0]!, DAYS[0]!), symbols: ['AAA'] });
  const started: string[] = [];
  const wants7m: SessionComponent = { name: 'wants-7m', needs: { intervals: ['7m'] }, setup: (ctx) => void started.push(ctx.session.date) };
  const error = await t.throwsAsync(createBacktest(config, { components: [wants7m] }).result(), { instanceOf: ConfigError });
  t.is(error!.problems[0]!.path, 'components[0](wants-7m).needs.intervals');
  t.regex(error!.message, /got "7m"/);
  t.deepEqual(started, []);
});

test('components: report and carry are copied as JSON would copy them (undefined keys dropped, undefined list items null, −0 as 0), and a cycle is refused', async (t) => {
  const config = parseConfig({ ...plainConfig(store, DAYS[0]!, DAYS[0]!), symbols: ['AAA'] });
  const live = { kept: 1, gone: undefined, list: [1, undefined, -0], nested: { z: -0 } };
  const result = await createBacktest(config, { components: [{ name: 'c', report: () => live as unknown as Json, carry: () => live as unknown as Json }] }).result();
  t.teardown(() => result.dispose());
  const expected = JSON.parse(JSON.stringify(live)) as Json;
  t.deepEqual(result.days[0]!.components.c, expected);
  t.deepEqual(result.carry.c, expected);
  t.true(Object.is((result.carry.c as { nested: { z: number } }).nested.z, 0), '+0, as read back from JSON');
  live.kept = 2;
  t.is((result.days[0]!.components.c as { kept: number }).kept, 1, 'a copy: later changes do not reach the result');
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const error = await t.throwsAsync(createBacktest(config, { components: [{ name: 'loop', report: () => cyclic as unknown as Json }] }).result(), { instanceOf: LifecycleError });
  t.regex(error!.message, /loop\.report\(\) must return plain JSON: a cycle/);
});
