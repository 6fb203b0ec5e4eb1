/**
 * Whole-run mistakes `sessionflow validate` catches before the run (issue 15, point 2): each
 * would otherwise give a run that exits 0 with zero bars or with wrong bars. Every case is a
 * real store and config in a temp folder, validated in process through `main`.
 */
import test, { type ExecutionContext } from 'ava';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { demoConfig, makeDemoStore, tempDir, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { storeProblems } from '../../lib/config/store-problems.ts';
import { PARQUET_IO } from '../../lib/store/parquet-file.ts';
import { f64, i64, str, ts, writeParquetFile, type ColumnSpec } from '../store/parquet-builder.ts';

const DATES = ['2024-01-02', '2024-01-03'];
/** 09:30 New York on 2024-01-02/03 (EST, UTC-5). */
const OPEN: Record<string, number> = { '2024-01-02': Date.parse('2024-01-02T14:30:00Z'), '2024-01-03': Date.parse('2024-01-03T14:30:00Z') };

/** Five valid 1m bars from the open of `date`, with the columns named as `names` says (default: the field names). */
function bars(date: string, names: Partial<Record<'ts' | 'open' | 'high' | 'low' | 'close' | 'volume', string>> = {}, time: (ms: number[]) => ColumnSpec = (ms) => ts(ms)): Record<string, ColumnSpec> {
  const start = Array.from({ length: 5 }, (_, k) => OPEN[date]! + k * 60_000);
  return {
    [names.ts ?? 'ts']: time(start),
    [names.open ?? 'open']: f64([10, 11, 12, 13, 14]),
    [names.high ?? 'high']: f64([11, 12, 13, 14, 15]),
    [names.low ?? 'low']: f64([9, 10, 11, 12, 13]),
    [names.close ?? 'close']: f64([10.5, 11.5, 12.5, 13.5, 14.5]),
    [names.volume ?? 'volume']: f64([100, 200, 300, 400, 500]),
  };
}

/** A store of `symbols` × DATES under `dir/store` (layout `{interval}/{symbol}/{date}.parquet`) and a config over it; returns the config file. */
async function setup(t: ExecutionContext, options: { symbols?: string[]; files?: (date: string) => Record<string, ColumnSpec>; store?: Record<string, unknown>; config?: Record<string, unknown> } = {}): Promise<{ dir: string; file: string; root: string }> {
  const dir = await tempDir(t, 'sessionflow-validate-run-');
  const root = join(dir, 'store');
  for (const symbol of options.symbols ?? ['SPY', 'QQQ']) for (const date of DATES) writeParquetFile(root, `1m/${symbol}/${date}.parquet`, (options.files ?? bars)(date));
  const file = await writeJson(join(dir, 'session.json'), {
    name: 'whole-run',
    backtest: { start: DATES[0], end: DATES[1] },
    store: { root: 'store', layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' }, decodeThreads: 0, ...options.store },
    symbols: ['SPY', 'QQQ'],
    streams: ['1m', '5m'],
    ...options.config,
  });
  return { dir, file, root };
}

/** `validate FILE` must fail (exit 1) listing exactly these problem paths, in the text and in --json. */
async function invalid(t: ExecutionContext, file: string, paths: string[]): Promise<{ stderr: string; problems: Array<{ path: string; value?: unknown; message: string; expected?: string }> }> {
  const { code, stdout, stderr } = await runCli(['validate', file]);
  t.is(code, 1, stderr);
  t.is(stdout, '');
  t.true(stderr.includes(`${file}: invalid session config (${paths.length} problem${paths.length === 1 ? '' : 's'}):`), stderr);
  const json = await runCli(['validate', '--json', file]);
  t.is(json.code, 1);
  const result = JSON.parse(json.stdout) as { valid: boolean; problems: Array<{ path: string; value?: unknown; message: string; expected?: string }> };
  t.false(result.valid);
  t.deepEqual(result.problems.map((p) => p.path), paths);
  return { stderr, problems: result.problems };
}

test('validate: the store set-up itself is valid (the baseline of the cases below)', async (t) => {
  const { file } = await setup(t);
  const { code, stderr } = await runCli(['validate', file]);
  t.is(code, 0, stderr);
});

test('validate: a store root that does not exist is an error naming store.root and the folder', async (t) => {
  const { file, dir } = await setup(t, { store: { root: 'no-such-store' } });
  const { stderr, problems } = await invalid(t, file, ['store.root']);
  t.regex(stderr, new RegExp(`^ {2}store\\.root: store root ${escape(join(dir, 'no-such-store'))}: no such folder$`, 'm'));
  t.is(problems[0]!.value, join(dir, 'no-such-store'));
});

test('validate: a store root that is a file is an error naming store.root and the file', async (t) => {
  const { file, dir } = await setup(t, { store: { root: 'store.txt' } });
  await writeFile(join(dir, 'store.txt'), 'not a folder\n');
  const { stderr } = await invalid(t, file, ['store.root']);
  t.true(stderr.includes(`store.root: store root ${join(dir, 'store.txt')}: it is a file, not a folder`), stderr);
});

test('validate: a layout without {symbol} and no symbol column for several symbols is an error at store.layout', async (t) => {
  const { file, root } = await setup(t, { store: { layout: '{interval}/all/{date}.parquet' } });
  for (const date of DATES) writeParquetFile(root, `1m/all/${date}.parquet`, bars(date));
  const { stderr, problems } = await invalid(t, file, ['store.layout']);
  t.true(stderr.includes('store.layout: layout "{interval}/all/{date}.parquet" has no {symbol} and store.columns.symbol is not set, so all 2 symbols (SPY, QQQ) would get the same file\'s bars'), stderr);
  t.is(problems[0]!.value, '{interval}/all/{date}.parquet');
});

test('validate: a layout without {symbol} is fine for one symbol, and for several with store.columns.symbol', async (t) => {
  const one = await setup(t, { store: { layout: '{interval}/all/{date}.parquet' }, config: { symbols: ['SPY'] } });
  for (const date of DATES) writeParquetFile(one.root, `1m/all/${date}.parquet`, bars(date));
  t.is((await runCli(['validate', one.file])).code, 0);
  const many = await setup(t, { store: { layout: '{interval}/all/{date}.parquet', columns: { symbol: 'symbol' } } });
  for (const date of DATES) writeParquetFile(many.root, `1m/all/${date}.parquet`, { ...bars(date), symbol: str(['SPY', 'QQQ', 'SPY', 'QQQ', 'SPY']) });
  const { code, stderr } = await runCli(['validate', many.file]);
  t.is(code, 0, stderr);
});

test('validate: a column mapping that names columns the sample file lacks lists each with "did you mean" from the file\'s columns', async (t) => {
  const { file, root } = await setup(t, { files: (date) => bars(date, { ts: 'time', open: 'Open', close: 'c' }), store: { timestamp: { column: 'ts', label: 'start' }, columns: { close: 'closing' } } });
  const sample = join(root, '1m/SPY/2024-01-02.parquet');
  const { stderr, problems } = await invalid(t, file, ['store.columns.open', 'store.columns.close', 'store.timestamp.column']);
  t.true(stderr.includes(`store.columns.open: column "open" (open) is not in ${sample} (did you mean "Open"?); the file has time, Open, high, low, c, volume`), stderr);
  t.true(stderr.includes(`store.columns.close: column "closing" (close) is not in ${sample} (did you mean "c"?)`), stderr);
  t.true(stderr.includes(`store.timestamp.column: column "ts" (timestamp) is not in ${sample} (did you mean "time"?)`), stderr);
  t.like(problems[1], { value: 'closing' });
});

test('validate: a price column that is not numeric and a timestamp column that is a string are errors naming the file and the type', async (t) => {
  const { file, root } = await setup(t, { files: (date) => ({ ...bars(date), close: str(['1', '2', '3', '4', '5']), ts: str(DATES.concat(DATES, [date])) }) });
  const sample = join(root, '1m/SPY/2024-01-02.parquet');
  const { stderr } = await invalid(t, file, ['store.columns.close', 'store.timestamp.column']);
  t.true(stderr.includes(`store.columns.close: column "close" of ${sample} is BYTE_ARRAY STRING: expected a numeric column (INT32, INT64, FLOAT or DOUBLE)`), stderr);
  t.true(stderr.includes(`store.timestamp.column: column "ts" of ${sample} is BYTE_ARRAY STRING: expected a TIMESTAMP or integer column`), stderr);
});

test('validate: plain-number timestamps in seconds declared as "ms" are an error at store.timestamp.unit naming the unit that fits', async (t) => {
  const seconds = (ms: number[]): ColumnSpec => i64(ms.map((v) => v / 1000));
  const { file, root } = await setup(t, { files: (date) => bars(date, {}, seconds), store: { timestamp: { column: 'ts', unit: 'ms', label: 'start' } } });
  const sample = join(root, '1m/SPY/2024-01-02.parquet');
  const { stderr, problems } = await invalid(t, file, ['store.timestamp.unit']);
  t.true(stderr.includes(`store.timestamp.unit: timestamps of ${sample} read as "ms" fall on 1970-01-20, not near 2024-01-02 (the file's date); as "s" they fall on 2024-01-02: set "unit": "s"`), stderr);
  t.like(problems[0], { value: 'ms' });
  t.regex(problems[0]!.expected!, /^"s" /);
});

/** A store written by DuckDB (an independent writer): µs INT64 timestamps, prices as `price` (a SQL type). */
async function duckStore(t: ExecutionContext, price: string): Promise<string> {
  const dir = await tempDir(t, 'sessionflow-validate-run-');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  for (const symbol of ['SPY', 'QQQ']) {
    for (const date of DATES) {
      const folder = join(dir, 'store', '1m', symbol);
      await mkdir(folder, { recursive: true });
      const us = OPEN[date]! * 1000;
      await con.run(`COPY (SELECT ${us}::BIGINT + i * 60000000::BIGINT AS ts, 10.0::${price} AS open, 11.0::${price} AS high, 9.0::${price} AS low, 10.5::${price} AS close, 100::BIGINT AS volume FROM range(5) t(i)) TO '${join(folder, `${date}.parquet`)}' (FORMAT parquet)`);
    }
  }
  con.closeSync();
  instance.closeSync();
  return dir;
}

const DUCK_CONFIG = { backtest: { start: DATES[0], end: DATES[1] }, store: { root: 'store', layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'ts', unit: 'us', label: 'start' } }, symbols: ['SPY', 'QQQ'] };

test('validate: microsecond timestamps written by DuckDB and declared as "ms" name "us"; without a unit the error says which unit fits', async (t) => {
  const dir = await duckStore(t, 'DOUBLE');
  const sample = join(dir, 'store/1m/SPY/2024-01-02.parquet');
  t.is((await runCli(['validate', await writeJson(join(dir, 'us.json'), DUCK_CONFIG)])).code, 0);
  const declared = await writeJson(join(dir, 'ms.json'), { ...DUCK_CONFIG, store: { ...DUCK_CONFIG.store, timestamp: { column: 'ts', unit: 'ms', label: 'start' } } });
  const { stderr } = await invalid(t, declared, ['store.timestamp.unit']);
  t.true(stderr.includes(`timestamps of ${sample} read as "ms" fall on the year 55974, not near 2024-01-02 (the file's date); as "us" they fall on 2024-01-02: set "unit": "us"`), stderr);
  const none = await writeJson(join(dir, 'none.json'), { ...DUCK_CONFIG, store: { ...DUCK_CONFIG.store, timestamp: { column: 'ts', label: 'start' } } });
  const missing = await invalid(t, none, ['store.timestamp.unit']);
  t.true(missing.stderr.includes(`store.timestamp.unit: column "ts" of ${sample} is a plain INT64 number, so its unit must be given: set store.timestamp.unit to "s", "ms", "us" or "ns"; its values fit "us" (dates 2024-01-02)`), missing.stderr);
});

test('validate: DECIMAL price columns (DuckDB\'s type for a literal such as 10.5) are errors naming the column, the file and the type', async (t) => {
  const dir = await duckStore(t, 'DECIMAL(9,2)');
  const sample = join(dir, 'store/1m/SPY/2024-01-02.parquet');
  const { stderr } = await invalid(t, await writeJson(join(dir, 'session.json'), DUCK_CONFIG), ['store.columns.open', 'store.columns.high', 'store.columns.low', 'store.columns.close']);
  t.true(stderr.includes(`store.columns.close: column "close" of ${sample} is INT32 DECIMAL: expected a numeric column (INT32, INT64, FLOAT or DOUBLE)`), stderr);
});

test('validate: a symbol the store does not have is an error at symbols[i] with "did you mean" from the store, case included', async (t) => {
  const { file } = await setup(t, { config: { symbols: ['spy', 'QQQ', 'QQQQ', 'XYZW'] } });
  const { stderr, problems } = await invalid(t, file, ['symbols[0]', 'symbols[2]', 'symbols[3]']);
  t.true(stderr.includes('symbols[0]: the store has no symbol "spy" at 1m (did you mean "SPY"?); it holds 2 symbols: QQQ, SPY'), stderr);
  t.true(stderr.includes('symbols[2]: the store has no symbol "QQQQ" at 1m (did you mean "QQQ"?)'), stderr);
  t.regex(stderr, /symbols\[3\]: the store has no symbol "XYZW" at 1m; it holds/);
  t.like(problems[0], { value: 'spy' });
});

test('validate: a layout that finds no symbol under the root is an error at store.layout (the run would read nothing)', async (t) => {
  const { file, root } = await setup(t, { store: { layout: '{interval}/{symbol}/{date}.parquet' }, config: { streams: ['1m'] } });
  const { rm } = await import('node:fs/promises');
  await rm(join(root, '1m'), { recursive: true });
  await mkdir(join(root, 'minute', 'SPY'), { recursive: true });
  const { stderr } = await invalid(t, file, ['store.layout']);
  t.true(stderr.includes(`store.layout: no 1m data under ${root} matches layout "{interval}/{symbol}/{date}.parquet" (no {symbol} folders found), so the run would read nothing`), stderr);
});

test('validate: indicator outputs named like a bar column are errors at indicators[i].as', async (t) => {
  const { file } = await setup(t, {
    config: {
      indicators: [
        { name: 'ema', period: 3, interval: '5m', as: 'close' },
        { name: 'sma', period: 3, interval: '1m', as: 'end' },
        { name: 'rsi', period: 3, interval: '1m', as: 'partial' },
      ],
    },
  });
  const { stderr, problems } = await invalid(t, file, ['indicators[0].as', 'indicators[1].as', 'indicators[2].as']);
  t.true(stderr.includes('indicators[0].as: the column "close" is a bar column of 5m bars: ema would overwrite it; choose another "as"'), stderr);
  t.true(stderr.includes('indicators[1].as: the column "end" is a bar column of 1m bars'), stderr);
  t.like(problems[0], { value: 'close' });
});

test('validate: indicator outputs that collide with each other (several outputs included) or with a store extra column are errors naming the other indicator', async (t) => {
  const { file } = await setup(t, {
    files: (date) => ({ ...bars(date), vwap: f64([1, 2, 3, 4, 5]) }),
    store: { columns: { extra: { vwap: 'vwap' } } },
    config: {
      indicators: [
        { name: 'macd', interval: '5m', as: 'm' },
        { name: 'ema', period: 9, interval: '5m', as: 'm_signal' },
        { name: 'sma', period: 9, interval: '5m', as: 'trend' },
        { name: 'ema', period: 21, interval: '5m', as: 'trend' },
        { name: 'sma', period: 9, interval: '1m', as: 'trend' },
        { name: 'vwap', interval: '1m' },
      ],
    },
  });
  const { stderr } = await invalid(t, file, ['indicators[1].as', 'indicators[3].as', 'indicators[5].as']);
  t.true(stderr.includes('indicators[1].as: the column "m_signal" on 5m is already written by indicators[0] (macd); choose another "as"'), stderr);
  t.true(stderr.includes('indicators[3].as: the column "trend" on 5m is already written by indicators[2] (sma)'), stderr);
  t.true(stderr.includes('indicators[5].as: the column "vwap" is a bar column of 1m bars'), stderr);
});

test('validate: unknown indicator, scanner and strategy names are errors with "did you mean"', async (t) => {
  const { file } = await setup(t, {
    config: {
      indicators: [{ name: 'emaa', period: 9, interval: '5m' }],
      scanners: [{ name: 'gapp', universe: ['SPY'] }],
      strategies: [{ name: 'ema-crosover', params: { fast: 3, slow: 5, interval: '5m' } }],
    },
  });
  const { stderr } = await invalid(t, file, ['indicators[0].name', 'scanners[0].name', 'strategies[0].name']);
  t.regex(stderr, /indicators\[0\]\.name: .*"emaa".*did you mean "ema"\?/);
  t.regex(stderr, /scanners\[0\]\.name: .*"gapp".*did you mean "gap"\?/);
  t.regex(stderr, /strategies\[0\]\.name: .*"ema-crosover".*did you mean "ema-crossover"\?/);
});

test('validate: several whole-run mistakes are listed together in one error', async (t) => {
  const seconds = (ms: number[]): ColumnSpec => i64(ms.map((v) => v / 1000));
  const { file } = await setup(t, {
    files: (date) => bars(date, { close: 'c' }, seconds),
    store: { timestamp: { column: 'ts', unit: 'ms', label: 'start' } },
    config: {
      symbols: ['SPY', 'qqq'],
      indicators: [{ name: 'ema', period: 9, interval: '5m', as: 'close' }],
      strategies: [{ name: 'ema-crosover' }],
    },
  });
  const { stderr } = await invalid(t, file, ['symbols[1]', 'store.columns.close', 'store.timestamp.unit', 'indicators[0].as', 'strategies[0].name']);
  t.true(stderr.includes('did you mean "QQQ"?'), stderr);
  t.true(stderr.includes('did you mean "c"?'), stderr);
  t.true(stderr.includes('set "unit": "s"'), stderr);
  t.true(stderr.includes('the column "close" is a bar column'), stderr);
  t.true(stderr.includes('did you mean "ema-crossover"?'), stderr);
});

test('validate: schema problems and the store\'s are listed together in one error', async (t) => {
  const { file, root } = await setup(t, {
    files: (date) => bars(date, { volume: 'vol' }),
    config: { symbols: ['SPY', 'qqq'], strategy: [{ name: 'ema-crossover' }], indicators: [{ name: 'ema', period: 0, interval: '5m' }] },
  });
  const { stderr } = await invalid(t, file, ['indicators[0].period', 'strategy', 'symbols[1]', 'store.columns.volume']);
  t.true(stderr.includes('strategy: unknown key "strategy"'), stderr);
  t.true(stderr.includes('symbols[1]: the store has no symbol "qqq" at 1m (did you mean "QQQ"?)'), stderr);
  t.true(stderr.includes(`store.columns.volume: column "volume" (volume) is not in ${join(root, '1m/SPY/2024-01-02.parquet')} (did you mean "vol"?)`), stderr);
});

test('run: a whole-run mistake fails before the first day with exit 1 instead of a run with zero bars', async (t) => {
  const { file } = await setup(t, { config: { symbols: ['spy'] } });
  const { code, stderr } = await runCli(['run', file, '--no-progress']);
  t.is(code, 1, stderr);
  t.true(stderr.includes('symbols[0]: the store has no symbol "spy" at 1m (did you mean "SPY"?)'), stderr);
});

test('validate: a demo store of many symbols is validated from its folder names and one sample file', async (t) => {
  const dir = await tempDir(t, 'sessionflow-validate-run-');
  await makeDemoStore(join(dir, 'store'), { symbols: 30, start: '2024-01-02', sessions: 2, missingDay: false });
  const file = await writeJson(join(dir, 'session.json'), demoConfig('store', { backtest: { start: '2024-01-02', end: '2024-01-03' }, symbols: ['DEMO01', 'DEMO30', 'demo07'] }));
  const { stderr } = await invalid(t, file, ['symbols[2]']);
  t.true(stderr.includes('did you mean "DEMO07"?'), stderr);
});

test.serial('storeProblems: a 120-symbol store is checked from one folder listing and one footer', async (t) => {
  const dir = await tempDir(t, 'sessionflow-validate-run-');
  await makeDemoStore(join(dir, 'store'), { symbols: 120, start: '2024-01-02', sessions: 1, missingDay: false });
  const symbols = Array.from({ length: 120 }, (_, i) => `DEMO${String(i + 1).padStart(3, '0')}`);
  const config = parseConfig(demoConfig('store', { backtest: { start: '2024-01-02', end: '2024-01-02' }, symbols: [...symbols.slice(1), 'demo001'] }), { baseDir: dir });
  const reads = PARQUET_IO.reads;
  const problems = await storeProblems(config);
  // One file's last 8 bytes, then its footer: no data pages, no other file.
  t.is(PARQUET_IO.reads - reads, 2);
  t.deepEqual(problems.map((p) => [p.path, p.value]), [['symbols[119]', 'demo001']]);
  t.regex(problems[0]!.message, /did you mean "DEMO001"\?\); it holds 120 symbols: DEMO001, DEMO002, .*, … \(110 more\)$/);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
