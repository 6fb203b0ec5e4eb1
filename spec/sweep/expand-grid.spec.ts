import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { expandGrid } from '../../pipelines/sweep/expand-grid.ts';
import { withParameters } from '../../pipelines/sweep/with-parameters.ts';

const FAST = 'strategies[0].params.fast';
const SLOW = 'strategies[0].params.slow';

test('expandGrid: ranges, lists and single values make every combination, the first spec varying slowest', (t) => {
  const sets = expandGrid([`${FAST}=5..15:5`, `${SLOW}=[20,50]`, 'strategies[0].params.interval="5m"']);
  t.is(sets.length, 6);
  t.deepEqual(sets.map((s) => [s[FAST], s[SLOW]]), [[5, 20], [5, 50], [10, 20], [10, 50], [15, 20], [15, 50]]);
  t.true(sets.every((s) => s['strategies[0].params.interval'] === '5m'));
  t.deepEqual(expandGrid([`${FAST}=0.1..0.5:0.1`]).map((s) => s[FAST]), [0.1, 0.2, 0.3, 0.4, 0.5], 'decimal steps without drift');
  t.deepEqual(expandGrid([`${FAST}=3..4`]).map((s) => s[FAST]), [3, 4], 'step 1 by default');
  t.deepEqual(expandGrid([`${FAST}=5..30:5`]).map((s) => s[FAST]), [5, 10, 15, 20, 25, 30], 'the end is included when on the step');
});

test('expandGrid --random: distinct sets of the grid, the same for the same seed, another draw for another seed', (t) => {
  const grid = [`${FAST}=1..20`, `${SLOW}=[30,40,50,60,70]`];
  const all = expandGrid(grid).map((s) => JSON.stringify(s));
  const a = expandGrid(grid, { random: 30, seed: 7 }).map((s) => JSON.stringify(s));
  t.is(a.length, 30);
  t.is(new Set(a).size, 30, 'no set twice');
  t.true(a.every((s) => all.includes(s)));
  t.deepEqual(expandGrid(grid, { random: 30, seed: 7 }).map((s) => JSON.stringify(s)), a);
  t.notDeepEqual(expandGrid(grid, { random: 30, seed: 8 }).map((s) => JSON.stringify(s)), a);
  t.is(new Set(expandGrid(grid, { random: 100, seed: 3 }).map((s) => JSON.stringify(s))).size, 100, 'the whole grid, shuffled');
});

test('expandGrid: a bad spec is a ConfigError naming it and what was expected', (t) => {
  const message = (specs: string[], random?: number): string => t.throws(() => expandGrid(specs, random === undefined ? {} : { random }), { instanceOf: ConfigError })!.message;
  t.regex(message([]), /at least one --grid path=values/);
  t.regex(message(['fast5..10']), /grid\[0\].*path=values with a config path/);
  t.regex(message([`${FAST}=10..5`]), /grid\[0\].*end \(5\) is not below its start \(10\)/);
  t.regex(message([`${FAST}=1..5:0`]), /step > 0/);
  t.regex(message([`${FAST}=[1,2`]), /a JSON list such as \[20,50,100\]/);
  t.regex(message([`${FAST}=[]`]), /at least one value/);
  t.regex(message([`${FAST}=1..3`, `${FAST}=[4]`]), /grid\[1\].*listed twice/);
  t.regex(message([`${FAST}=1..3`], 4), /random.*at most the 3 sets/);
});

test('withParameters: sets each path on a copy of the config, creating params; the schema then checks the values at their paths', (t) => {
  const input = { backtest: { start: '2024-01-02', end: '2024-01-03' }, store: { root: '/data', layout: '{symbol}/{date}.parquet' }, symbols: ['SPY'], streams: ['1m', '5m'], strategies: [{ name: 'ema-crossover' }] };
  const changed = withParameters(input, { [FAST]: 7, [SLOW]: 21, 'backtest.speed': 0 });
  t.deepEqual(changed.strategies[0], { name: 'ema-crossover', params: { fast: 7, slow: 21 } });
  t.is((changed.backtest as { speed?: number }).speed, 0);
  t.deepEqual(input.strategies[0], { name: 'ema-crossover' }, 'the input is not changed');
  t.is(parseConfig(changed).strategies.length, 1);
  const missing = t.throws(() => withParameters(input, { 'strategies[1].params.fast': 3 }), { instanceOf: ConfigError });
  t.regex(missing!.message, /strategies\[1\] does not exist in the config/);
  const through = t.throws(() => withParameters(input, { 'symbols.first': 'QQQ' }), { instanceOf: ConfigError });
  t.regex(through!.message, /symbols\.first.*a path through objects \(symbols\.first is inside a list\)/);
});

test('expandGrid: a key that holds a list is varied by a list of lists', (t) => {
  t.deepEqual(expandGrid(['symbols=[["SPY"],["QQQ","IWM"]]']).map((s) => s.symbols), [['SPY'], ['QQQ', 'IWM']]);
});
