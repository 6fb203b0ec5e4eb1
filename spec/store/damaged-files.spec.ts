/**
 * Real damaged files (made in a temp folder from a good DuckDB-written fixture): truncated,
 * bytes flipped in a compressed data page and in the footer, a column of the wrong type, a
 * missing column. Each must become a DataError naming the file (and the column where one is
 * to blame); the run skips that symbol that day and records why, or stops when strict.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { parquetMetadata } from 'hyparquet';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import { DataError } from '../../lib/errors.ts';
import { loadSessionData, SessionBarsCache } from '../../lib/session/load-session-data.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { f64, i64, str, tempStore, ts, writeParquetFile } from './parquet-builder.ts';

const GOOD = fileURLToPath(new URL('../fixtures/parquet/spy_2013-10-07_rth_zstd.parquet', import.meta.url));
const DATE = '2013-10-07';
const FROM = Date.parse(`${DATE}T13:30:00Z`);
const TO = Date.parse(`${DATE}T20:00:00Z`);
const LAYOUT = '{symbol}/{date}.parquet';
const TIMESTAMP = { column: 'ts_utc_us', label: 'start' } as const;

/** Byte offset and length of `column`'s chunk in the good file, from its footer. */
function chunkOf(column: string): { offset: number; length: number } {
  const bytes = readFileSync(GOOD);
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const chunk = meta.row_groups[0]!.columns.find((c) => c.meta_data?.path_in_schema[0] === column)!.meta_data!;
  return { offset: Number(chunk.dictionary_page_offset ?? chunk.data_page_offset), length: Number(chunk.total_compressed_size) };
}

type Damage = (bytes: Uint8Array) => Uint8Array;
const DAMAGES: Record<string, { damage: Damage; message: RegExp; column?: string }> = {
  truncated: { damage: (b) => b.subarray(0, Math.floor(b.length * 0.6)), message: /truncated|PAR1/ },
  'flipped bytes in the close pages': {
    damage: (b) => {
      const out = Uint8Array.from(b);
      const { offset, length } = chunkOf('close');
      // Past the page header, inside the zstd frame: the decompressor must notice.
      for (let i = offset + 24; i < offset + length; i += 7) out[i] = out[i]! ^ 0xff;
      return out;
    },
    message: /cannot read column "close"/,
    column: 'close',
  },
  'flipped bytes in the footer': {
    damage: (b) => {
      const out = Uint8Array.from(b);
      const footerLength = Buffer.from(out.buffer, out.byteOffset, out.length).readUInt32LE(out.length - 8);
      for (let i = out.length - 8 - footerLength; i < out.length - 8 - footerLength + 40; i++) out[i] = out[i]! ^ 0x5a;
      return out;
    },
    message: /corrupt Parquet footer|cannot read/,
  },
};

for (const [name, { damage, message, column }] of Object.entries(DAMAGES)) {
  test(`damaged file: ${name} is a DataError naming the file${column ? ' and the column' : ''}`, async (t) => {
    const root = tempStore(t);
    const file = path.join(root, 'SPY', `${DATE}.parquet`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, damage(readFileSync(GOOD)));
    const reader = new ParquetBarReader({ root, layout: LAYOUT, timestamp: TIMESTAMP });
    const error = await t.throwsAsync(reader.load('SPY', '1m', FROM, TO, DATE), { instanceOf: DataError });
    t.is(error.file, file);
    t.true(error.message.includes(file));
    t.regex(error.message, message);
    if (column) t.is(error.column, column);
    // The wasm reader stays usable after the failure.
    const again = await new ParquetBarReader({ root: path.dirname(GOOD), layout: path.basename(GOOD), timestamp: TIMESTAMP }).load('SPY', '1m', FROM, TO, DATE);
    t.is(again.bars.length, 390);
  });
}

test('damaged file: a price column of the wrong type names the column and what was expected', async (t) => {
  const root = tempStore(t);
  writeParquetFile(root, `SPY/${DATE}.parquet`, { ts: ts([FROM]), open: f64([1]), high: f64([1]), low: f64([1]), close: str(['1.0']), volume: i64([1]) });
  const reader = new ParquetBarReader({ root, layout: LAYOUT, timestamp: { column: 'ts', label: 'start' } });
  const error = await t.throwsAsync(reader.load('SPY', '1m', FROM, TO, DATE), { instanceOf: DataError });
  t.is(error.column, 'close');
  t.regex(error.message, /column "close" \(columns\.close\) in .*SPY\/2013-10-07\.parquet is BYTE_ARRAY STRING: expected a numeric column/);
});

test('damaged file: a missing column names the column, its role and the columns found', async (t) => {
  const root = tempStore(t);
  writeParquetFile(root, `SPY/${DATE}.parquet`, { ts: ts([FROM]), open: f64([1]), high: f64([1]), low: f64([1]), close: f64([1]) });
  const reader = new ParquetBarReader({ root, layout: LAYOUT, timestamp: { column: 'ts', label: 'start' } });
  const error = await t.throwsAsync(reader.load('SPY', '1m', FROM, TO, DATE), { instanceOf: DataError });
  t.is(error.column, 'volume');
  t.regex(error.message, /missing column "volume" \(columns\.volume\) in .*: expected a number column; the file has ts, open, high, low, close/);
});

/** A two-symbol per-day store where MSFT's file of 2013-10-07 is damaged by `damage`. */
function storeWithDamagedMsft(root: string, damage: Damage): string {
  const bad = path.join(root, 'MSFT', `${DATE}.parquet`);
  mkdirSync(path.join(root, 'SPY'), { recursive: true });
  mkdirSync(path.dirname(bad), { recursive: true });
  copyFileSync(GOOD, path.join(root, 'SPY', `${DATE}.parquet`));
  writeFileSync(bad, damage(readFileSync(GOOD)));
  return bad;
}

function config(root: string, strict: boolean) {
  return parseConfig({ calendar: 'XNYS', strict, backtest: { start: DATE, end: DATE }, store: { root, layout: LAYOUT, timestamp: TIMESTAMP }, symbols: ['SPY', 'MSFT'], streams: ['1m'] });
}

for (const [name, { damage }] of Object.entries(DAMAGES)) {
  test(`damaged file policy (${name}): the run skips that symbol that day and records why; strict stops`, async (t) => {
    const root = tempStore(t);
    const bad = storeWithDamagedMsft(root, damage);
    const session = getCalendar('XNYS').sessions(DATE, DATE)[0]!;
    const plan = await planRun(config(root, false));
    const loaded = await loadSessionData(plan, session, plan.reader, new SessionBarsCache());
    t.deepEqual(loaded.data.symbols(), ['SPY']);
    t.is(loaded.barsIn, 390);
    t.is(loaded.skipped.length, 1);
    t.is(loaded.skipped[0]!.symbol, 'MSFT');
    t.is(loaded.skipped[0]!.file, bad);
    t.true(loaded.skipped[0]!.reason.includes(bad));
    const error = await t.throwsAsync(
      (async () => {
        const strict = await planRun(config(root, true));
        await loadSessionData(strict, session, strict.reader, new SessionBarsCache());
      })(),
      { instanceOf: DataError },
    );
    t.is(error.file, bad);
  });
}
