import test from 'ava';
import { join } from 'node:path';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import { DataError } from '../../lib/errors.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { collectEvents, makeEngineStore, plainConfig, quietEngineLogs, standardConfig, type EngineStore } from '../helpers/engine-fixtures.ts';

// 3 symbols × 5 sessions; the generator drops the last symbol on the middle session.
let store: EngineStore;
let missing: { symbol: string; date: string };
let file: string;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 3, from: '2024-01-02', to: '2024-01-08' });
  missing = { ...store.summary.missingDay! };
  file = join(store.root, '1m', missing.symbol, missing.date.slice(0, 4), missing.date.slice(5, 7), `${missing.date}.parquet`);
});

test.after.always(async () => {
  await store?.dispose();
});

test('backtest: the fixture has a missing day in the middle of the run', (t) => {
  t.deepEqual(missing, { symbol: 'DEMO03', date: '2024-01-04' });
});

test('backtest: skips a symbol on a day without data and records the symbol, the reason and the file', async (t) => {
  const result = await backtest(standardConfig(store, '2024-01-03', '2024-01-05', { history: [{ trailingSessions: 1, intervals: ['1m', '5m', '15m'] }] })).result();
  t.deepEqual(result.days.map((d) => d.date), ['2024-01-03', '2024-01-04', '2024-01-05']);
  const day = result.days.find((d) => d.date === missing.date)!;
  t.is(day.skipped.length, 1);
  const [skip] = day.skipped;
  t.is(skip!.symbol, missing.symbol);
  t.is(skip!.file, file);
  t.true(skip!.reason.includes(file), skip!.reason);
  t.false(day.symbols.includes(missing.symbol));
  t.deepEqual(day.symbols, ['DEMO01', 'DEMO02']);
  t.false(Object.hasOwn(day.quality, missing.symbol));
  // The other days are complete, and the skip is counted once in the totals.
  for (const d of result.days.filter((x) => x.date !== missing.date)) {
    t.deepEqual(d.skipped, []);
    t.deepEqual(d.symbols, ['DEMO01', 'DEMO02', 'DEMO03']);
  }
  t.is(result.totals.skipped, 1);

  // The plan made before day 1 lists the same gap, as a backtest day, naming the file.
  const listed = result.plan.availability.missing.filter((m) => m.kind === 'session');
  t.deepEqual(
    listed.map((m) => ({ symbol: m.symbol, date: m.date, file: m.file })),
    [{ symbol: missing.symbol, date: missing.date, file }],
  );
  t.true(listed[0]!.reason.includes(file));
  // …and as a history gap of the next day (2024-01-05 trails 2024-01-04).
  t.is(day.quality.DEMO01!.history['1m']!.missingSessions.length, 0);
  t.deepEqual(result.days[2]!.quality.DEMO03!.history['1m']!.missingSessions, [missing.date]);
  result.dispose();
});

test('planRun: lists every missing (symbol, session) with symbol, date and file', async (t) => {
  const plan = await planRun(parseConfig(plainConfig(store, '2024-01-02', '2024-01-08')));
  t.deepEqual(
    plan.availability.missing.map((m) => ({ symbol: m.symbol, date: m.date, file: m.file, kind: m.kind })),
    [{ symbol: missing.symbol, date: missing.date, file, kind: 'session' }],
  );
  t.is(plan.availability.checked, 3 * 5);
  t.is(plan.availability.found, 3 * 5 - 1);
  t.is(plan.skips.get(missing.date)?.get(missing.symbol)?.file, file);
});

test('backtest: with strict: true fails before the first day with an error naming symbol, date and file', async (t) => {
  const run = backtest(standardConfig(store, '2024-01-03', '2024-01-05', { strict: true, history: [{ trailingSessions: 1, intervals: ['1m', '5m', '15m'] }] }));
  const { events, done } = collectEvents(run.events$);
  const error = await t.throwsAsync(done, { instanceOf: DataError });
  t.true(error!.message.includes(missing.symbol), error!.message);
  t.true(error!.message.includes(missing.date), error!.message);
  t.true(error!.message.includes(file), error!.message);
  t.is(error!.symbol, missing.symbol);
  t.is(error!.date, missing.date);
  t.is(error!.file, file);
  t.deepEqual(events, [], 'no run-start, no phase and no day event');
  await t.throwsAsync(run.result(), { instanceOf: DataError });
});

test('createBacktest: with strict: true a gap only in the trailing history also fails before the first day', async (t) => {
  // 2024-01-05 with 1 trailing session reads 2024-01-04, where DEMO03 has no file.
  const config = parseConfig(plainConfig(store, '2024-01-05', '2024-01-05', { strict: true, history: [{ trailingSessions: 1, intervals: ['1m'] }] }));
  const { events, done } = collectEvents(createBacktest(config).events$);
  const error = await t.throwsAsync(done, { instanceOf: DataError });
  t.true(error!.message.includes(file), error!.message);
  t.true(error!.message.includes('history'), error!.message);
  t.false(events.some((e) => e.type === 'day' || e.type === 'phase'));
});

test('history keeps only the intervals listed (and indicators need), but reports the base bars\' quality and gaps either way', async (t) => {
  const result = await backtest(standardConfig(store, '2024-01-05', '2024-01-05', { history: [{ trailingSessions: 2, intervals: ['15m'] }], indicators: [{ name: 'ema', period: 9, interval: '5m' }], strategies: [] })).result();
  t.teardown(() => result.dispose());
  t.deepEqual(result.plan.historyIntervals.map((i) => i.name), ['5m', '15m']);
  const data = result.sessionData!;
  t.deepEqual([...data.get('DEMO01')!.history.keys()].sort(), ['15m', '5m'], 'no 1m history series: nothing asked for it');
  const [day] = result.days;
  // 2024-01-05 trails 2024-01-03 and 2024-01-04; DEMO03 has no bars on the 4th.
  const full = day!.quality.DEMO01!.history['1m']!;
  t.is(full.expected, 2 * 390);
  t.deepEqual(full.missingSessions, []);
  const gap = day!.quality.DEMO03!.history['1m']!;
  t.deepEqual(gap.missingSessions, [missing.date]);
  t.true(gap.present > 0 && gap.present <= 390, `${gap.present} base bars in the one session it has`);
  t.is(day!.historyBars, full.present + day!.quality.DEMO02!.history['1m']!.present + gap.present, 'historyBars counts the base bars loaded');
  t.deepEqual(day!.quality.DEMO03!.history['15m']!.missingSessions, [missing.date]);
});
