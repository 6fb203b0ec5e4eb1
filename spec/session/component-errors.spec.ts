import test from 'ava';
import { LifecycleError } from '../../lib/errors.ts';
import type { SessionComponent } from '../../lib/session/create-backtest.ts';
import { indicator } from '../../operators/indicators/indicator.ts';
import { scanner } from '../../operators/scanners/scanner.ts';
import { broker } from '../../operators/execution/broker.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { makeEngineStore, plainConfig, quietEngineLogs, type EngineStore } from '../helpers/engine-fixtures.ts';

// Issue 15, point 5: a throwing strategy, scanner or indicator is a LifecycleError naming it,
// the phase, the date and (when it was working on one) the symbol; the finished days stay.

const DAYS = ['2024-01-03', '2024-01-04'];
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 2, from: '2024-01-02', to: '2024-01-04', missingDaySymbol: false });
});

test.after.always(async () => {
  await store?.dispose();
});

/** Run both days with `components`; the error it failed with, and the days that finished before it. */
async function failing(components: SessionComponent[], streams = ['1m']): Promise<{ error: LifecycleError; finished: string[] }> {
  const finished: string[] = [];
  const run = backtest(plainConfig(store, DAYS[0]!, DAYS[1]!, { streams }), { components });
  const error = await new Promise<unknown>((resolve) => {
    run.events$.subscribe({ next: (e) => e.type === 'day' && finished.push(e.result.date), error: resolve, complete: () => resolve(undefined) });
  });
  if (!(error instanceof LifecycleError)) throw new Error(`expected a LifecycleError, got ${String(error)}`);
  return { error, finished };
}

/** 10:00 New York on the second day. */
const TEN = Date.parse(`${DAYS[1]}T15:00:00Z`);

test('a strategy whose onBar throws is named with the phase, the date, the tick and the symbol; the first day finished', async (t) => {
  const symbol = store.symbols[1]!;
  const boom = defineStrategy({
    name: 'fragile',
    onBar(ctx, bar) {
      if (bar.symbol === symbol && bar.end === TEN) throw new Error('division by zero in my signal');
    },
  });
  const { error, finished } = await failing([broker(), boom.create()]);
  t.deepEqual(finished, [DAYS[0]]);
  t.like(error, { phase: 'active', date: DAYS[1], symbol });
  // defineStrategy's stage is sessionflow's own (not boundary-checked): the strategy names itself, the run adds phase and date.
  t.regex(error.message, new RegExp(`^${DAYS[1]} phase 3 \\(active\\) ${symbol}: fragile\\.onBar at ${DAYS[1]}T15:00:00\\.000Z for ${symbol}: division by zero in my signal$`));
  t.true(error.cause instanceof Error);
});

test('an indicator whose update throws is named with the column, the date and the symbol', async (t) => {
  let updates = 0;
  const fragile = {
    warmup: 1,
    ready: true,
    update(value: number) {
      // Fails on the second day, after the history warm-up and the whole first day.
      if (++updates === 150) throw new RangeError(`cannot take the log of ${-value}`);
      return value;
    },
    reset() {},
  };
  const stage = indicator(() => fragile as never, { interval: '1m', as: 'fragile_log' });
  const { error, finished } = await failing([{ name: 'indicators', stage: () => stage }]);
  t.is(finished.length, 0);
  t.like(error, { phase: 'active', date: DAYS[0] });
  // The symbol whose bar it was updating when it threw.
  const symbol = error.symbol!;
  t.true(store.symbols.includes(symbol), symbol);
  t.regex(error.message, new RegExp(`stage \\d+ \\(indicators\\) failed at ${DAYS[0]}T\\d\\d:\\d\\d:00Z: indicator fragile_log for ${symbol}: cannot take the log of`));
});

test('a scanner whose scan throws is named with the phase and the date', async (t) => {
  const failingScan = scanner({
    name: 'gappers',
    schedule: ['pre'],
    universe: [...store.symbols],
    scanner: {
      scan: (view) => {
        if (view.asOf >= Date.parse(`${DAYS[1]}T00:00:00Z`)) throw new Error('vendor feed missing');
        return {};
      },
    },
  });
  const { error, finished } = await failing([failingScan]);
  t.deepEqual(finished, [DAYS[0]]);
  t.like(error, { phase: 'init', date: DAYS[1] });
  t.is(error.message, `${DAYS[1]} phase 2 (init): scanner gappers: vendor feed missing`);
});

test('a component hook that throws (setup, onSessionEnd, report, carry) is named with the hook', async (t) => {
  const hooks: SessionComponent = {
    name: 'journal',
    setup: () => undefined,
    report: (ctx) => {
      if (ctx.session.date === DAYS[1]) throw new TypeError('cannot read properties of undefined');
      return { ok: true };
    },
  };
  const { error, finished } = await failing([hooks]);
  t.deepEqual(finished, [DAYS[0]]);
  t.like(error, { phase: 'end', date: DAYS[1] });
  t.is(error.message, `${DAYS[1]} phase 4 (end): journal.report() failed: cannot read properties of undefined`);
});

test('backtest() in code refuses whole-run store mistakes before the first day, as validate does (a missing root, an unknown symbol with did-you-mean)', async (t) => {
  const missing = await backtest(plainConfig(store, DAYS[0]!, DAYS[1]!, { store: { root: `${store.root}-nowhere`, layout: '{symbol}/{date}.parquet' } })).result().then(
    () => undefined,
    (error: unknown) => error,
  );
  t.true(missing instanceof Error);
  t.like((missing as { problems: unknown[] }).problems[0], { path: 'store.root' });
  t.regex((missing as Error).message, /store\.root: store root .*-nowhere: no such folder/);

  const wrongCase = await backtest(plainConfig(store, DAYS[0]!, DAYS[1]!, { symbols: [store.symbols[0]!.toLowerCase()] })).result().then(
    () => undefined,
    (error: unknown) => error,
  );
  t.regex((wrongCase as Error).message, new RegExp(`symbols\\[0\\]: the store has no symbol "${store.symbols[0]!.toLowerCase()}".*did you mean "${store.symbols[0]}"`));
});

/** A component recording one table per day, as a plain array or as a getter (made on demand). */
function tableMaker(name: string, rows: () => unknown, asGetter: boolean, calls: { n: number }): SessionComponent {
  return {
    name,
    tables: () =>
      asGetter
        ? {
            get made() {
              calls.n++;
              return rows() as never;
            },
          }
        : { made: rows() as never },
  };
}

test('tables: a table made by a getter is made when first read, once, and reads like a plain one; one that is not an array is named when read', async (t) => {
  const calls = { n: 0 };
  const result = await backtest(plainConfig(store, DAYS[0]!, DAYS[1]!), { components: [tableMaker('lazy', () => [{ x: 1 }, { x: 2 }], true, calls)] }).result();
  t.is(calls.n, 0, 'no day read it yet');
  t.deepEqual(result.days.map((d) => d.tables.made), [[{ x: 1 }, { x: 2 }], [{ x: 1 }, { x: 2 }]]);
  t.is(calls.n, 2, 'one call per day');
  t.is(result.days[0]!.tables.made, result.days[0]!.tables.made, 'read once, kept');
  t.deepEqual(JSON.parse(JSON.stringify(result.days[1]!.tables)), { made: [{ x: 1 }, { x: 2 }] });
  result.dispose();

  const bad = await backtest(plainConfig(store, DAYS[0]!, DAYS[0]!), { components: [tableMaker('sloppy', () => 'rows', true, { n: 0 })] }).result();
  t.throws(() => bad.days[0]!.tables.made, { instanceOf: TypeError, message: `sloppy.tables(): table "made" must be an array of rows, got string (${DAYS[0]})` });
  bad.dispose();
});

test('tables: a plain table that is not an array stops the day with the component, table and date', async (t) => {
  const run = backtest(plainConfig(store, DAYS[0]!, DAYS[0]!), { components: [tableMaker('sloppy', () => 7, false, { n: 0 })] });
  const error = await run.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.true(error instanceof Error);
  t.regex((error as Error).message, new RegExp(`sloppy\\.tables\\(\\): table "made" must be an array of rows, got number \\(${DAYS[0]}\\)`));
});
