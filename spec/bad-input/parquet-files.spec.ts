/**
 * Bad-input matrix, Parquet files (issue 15, point 7): each case is one day of SPY minute
 * bars written by DuckDB (an independent writer) with one kind of damage, in a store of its
 * own. Damage the engine records is checked where it is recorded — the day's `rejected`
 * counts, quality score and flags from the session loop (`backtest`), and the same reason
 * from `sessionflow data check --json` naming the file. Damage that makes a file unreadable
 * is refused by `validate`/`run` naming the file, the column and the value.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DayResult } from '../../lib/session/results.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { writeJson } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { jsonAnswer, refused } from './helpers.ts';

const DATE = '2024-01-02';
const LAYOUT = '{interval}/{symbol}/{date}.parquet';
/** Minute `i` of the session (09:30 New York = 14:30 UTC in January). */
const TS = "TIMESTAMPTZ '2024-01-02 14:30:00+00' + to_minutes(i)";
const price = (base: number): string => `(${base} + (i % 5) * 0.1)::DOUBLE`;

/** A SELECT of a clean day's rows over `range(from, to) t(i)`, with columns replaced (`''` drops one). */
function day(replace: Record<string, string> = {}, from = 0, to = 390, extra = ''): string {
  const columns: Record<string, string> = { ts: TS, open: price(100), high: price(101), low: price(99), close: price(100.5), volume: '(1000 + i)::BIGINT' };
  for (const [name, sql] of Object.entries(replace)) {
    if (sql === '') delete columns[name];
    else columns[name] = sql;
  }
  return `SELECT ${Object.entries(columns).map(([name, sql]) => `${sql} AS ${name}`).join(', ')} FROM range(${from}, ${to}) t(i)${extra}`;
}
/** `sql` at minute 10, the clean value elsewhere. */
const at10 = (sql: string, clean: string): string => `CASE WHEN i = 10 THEN ${sql} ELSE ${clean} END`;

interface Detail {
  file: string;
  available: boolean;
  reason?: string;
  present: number;
  expected: number;
  reordered: number;
  outsideSession: number;
  rejected: Record<string, number>;
  score: number;
  flags?: { jumps: number; nonPositivePrices: number; examples: Array<{ detail: string }> };
}

interface Case {
  readonly title: string;
  /** The file's rows (DuckDB SQL); omitted when `bytes` writes the file. */
  readonly sql?: string;
  /** Replace the written file (truncate it, write random bytes, make it a folder). */
  readonly damage?: (file: string) => void;
  /** The folder the symbol's files are in (default `SPY`). */
  readonly folder?: string;
  /** Store keys replacing the defaults. */
  readonly store?: Record<string, unknown>;
  /** Further top-level config keys. */
  readonly config?: Record<string, unknown>;
  /** Recorded damage: the loop's day and data check's session for the file. */
  readonly recorded?: (t: ExecutionContext, day: DayResult, detail: Detail) => void;
  /** Refused damage: the command, its exit code and what its message names (`FILE` = the data file). */
  readonly refused?: { readonly command: 'validate' | 'run'; readonly code: number; readonly names: readonly string[] };
}

/** The day recorded `count` rows under `reason`, and data check filed them under the same reason; neither scores 100. */
const rejects = (reason: string, count = 1) => (t: ExecutionContext, d: DayResult, detail: Detail): void => {
  t.is(d.rejected[reason], count, JSON.stringify(d.rejected));
  t.is(detail.rejected[reason], count, JSON.stringify(detail.rejected));
  t.true(d.quality.SPY!.intervals['1m']!.score < 100);
  t.is(detail.score, d.quality.SPY!.intervals['1m']!.score);
};

const CASES: readonly Case[] = [
  // --- rows the bar rules reject (recorded, never silently kept) ---
  { title: 'a NaN high is rejected as null_or_nan', sql: day({ high: at10("'NaN'::DOUBLE", price(101)) }), recorded: rejects('null_or_nan') },
  { title: 'a NULL close is rejected as null_or_nan', sql: day({ close: at10('NULL', price(100.5)) }), recorded: rejects('null_or_nan') },
  { title: 'a NaN volume is rejected as null_or_nan', sql: day({ volume: at10("'NaN'::DOUBLE", '(1000 + i)::DOUBLE') }), recorded: rejects('null_or_nan') },
  { title: 'a +Infinity high is rejected as non_finite', sql: day({ high: at10("'Infinity'::DOUBLE", price(101)) }), recorded: rejects('non_finite') },
  { title: 'a -Infinity low is rejected as non_finite', sql: day({ low: at10("'-Infinity'::DOUBLE", price(99)) }), recorded: rejects('non_finite') },
  { title: 'an infinite volume is rejected as non_finite', sql: day({ volume: at10("'Infinity'::DOUBLE", '(1000 + i)::DOUBLE') }), recorded: rejects('non_finite') },
  { title: 'a high below the low is rejected as high_below_low', sql: day({ low: at10('102.0::DOUBLE', price(99)) }), recorded: rejects('high_below_low') },
  { title: 'an open above the high is rejected as open_close_outside_range', sql: day({ open: at10('105.0::DOUBLE', price(100)) }), recorded: rejects('open_close_outside_range') },
  { title: 'a close below the low is rejected as open_close_outside_range', sql: day({ close: at10('90.0::DOUBLE', price(100.5)) }), recorded: rejects('open_close_outside_range') },
  { title: 'a negative volume is rejected as negative_volume', sql: day({ volume: at10('-5', '1000 + i') + '::BIGINT' }), recorded: rejects('negative_volume') },
  { title: 'repeated timestamps are rejected as duplicate_timestamp', sql: `${day()} UNION ALL ${day({}, 10, 12)}`, recorded: rejects('duplicate_timestamp', 2) },
  {
    title: 'bars at hh:mm:30 are rejected as misaligned_timestamp and the day scores 0, not 100',
    sql: day({ ts: `${TS} + INTERVAL 30 SECOND` }),
    recorded: (t, d, detail) => {
      t.is(d.rejected.misaligned_timestamp, 389);
      t.is(detail.rejected.misaligned_timestamp, 389);
      t.is(d.barsIn, 0);
      t.is(d.quality.SPY!.intervals['5m']!.score, 0);
      t.is(detail.score, 0);
    },
  },
  // --- rows that are kept, with a note ---
  {
    title: 'an unsorted file is sorted, not dropped, and the reorder is noted',
    sql: day({}, 0, 390, ' ORDER BY (i * 7) % 390'),
    recorded: (t, d, detail) => {
      t.is(d.barsIn, 390);
      t.true(d.quality.SPY!.reordered > 0);
      t.is(detail.reordered, d.quality.SPY!.reordered);
      t.is(detail.present, 390);
    },
  },
  {
    title: 'extended-hours rows are counted outside the session, not traded',
    sql: day({}, -30, 420),
    recorded: (t, d, detail) => {
      t.is(d.barsIn, 390);
      t.is(detail.outsideSession, 60);
      t.is(detail.present, 390);
    },
  },
  {
    title: 'a file that stops at noon scores the share of the day it holds',
    sql: day({}, 0, 150),
    recorded: (t, d, detail) => {
      t.is(d.barsIn, 150);
      t.is(d.quality.SPY!.intervals['1m']!.gaps, 240);
      t.is(detail.score, (100 * 150) / 390);
    },
  },
  {
    title: 'a 1e308 high is flagged as a jump with quality.maxJump (reported, not applied)',
    sql: day({ high: at10('1e308::DOUBLE', price(101)) }),
    config: { quality: { maxJump: 0.5 } },
    recorded: (t, d) => {
      const flags = d.quality.SPY!.flags!;
      t.is(flags.jumps, 1);
      t.regex(flags.examples[0]!.detail, /^high 1e\+308 is .* % from the previous close 100\.9 \(maxJump 0\.5\)$/);
      t.is(d.barsIn, 390);
    },
  },
  {
    title: 'a zero low is flagged as a non-positive price',
    sql: day({ low: at10('0.0::DOUBLE', price(99)), open: at10('0.5::DOUBLE', price(100)), close: at10('0.5::DOUBLE', price(100.5)) }),
    recorded: (t, d, detail) => {
      t.is(d.quality.SPY!.flags!.nonPositivePrices, 1);
      t.is(d.quality.SPY!.flags!.examples[0]!.detail, 'low 0: zero or negative price');
      t.is(detail.flags!.nonPositivePrices, 1);
    },
  },
  {
    title: 'a zero-row file gives a day with no bars and score 0',
    sql: day({}, 0, 0),
    recorded: (t, d, detail) => {
      t.is(d.barsIn, 0);
      t.is(d.quality.SPY!.intervals['1m']!.score, 0);
      t.like(detail, { available: true, present: 0, score: 0 });
    },
  },
  {
    title: 'a multi-symbol file with other symbols gives each configured symbol only its own rows',
    sql: `SELECT * FROM (${day()}) d, (VALUES ('IWM'), ('QQQ'), ('SPY')) v(symbol) ORDER BY symbol, ts`,
    folder: 'all',
    store: { layout: '{interval}/all/{date}.parquet', columns: { symbol: 'symbol' } },
    recorded: (t, d) => {
      t.is(d.barsIn, 390);
      t.deepEqual(d.symbols, ['SPY']);
    },
  },
  // --- files that cannot be read as configured (refused naming file, column, value) ---
  { title: 'string prices are refused naming the column and its type', sql: day({ close: `${price(100.5)}::VARCHAR` }), refused: { command: 'validate', code: 1, names: ['store.columns.close: column "close" of FILE is BYTE_ARRAY UTF8: expected a numeric column'] } },
  { title: 'DECIMAL prices are refused naming the column and its type', sql: day({ close: '(100.5)::DECIMAL(10,2)' }), refused: { command: 'validate', code: 1, names: ['store.columns.close: column "close" of FILE is INT64 DECIMAL: expected a numeric column'] } },
  { title: 'a list column is refused as nested, not as missing', sql: day({ close: `[${price(100.5)}]` }), refused: { command: 'validate', code: 1, names: ['store.columns.close: column "close" (close) of FILE is a nested LIST column: expected a flat numeric column'] } },
  { title: 'a missing volume column names the file\'s columns', sql: day({ volume: '' }), refused: { command: 'run', code: 1, names: ['store.columns.volume: column "volume" (volume) is not in FILE; the file has ts, open, high, low, close'] } },
  { title: 'a string timestamp column is refused naming its type', sql: day({ ts: `strftime(${TS}, '%Y-%m-%d %H:%M:%S')` }), refused: { command: 'validate', code: 1, names: ['store.timestamp.column: column "ts" of FILE is BYTE_ARRAY UTF8: expected a TIMESTAMP or integer column'] } },
  { title: 'seconds stored where ms are declared name the unit that fits', sql: day({ ts: `epoch(${TS})::BIGINT` }), store: { timestamp: { column: 'ts', unit: 'ms', label: 'start' } }, refused: { command: 'run', code: 1, names: ['store.timestamp.unit: timestamps of FILE read as "ms" fall on 1970-01-20, not near 2024-01-02 (the file\'s date); as "s" they fall on 2024-01-02: set "unit": "s"'] } },
  { title: 'ms stored where us are declared name the unit that fits', sql: day({ ts: `epoch_ms(${TS})` }), store: { timestamp: { column: 'ts', unit: 'us', label: 'start' } }, refused: { command: 'validate', code: 1, names: ['store.timestamp.unit: timestamps of FILE read as "us"', 'set "unit": "ms"'] } },
  { title: 'plain-number timestamps without a unit ask for one', sql: day({ ts: `epoch_ms(${TS})` }), refused: { command: 'validate', code: 1, names: ['store.timestamp.unit: column "ts" of FILE is a plain INT64 number, so its unit must be given', 'its values fit "ms"'] } },
  { title: 'a wrong-case symbol folder suggests the stored spelling', sql: day(), folder: 'spy', refused: { command: 'validate', code: 1, names: ['symbols[0]: the store has no symbol "SPY" at 1m (did you mean "spy"?)'] } },
  { title: 'a truncated file fails the run (no bars read) naming the file', sql: day(), damage: (f) => writeFileSync(f, readFileSync(f).subarray(0, 600)), refused: { command: 'run', code: 2, names: ['not a Parquet file or truncated (no PAR1 footer magic): FILE'] } },
  { title: 'random bytes named .parquet fail the run naming the file', damage: (f) => writeFileSync(f, Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)), refused: { command: 'run', code: 2, names: ['not a Parquet file or truncated', 'FILE'] } },
  { title: 'a 0-byte .parquet fails the run naming the file', damage: (f) => writeFileSync(f, ''), refused: { command: 'run', code: 2, names: ['not a Parquet file (only 0 bytes): FILE'] } },
  { title: 'a folder named like the day\'s file fails the run naming the path', damage: (f) => mkdirSync(f, { recursive: true }), refused: { command: 'run', code: 2, names: ['FILE is a directory, not a Parquet file'] } },
];

let dir = '';
/** Per case: the config file, the store root and the data file. */
const made: Array<{ config: string; root: string; file: string }> = [];

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-bad-parquet-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  await con.run("SET TimeZone = 'UTC'");
  // Written one after another on one connection, before any test runs.
  for (const [i, c] of CASES.entries()) {
    const root = join(dir, `case-${i}`, 'store');
    const folder = join(root, '1m', c.folder ?? 'SPY');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${DATE}.parquet`);
    if (c.sql !== undefined) await con.run(`COPY (${c.sql}) TO '${file}' (FORMAT parquet)`);
    c.damage?.(file);
    const config = await writeJson(join(dir, `case-${i}`, 'session.json'), {
      name: `bad-parquet-${i}`,
      backtest: { start: DATE, end: DATE },
      store: { root: 'store', layout: LAYOUT, timestamp: { column: 'ts', label: 'start' }, decodeThreads: 0, ...c.store },
      symbols: ['SPY'],
      streams: ['1m', '5m'],
      ...c.config,
    });
    made.push({ config, root, file });
  }
  con.closeSync();
  instance.closeSync();
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

CASES.forEach((c, i) => {
  test(`parquet: ${c.title}`, async (t) => {
    const { config, root, file } = made[i]!;
    if (c.recorded) {
      const run = await backtest(config).result();
      t.teardown(() => run.dispose());
      const check = jsonAnswer<{ details: Detail[] }>(t, await runCli(['data', 'check', '--json', '--store', root, '--layout', c.store?.layout as string | undefined ?? LAYOUT, '--symbols', 'SPY', '--from', DATE, '--to', DATE]));
      const detail = check.details[0]!;
      // data check names the file it judged.
      t.is(detail.file, file);
      c.recorded(t, run.days[0]!, detail);
      return;
    }
    const { command, code, names } = c.refused!;
    const args = command === 'run' ? ['run', config, '--no-progress', '--export', 'none'] : ['validate', config];
    const result = await runCli(args);
    refused(t, result, code, names.map((n) => n.replaceAll('FILE', file)));
    if (code === 1) t.true(result.stderr.includes(config), result.stderr);
  });
});
