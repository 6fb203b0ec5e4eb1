import test from 'ava';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig, readConfigFile } from '../../lib/config/parse-config.ts';
import { ConfigError, type ConfigProblem } from '../../lib/errors.ts';
import { tempDir, writeJson } from '../helpers/cli-fixtures.ts';

const STORE = { root: 'data', layout: '{interval}/{symbol}/{date}.parquet' };
const minimal = { backtest: { start: '2024-01-02', end: '2024-01-31' }, store: STORE, symbols: ['SPY'] };

function problemsOf(t: { throws: (fn: () => unknown, expectations: { instanceOf: typeof ConfigError }) => unknown }, input: unknown): { error: ConfigError; at: (path: string) => ConfigProblem[] } {
  const error = t.throws(() => parseConfig(input, { baseDir: '/cfg' }), { instanceOf: ConfigError }) as ConfigError;
  return { error, at: (path) => error.problems.filter((p) => p.path === path) };
}

test('parseConfig: reports every problem of a config at once, with JSON path, value and expectation', (t) => {
  const { error, at } = problemsOf(t, {
    backtest: { start: '2024-02-30', end: '2024-01-01', speed: -1 },
    store: STORE,
    symbol: ['SPY'],
    symbols: ['SPY', 'QQQ', 'SPY'],
    streams: ['1m', '7x', '90s', '5m'],
    indicators: [{ name: 'ema', period: 9, interval: '15m' }],
  });
  const paths = error.problems.map((p) => p.path).sort();
  t.deepEqual(paths, ['backtest.speed', 'backtest.start', 'indicators[0].interval', 'streams[1]', 'streams[2]', 'symbol', 'symbols'].sort());

  t.is(at('backtest.start')[0]!.value, '2024-02-30');
  t.regex(at('backtest.start')[0]!.expected!, /real calendar date/);
  t.is(at('backtest.speed')[0]!.value, -1);
  t.regex(at('backtest.speed')[0]!.expected!, />= 0/);
  t.is(at('streams[1]')[0]!.value, '7x');
  t.regex(at('streams[1]')[0]!.expected!, /interval like "1m"/);
  t.is(at('streams[2]')[0]!.value, '90s');
  t.is(at('streams[2]')[0]!.expected, 'a multiple of the base interval 1m');
  t.deepEqual(at('symbols')[0]!.value, ['SPY', 'QQQ', 'SPY']);
  t.regex(at('symbols')[0]!.expected!, /without duplicates/);
  t.is(at('indicators[0].interval')[0]!.value, '15m');
  t.regex(at('indicators[0].interval')[0]!.expected!, /one of the streams \(1m, 7x, 90s, 5m\)/);
  // A typo'd key names the key, the likely intent and what is allowed.
  t.is(at('symbol')[0]!.value, 'symbol');
  t.regex(at('symbol')[0]!.message, /unknown key "symbol" \(did you mean "symbols"\?\)/);
  t.regex(at('symbol')[0]!.expected!, /symbols/);
  // The message lists one line per problem, so a person sees all of them too.
  t.regex(error.message, /invalid session config \(7 problems\)/);
  for (const p of error.problems) t.true(error.message.includes(`  ${p.path}: `), p.path);
});

test('parseConfig: reports an end before the start together with schema problems elsewhere', (t) => {
  const { error, at } = problemsOf(t, { backtest: { start: '2024-01-31', end: '2024-01-02' }, store: { ...STORE, layout: 'bars.csv' }, symbols: ['SPY'] });
  t.deepEqual(error.problems.map((p) => p.path).sort(), ['backtest.end', 'store.layout']);
  t.is(at('backtest.end')[0]!.value, '2024-01-02');
  t.regex(at('backtest.end')[0]!.expected!, /on or after backtest\.start \(2024-01-31\)/);
});

test('parseConfig: reports one problem per bad value, not one per failed rule', (t) => {
  const { at } = problemsOf(t, { ...minimal, backtest: { start: 'yesterday', end: '2024-01-31' } });
  t.is(at('backtest.start').length, 1);
  t.regex(at('backtest.start')[0]!.message, /"YYYY-MM-DD"; got "yesterday"/);
});

test('parseConfig: names a missing required key instead of echoing its name as the expectation', (t) => {
  const { at } = problemsOf(t, { backtest: { start: '2024-01-02' }, store: STORE });
  t.is(at('symbols')[0]!.message, 'missing required key "symbols"');
  t.is(at('backtest.end')[0]!.message, 'missing required key "end"');
});

test('parseConfig: reports unknown keys in nested objects with the keys allowed there', (t) => {
  const { at } = problemsOf(t, { ...minimal, store: { ...STORE, timestamp: { colum: 'ts' } } });
  t.regex(at('store.timestamp.colum')[0]!.message, /did you mean "column"\?/);
  t.regex(at('store.timestamp.colum')[0]!.expected!, /column, unit, label/);
  t.regex(at('store.timestamp.column')[0]!.message, /missing required key "column"/);
});

test('parseConfig: flags a stream that is not a multiple of the base and a stream listed twice', (t) => {
  const { error } = problemsOf(t, { ...minimal, streams: ['2m', '3m', '2m'] });
  t.deepEqual(
    error.problems.map((p) => [p.path, p.message]),
    [
      ['streams[1]', '3m is not a whole multiple of the base interval 2m'],
      ['streams[2]', '2m is listed twice'],
    ],
  );
});

test('parseConfig: fills defaults (streams 1m, speed 0, calendar XNYS, empty lists)', (t) => {
  const config = parseConfig(minimal, { baseDir: '/cfg' });
  t.deepEqual(config.streams, ['1m']);
  t.is(config.backtest.speed, 0);
  t.is(config.calendar, 'XNYS');
  t.is(config.name, 'session');
  t.false(config.strict);
  t.deepEqual(config.store.timestamp, { column: 'ts', label: 'start' });
  t.deepEqual([config.history, config.indicators, config.strategies, config.scanners], [[], [], [], []]);
});

test('parseConfig: resolves a relative store.root against baseDir and keeps an absolute one', (t) => {
  t.is(parseConfig(minimal, { baseDir: '/cfg/dir' }).store.root, '/cfg/dir/data');
  t.is(parseConfig({ ...minimal, store: { ...STORE, root: '/abs/store' } }, { baseDir: '/cfg/dir' }).store.root, '/abs/store');
});

test('readConfigFile: resolves a relative store.root against the config file folder, whatever the cwd', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'configs'));
  const file = await writeJson(join(dir, 'configs', 'session.json'), { ...minimal, store: { ...STORE, root: '../store' } });
  // process.cwd() is the repository, not the config folder.
  t.not(process.cwd(), join(dir, 'configs'));
  t.is(readConfigFile(file).store.root, join(dir, 'store'));
});

test('readConfigFile: a missing file is a ConfigError naming the file', (t) => {
  const file = '/nonexistent/sessionflow/session.json';
  const error = t.throws(() => readConfigFile(file), { instanceOf: ConfigError });
  t.is(error.file, file);
  t.is(error.message, `${file}: cannot read session config (no such file)`);
});

test('readConfigFile: malformed JSON is a ConfigError naming the file and the JSON error', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'broken.json');
  await writeFile(file, '{ "backtest": { "start": "2024-01-02", }\n');
  const error = t.throws(() => readConfigFile(file), { instanceOf: ConfigError });
  t.is(error.file, file);
  t.regex(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: .*(position|column|property)`, 's'));
});

test('readConfigFile: schema problems carry the file name in the message and on the error', async (t) => {
  const dir = await tempDir(t);
  const file = await writeJson(join(dir, 'bad.json'), { ...minimal, streams: ['7x'] });
  const error = t.throws(() => readConfigFile(file), { instanceOf: ConfigError });
  t.is(error.file, file);
  t.true(error.message.startsWith(`${file}: invalid session config (1 problem):`));
  t.is(error.problems[0]!.path, 'streams[0]');
});
