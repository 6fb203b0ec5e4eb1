/**
 * Test helper: turn the QuantConnect Lean minute-bar CSV fixtures (spec/fixtures/lean/) into a
 * Parquet store (one file per symbol per exchange-local day) in a temporary folder.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parseDay } from '../../lib/calendar/civil-date.ts';
import { createLocalTimeConverter } from '../../lib/calendar/local-time.ts';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';

export const LEAN_FIXTURES = fileURLToPath(new URL('../fixtures/lean/', import.meta.url));

/** Layout of stores written by {@link writeLeanStore}. */
export const LEAN_LAYOUT = '{interval}/{symbol}/{date}.parquet';

/** One CSV row, typed. `start` is the bar START in epoch ms UTC; `localDate`/`localTime` are exchange-local. */
export interface LeanRow {
  readonly start: number;
  readonly localDate: string;
  readonly localTime: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Parse a Lean CSV fixture (header `ts_start_utc,ts_start_exchange_local,open,high,low,close,volume`). */
export function readLeanCsv(file: string): LeanRow[] {
  const records = parse(readFileSync(join(LEAN_FIXTURES, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return records.map((r) => {
    const local = r.ts_start_exchange_local!;
    return {
      start: Date.parse(r.ts_start_utc!),
      localDate: local.slice(0, 10),
      localTime: local.slice(11, 16),
      open: Number(r.open),
      high: Number(r.high),
      low: Number(r.low),
      close: Number(r.close),
      volume: Number(r.volume),
    };
  });
}

/** Options of {@link writeLeanStore}. */
export interface WriteLeanStoreOptions {
  /** The `{interval}` folder the files go to (default `1m`): `5m` for bars made by {@link aggregateLeanRows}. */
  readonly interval?: string;
  /** Further numeric columns, by column name: the value for each row (NaN when it has none), e.g. quotes at the bar start. */
  readonly extra?: Readonly<Record<string, (row: LeanRow) => number>>;
}

/** Write `rows` of `symbol` as `<interval>/<symbol>/<date>.parquet` files under `root` (all rows, extended hours included). */
export async function writeLeanStore(root: string, symbol: string, rows: readonly LeanRow[], options: WriteLeanStoreOptions = {}): Promise<string[]> {
  const interval = options.interval ?? '1m';
  const byDay = new Map<string, LeanRow[]>();
  for (const r of rows) {
    if (!byDay.has(r.localDate)) byDay.set(r.localDate, []);
    byDay.get(r.localDate)!.push(r);
  }
  const files: string[] = [];
  for (const [date, list] of byDay) {
    const col = (f: (r: LeanRow) => number) => Float64Array.from(list, f);
    const extra: Record<string, Float64Array> = {};
    for (const [name, f] of Object.entries(options.extra ?? {})) extra[name] = col(f);
    const path = join(root, interval, symbol, `${date}.parquet`);
    await writeParquetFile(
      path,
      { ts: col((r) => r.start), open: col((r) => r.open), high: col((r) => r.high), low: col((r) => r.low), close: col((r) => r.close), volume: col((r) => r.volume), ...extra },
      { timestampColumns: ['ts'], int64Columns: ['volume'] },
    );
    files.push(path);
  }
  return files;
}

/**
 * Group `rows` into bars of `minutes` anchored at the session open `from` (exchange-local
 * `HH:MM`, default 09:30), keeping only rows in `[from, to)`: what a vendor's N-minute file
 * of the regular session holds. Each bar's `start` is its window start; OHLCV as usual.
 */
export function aggregateLeanRows(rows: readonly LeanRow[], minutes: number, window: { readonly from?: string; readonly to?: string } = {}): LeanRow[] {
  const minuteOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const from = minuteOf(window.from ?? '09:30');
  const to = minuteOf(window.to ?? '16:00');
  const out: LeanRow[] = [];
  let key = '';
  let bar: { -readonly [K in keyof LeanRow]: LeanRow[K] } | undefined;
  for (const r of rows) {
    const m = minuteOf(r.localTime);
    if (m < from || m >= to) continue;
    const offset = (m - from) % minutes;
    const k = `${r.localDate} ${m - offset}`;
    if (k !== key || !bar) {
      if (bar) out.push(bar);
      key = k;
      const startMinute = m - offset;
      const localTime = `${String(Math.floor(startMinute / 60)).padStart(2, '0')}:${String(startMinute % 60).padStart(2, '0')}`;
      bar = { start: r.start - offset * 60_000, localDate: r.localDate, localTime, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume };
      continue;
    }
    bar.high = Math.max(bar.high, r.high);
    bar.low = Math.min(bar.low, r.low);
    bar.close = r.close;
    bar.volume += r.volume;
  }
  if (bar) out.push(bar);
  return out;
}

/** One row of a Lean quote-bar CSV, typed. `start` is the bar START in epoch ms UTC. */
export interface LeanQuoteRow {
  readonly start: number;
  readonly localDate: string;
  readonly localTime: string;
  readonly bidOpen: number;
  readonly bidHigh: number;
  readonly bidLow: number;
  readonly bidClose: number;
  readonly askOpen: number;
  readonly askHigh: number;
  readonly askLow: number;
  readonly askClose: number;
  /** The `regular_session` flag of the file. */
  readonly regular: boolean;
}

/**
 * Parse a Lean quote-bar CSV fixture (header `time,bid_open,…,ask_close,last_ask_size,regular_session`),
 * whose `time` is the bar start as wall-clock time in `timezone` (default New York).
 */
export function readLeanQuoteCsv(file: string, timezone = 'America/New_York'): LeanQuoteRow[] {
  const records = parse(readFileSync(join(LEAN_FIXTURES, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const toInstant = createLocalTimeConverter(timezone);
  return records.map((r) => {
    const time = r.time!;
    const localDate = time.slice(0, 10);
    const localTime = time.slice(11, 16);
    return {
      start: toInstant(parseDay(localDate), Number(localTime.slice(0, 2)) * 60 + Number(localTime.slice(3, 5))),
      localDate,
      localTime,
      bidOpen: Number(r.bid_open),
      bidHigh: Number(r.bid_high),
      bidLow: Number(r.bid_low),
      bidClose: Number(r.bid_close),
      askOpen: Number(r.ask_open),
      askHigh: Number(r.ask_high),
      askLow: Number(r.ask_low),
      askClose: Number(r.ask_close),
      regular: r.regular_session === '1',
    };
  });
}

/** A fresh temporary folder removed when the test ends. */
export async function tempRoot(t: { teardown(fn: () => void | Promise<void>): void }, prefix = 'sessionflow-lean-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
