import test from 'ava';
import * as v from 'valibot';
import { ConfigError } from '../../lib/errors.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';

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
