import test from 'ava';
import * as v from 'valibot';
import { ConfigError } from '../../lib/errors.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';
import { join } from 'node:path';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { indicatorDefinition, registerIndicator } from '../../operators/indicators/indicator-registry.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { broker } from '../../operators/execution/broker.ts';
import { demoConfig, makeDemoStore, tempDir } from '../helpers/cli-fixtures.ts';

// A strategy's own indicators (`indicators` in defineStrategy): declared once, they become
// its stages and its needs — warm-up history, interval and column — so no config lists them.

test('defineStrategy indicators: warm-up history, intervals and columns join the strategy\'s needs', (t) => {
  const strategy = defineStrategy<{ interval: string }>({
    name: 'two-emas',
    params: { interval: { description: 'bars', default: '5m', schema: v.string() } },
    indicators: () => [
      { name: 'ema', period: 9 },
      { name: 'rsi', period: 14, interval: '15m', as: 'rsi_slow' },
    ],
    needs: () => ({ intervals: ['1m'] }),
    onBar: () => undefined,
  });
  const component = strategy.create({ interval: '5m' }) as SessionComponent;
  t.deepEqual(component.needs?.columns, ['5m/ema_9', '15m/rsi_slow']);
  t.deepEqual(new Set(component.needs?.intervals), new Set(['1m', '5m', '15m']));
  const history = component.needs?.history ?? [];
  t.deepEqual(history.map((h) => [h.interval, h.for]), [['5m', 'two-emas ema_9'], ['15m', 'two-emas rsi_slow']]);
  // Each warm-up is the indicator's own: EMA(9) from 9 closes, RSI(14) from 15 (14 changes).
  t.deepEqual(history.map((h) => h.bars), [9, 15]);
});

test('defineStrategy indicators: an unknown indicator or one without an interval is a ConfigError at its entry', (t) => {
  const unknown = defineStrategy({ name: 's', interval: '5m', indicators: () => [{ name: 'emma', period: 9 }], onBar: () => undefined });
  const error = t.throws(() => unknown.create({}), { instanceOf: ConfigError });
  t.regex(error.message, /s\.indicators\[0\]\.name/);
  t.regex(error.message, /did you mean "ema"/);
  const noInterval = defineStrategy({ name: 's', indicators: () => [{ name: 'ema', period: 9 }], onBar: () => undefined });
  t.throws(() => noInterval.create({}), { instanceOf: ConfigError, message: /s\.indicators\[0\]\.interval/ });
});

// Shared computation: strategies (and the parameter sets of a sweep) that read the same
// indicator column get one computation per tick, not one each.

test('defineStrategy indicators: two strategies reading the same EMA share one computation and see the same values; a different computation of that column is refused', async (t) => {
  const root = await tempDir(t, 'sessionflow-shared-ind-');
  await makeDemoStore(join(root, 'store'), { symbols: 1, start: '2024-01-02', sessions: 2, missingDay: false });
  // A registered EMA that counts its updates, to see how often the run computes it.
  let updates = 0;
  const ema = indicatorDefinition('ema');
  registerIndicator(
    {
      ...ema,
      name: 'counted-ema-spec',
      create: (period, params) => {
        const inner = ema.create(period, params) as { update(v: never): unknown };
        return Object.assign(Object.create(inner) as object, { update: (v: never) => (updates++, inner.update(v)) }) as ReturnType<typeof ema.create>;
      },
    },
    { override: true },
  );
  const seen: Record<string, number[]> = { a: [], b: [] };
  const reader = (name: 'a' | 'b', column: string, period = 9) =>
    defineStrategy({
      name,
      interval: '5m',
      indicators: () => [{ name: 'counted-ema-spec', period, as: column }],
      onBar: (ctx, bar) => void seen[name]!.push(ctx.indicator(bar.symbol, column)),
    }).create({});
  const config = demoConfig('store', { symbols: ['DEMO01'], backtest: { start: '2024-01-03', end: '2024-01-03' }, history: [{ trailingSessions: 1, intervals: ['5m'] }] }) as SessionConfigInput;
  const once = await backtest(config, { baseDir: root, components: [broker(), reader('a', 'ema_9')] }).result();
  const single = updates;
  once.dispose();
  t.true(single > 78, `warm-up and the day's 5m bars update the EMA (${single})`);
  updates = 0;
  const both = await backtest(config, { baseDir: root, components: [broker(), reader('a', 'ema_9'), reader('b', 'ema_9')] }).result();
  both.dispose();
  t.is(updates, single, 'the second strategy adds no computation');
  t.is(seen.b!.length, 78);
  t.deepEqual(seen.b, seen.a!.slice(78), 'both read the same values');
  // Same column, another computation (period 12 written as "ema_9"): the later write would
  // replace the values the first strategy reads.
  const error = await t.throwsAsync(backtest(config, { baseDir: root, components: [broker(), reader('a', 'ema_9'), reader('b', 'ema_9', 12)] }).result(), { instanceOf: ConfigError });
  t.regex(error.message, /5m\/ema_9/);
  t.regex(error.message, /strategy:a/);
});

test('defineStrategy indicators: a strategy module named in a config gets its indicators computed (they are known once the module is loaded)', async (t) => {
  const root = await tempDir(t, 'sessionflow-module-ind-');
  await makeDemoStore(join(root, 'store'), { symbols: 1, start: '2024-01-02', sessions: 3, missingDay: false });
  const config = demoConfig('store', {
    symbols: ['DEMO01'],
    streams: ['1m'],
    backtest: { start: '2024-01-03', end: '2024-01-04' },
    history: [{ trailingSessions: 1, intervals: ['1m'] }],
    strategies: [{ module: join(import.meta.dirname, '../sweep/fixtures/sma-cross.ts'), params: { fast: 3, slow: 8 } }],
  }) as SessionConfigInput;
  const result = await backtest(config, { baseDir: root }).result();
  t.teardown(() => result.dispose());
  const series = result.sessionData!.get('DEMO01')!.series('1m');
  t.true(series.hasColumn('sma_3') && series.hasColumn('sma_8'));
  // Warmed on yesterday's bars: a value from the first bar of the day.
  t.false(Number.isNaN(series.value('sma_8', 0)));
  t.true(result.trades.numRows() > 0, 'the crosses traded');
});
