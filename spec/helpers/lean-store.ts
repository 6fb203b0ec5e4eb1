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

/** Write `rows` of `symbol` as `1m/<symbol>/<date>.parquet` files under `root` (all rows, extended hours included). */
export async function writeLeanStore(root: string, symbol: string, rows: readonly LeanRow[]): Promise<string[]> {
  const byDay = new Map<string, LeanRow[]>();
  for (const r of rows) {
    if (!byDay.has(r.localDate)) byDay.set(r.localDate, []);
    byDay.get(r.localDate)!.push(r);
  }
  const files: string[] = [];
  for (const [date, list] of byDay) {
    const col = (f: (r: LeanRow) => number) => Float64Array.from(list, f);
    const path = join(root, '1m', symbol, `${date}.parquet`);
    await writeParquetFile(
      path,
      { ts: col((r) => r.start), open: col((r) => r.open), high: col((r) => r.high), low: col((r) => r.low), close: col((r) => r.close), volume: col((r) => r.volume) },
      { timestampColumns: ['ts'], int64Columns: ['volume'] },
    );
    files.push(path);
  }
  return files;
}

/** A fresh temporary folder removed when the test ends. */
export async function tempRoot(t: { teardown(fn: () => void | Promise<void>): void }, prefix = 'sessionflow-lean-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
