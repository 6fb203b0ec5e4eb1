import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { ConfigError } from '../../lib/errors.ts';
import { pipelineFromConfig } from '../../pipelines/pipeline-from-config.ts';

const base = { backtest: { start: '2024-01-02', end: '2024-01-05' }, store: { root: '/store', layout: '{interval}/{symbol}/{date}.parquet' }, symbols: ['SPY'], streams: ['1m', '5m'] };
const config = (extra: Record<string, unknown>) => parseConfig({ ...base, ...extra });

test('pipelineFromConfig: accepts registered indicators and strategies and returns a per-session builder', (t) => {
  const build = pipelineFromConfig(config({ indicators: [{ name: 'EMA', period: 9, interval: '5m' }, { name: 'sma', period: 20, interval: '1m' }], strategies: [{ name: 'ema-crossover', params: { fast: 9, slow: 21, interval: '5m' } }] }));
  t.is(typeof build, 'function');
});

test('pipelineFromConfig: reports unknown indicator and strategy names at their paths, listing the registered names', (t) => {
  const error = t.throws(
    () =>
      pipelineFromConfig(
        config({
          indicators: [
            { name: 'ema', period: 9, interval: '5m' },
            { name: 'rsy', period: 14, interval: '5m' },
          ],
          strategies: [{ name: 'buy-the-dip' }],
        }),
      ),
    { instanceOf: ConfigError },
  );
  t.deepEqual(
    error.problems.map((p) => p.path),
    ['indicators[1].name', 'strategies[0].name'],
  );
  const [indicator, strategy] = error.problems;
  t.is(indicator!.value, 'rsy');
  t.regex(indicator!.expected!, /a registered indicator \(.*\bema\b.*\brsi\b.*\bsma\b.*\)/);
  t.is(strategy!.value, 'buy-the-dip');
  t.regex(strategy!.expected!, /a registered strategy \(.*ema-crossover.*\)/);
  t.regex(error.message, /invalid session config \(2 problems\):\n {2}indicators\[1\]\.name: expected a registered indicator .*got "rsy"\n {2}strategies\[0\]\.name: expected a registered strategy .*got "buy-the-dip"/);
});

test('pipelineFromConfig: reports bad strategy params at strategies[i].params.<key>', (t) => {
  const error = t.throws(
    () =>
      pipelineFromConfig(
        config({
          strategies: [
            { name: 'ema-crossover', params: { fast: 0 } },
            { name: 'ema-crossover', params: { interval: '15m' } },
            { name: 'ema-crossover', params: { speed: 3 } },
            { name: 'ema-crossover', params: { fast: 30, slow: 10 } },
          ],
        }),
      ),
    { instanceOf: ConfigError },
  );
  t.deepEqual(
    error.problems.map((p) => [p.path, p.value]),
    [
      ['strategies[0].params.fast', 0],
      ['strategies[1].params.interval', '15m'],
      ['strategies[2].params.speed', 3],
      // emaCrossover reports "strategies.params.fast"; it is anchored at the entry, not nested twice.
      ['strategies[3].params.fast', 30],
    ],
  );
  t.regex(error.problems[1]!.expected!, /one of the streams \(1m, 5m\)/);
  t.regex(error.problems[2]!.expected!, /one of fast, slow, interval/);
  t.regex(error.problems[3]!.expected!, /smaller than slow \(10\)/);
});

test('pipelineFromConfig: reports unknown indicator params and clashing output columns', (t) => {
  const error = t.throws(
    () =>
      pipelineFromConfig(
        config({
          indicators: [
            { name: 'ema', period: 9, interval: '5m', params: { source: 'high' } },
            { name: 'sma', period: 9, interval: '5m', as: 'fast' },
            { name: 'ema', period: 21, interval: '5m', as: 'fast' },
          ],
        }),
      ),
    { instanceOf: ConfigError },
  );
  t.deepEqual(
    error.problems.map((p) => p.path),
    ['indicators[0].params.source', 'indicators[2].as'],
  );
});
