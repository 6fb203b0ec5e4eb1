import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { ConfigError } from '../../lib/errors.ts';
import { componentsFromConfig } from '../../pipelines/components-from-config.ts';

const base = { backtest: { start: '2024-01-02', end: '2024-01-05' }, store: { root: '/store', layout: '{interval}/{symbol}/{date}.parquet' }, symbols: ['SPY'], streams: ['1m', '5m'] };
const config = (extra: Record<string, unknown>) => parseConfig({ ...base, ...extra });

test('componentsFromConfig: builds the broker (first: it matches each tick before strategies), derived bars, one component per indicator with its warm-up need, quality and the strategies, in that order', (t) => {
  const components = componentsFromConfig(config({ indicators: [{ name: 'EMA', period: 9, interval: '5m' }, { name: 'sma', period: 20, interval: '1m' }], strategies: [{ name: 'ema-crossover', params: { fast: 9, slow: 21, interval: '5m' } }] }));
  t.deepEqual(
    components.map((c) => [c.name, c.kind]),
    [
      ['broker', 'broker'],
      ['bars', 'bars'],
      ['indicator:5m/ema_9', 'indicator'],
      ['indicator:1m/sma_20', 'indicator'],
      ['quality', 'quality'],
      ['strategy:ema-crossover', 'strategy'],
      // The statistics' benchmark (the first symbol), recorded after the day.
      ['benchmark', 'benchmark'],
    ],
  );
  // The strategy declares its own EMAs' warm-up.
  t.deepEqual(components[5]!.needs?.history?.map((h) => [h.interval, h.bars]), [['5m', 9], ['5m', 21]]);
  components.shift();
  t.deepEqual(components[1]!.needs?.history?.map((h) => [h.interval, h.bars]), [['5m', 9]]);
  t.deepEqual(components[2]!.needs?.history?.map((h) => [h.interval, h.bars]), [['1m', 20]]);
  t.true(components.filter((c) => c.kind !== 'benchmark').every((c) => typeof c.stage === 'function'));
});

test('componentsFromConfig: reports unknown indicator and strategy names at their paths, listing the registered names', (t) => {
  const error = t.throws(
    () =>
      componentsFromConfig(
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
  t.regex(error.message, /invalid session config \(2 problems\):\n {2}indicators\[1\]\.name: expected a registered indicator .*got "rsy"; did you mean "rsi"\?\n {2}strategies\[0\]\.name: expected a registered strategy .*got "buy-the-dip"/);
});

test('componentsFromConfig: suggests the closest indicator and strategy for a misspelt name, and nothing for a far one', (t) => {
  const error = t.throws(
    () =>
      componentsFromConfig(
        config({
          indicators: [
            { name: 'rsy', period: 14, interval: '5m' },
            { name: 'Bolinger', period: 20, interval: '5m' },
            { name: 'zigzag', period: 5, interval: '5m' },
          ],
          strategies: [{ name: 'EMA-Crosover' }, { name: 'buy-the-dip' }],
        }),
      ),
    { instanceOf: ConfigError },
  );
  t.deepEqual(
    error.problems.map((p) => [p.path, / did you mean "([^"]+)"\?$/.exec(p.message)?.[1]]),
    [
      ['indicators[0].name', 'rsi'],
      ['indicators[1].name', 'bollinger'],
      ['indicators[2].name', undefined],
      ['strategies[0].name', 'ema-crossover'],
      ['strategies[1].name', undefined],
    ],
  );
  t.regex(error.message, /\n {2}indicators\[0\]\.name: expected a registered indicator \(.*\), got "rsy"; did you mean "rsi"\?\n/);
  for (const p of error.problems) t.notRegex(p.expected!, /did you mean/);
});

test('componentsFromConfig: matches strategy names case-insensitively, like indicator names', (t) => {
  t.deepEqual(componentsFromConfig(config({ strategies: [{ name: 'EMA-Crossover', params: { interval: '5m' } }] })).filter((c) => c.kind === 'strategy').map((c) => c.name).at(-1), 'strategy:ema-crossover');
});

test('componentsFromConfig: reports bad strategy params at strategies[i].params.<key>', (t) => {
  const error = t.throws(
    () =>
      componentsFromConfig(
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
      // Unknown keys are reported by name, as for scanners' params.
      ['strategies[2].params.speed', 'speed'],
      // emaCrossover reports "strategies.params.fast"; it is anchored at the entry, not nested twice.
      ['strategies[3].params.fast', 30],
    ],
  );
  t.regex(error.problems[1]!.expected!, /one of the streams \(1m, 5m\)/);
  t.regex(error.problems[2]!.expected!, /one of the parameters fast, slow, interval, allocation, short/);
  t.regex(error.problems[3]!.expected!, /smaller than slow \(10\)/);
});

test('componentsFromConfig: reports unknown indicator params and clashing output columns', (t) => {
  const error = t.throws(
    () =>
      componentsFromConfig(
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

test('componentsFromConfig: reports every problem of a scanner entry at once, a bad top-level universe once at its own path, and suggests a misspelt parameter', async (t) => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'sessionflow-universe-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'universe.txt'), 'AAPL\n$$$\n');
  const error = t.throws(
    () =>
      componentsFromConfig(
        parseConfig(
          {
            ...base,
            universe: { file: 'universe.txt' },
            scanners: [
              { name: 'new-high-low', params: { side: 'HIGH' }, schedule: ['10:61'] },
              { name: 'gap', params: { minPercnt: 3 } },
            ],
          },
          { baseDir: dir },
        ),
      ),
    { instanceOf: ConfigError },
  );
  const paths = error.problems.map((p) => p.path);
  t.true(paths.includes('scanners[0].params.side'), paths.join(', '));
  t.true(paths.includes('scanners[0].schedule[0]'), paths.join(', '));
  t.is(paths.filter((p) => p.startsWith('universe')).length, 1, 'the shared universe file is reported once');
  t.true(paths.includes('universe.file'), paths.join(', '));
  const unknown = error.problems.find((p) => p.path === 'scanners[1].params.minPercnt')!;
  t.regex(unknown.message, /did you mean "minPercent"/);
  t.regex(unknown.expected!, /one of the parameters minPercent, direction, count/);
});

test('parseConfig: reports every bad broker setting at its JSON path', (t) => {
  const error = t.throws(
    () =>
      parseConfig({
        ...base,
        broker: { cash: -5, commission: { type: 'per-trade', amount: 1 }, slippage: { type: 'bps', bps: 'two' }, risk: { maxDailyLoss: 2, leverage: 0 }, maxParticipation: 1.5 },
      }),
    { instanceOf: ConfigError },
  );
  const paths = error.problems.map((p) => p.path);
  for (const path of ['broker.cash', 'broker.commission.type', 'broker.slippage.bps', 'broker.risk.maxDailyLoss', 'broker.risk.leverage', 'broker.maxParticipation']) t.true(paths.includes(path), `${path} in ${paths.join(', ')}`);
});

test('componentsFromConfig: a strategy entry needs exactly one of name and module, and broker quotes must be extra store columns', (t) => {
  const error = t.throws(
    () =>
      componentsFromConfig(
        config({
          strategies: [{ name: 'ema-crossover', module: './mine.ts' }, { params: { fast: 3 } }],
          broker: { quotes: { bid: 'bid', ask: 'ask' } },
        }),
      ),
    { instanceOf: ConfigError },
  );
  t.deepEqual(
    error.problems.map((p) => p.path),
    ['strategies[0]', 'strategies[1]', 'broker.quotes.bid'],
  );
  t.regex(error.problems[0]!.expected!, /exactly one of "name" .* or "module"/);
  t.regex(error.problems[2]!.expected!, /a name of store.columns.extra \(none configured\)/);
});

test('componentsFromConfig: a config without strategies and without a broker section has no broker', (t) => {
  t.false(componentsFromConfig(config({})).some((c) => c.kind === 'broker'));
  t.is(componentsFromConfig(config({ broker: { cash: 5000 } }))[0]!.kind, 'broker');
});
