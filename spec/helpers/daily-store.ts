import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';

/** One daily bar of a fixture, dated by its trading day. */
export interface DailyRow {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** The backtesting.py GOOG daily bars (spec/fixtures/backtests), oldest first. */
export async function readGoogDaily(): Promise<DailyRow[]> {
  const text = await readFile(resolve(import.meta.dirname, '../fixtures/backtests/backtesting-py-GOOG-daily.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [date, open, high, low, close, volume] = line.split(',');
      return { date: date!, open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume) };
    });
}

/**
 * A store of daily bars in a temporary folder: `1d/<SYMBOL>.parquet` with `ts` at 00:00 UTC of
 * each trading day (the usual way dates are stored as instants). `dispose()` removes it.
 */
export async function writeDailyStore(bySymbol: Readonly<Record<string, readonly DailyRow[]>>): Promise<{ root: string; layout: string; dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'sessionflow-daily-'));
  for (const [symbol, rows] of Object.entries(bySymbol)) {
    const col = (pick: (r: DailyRow) => number): Float64Array => Float64Array.from(rows, pick);
    await writeParquetFile(join(root, '1d', `${symbol}.parquet`), { ts: col((r) => Date.parse(`${r.date}T00:00:00Z`)), open: col((r) => r.open), high: col((r) => r.high), low: col((r) => r.low), close: col((r) => r.close), volume: col((r) => r.volume) }, { timestampColumns: ['ts'], int64Columns: ['volume'], compression: 'snappy' });
  }
  return { root, layout: '{interval}/{symbol}.parquet', dispose: () => rm(root, { recursive: true, force: true }) };
}

/** The backtesting.py EUR/USD hourly bars (spec/fixtures/backtests) aggregated per UTC day, oldest first. */
export async function readEurUsdDaily(): Promise<DailyRow[]> {
  const text = await readFile(resolve(import.meta.dirname, '../fixtures/backtests/backtesting-py-EURUSD-hourly.csv'), 'utf8');
  const days = new Map<string, { open: number; high: number; low: number; close: number; volume: number }>();
  for (const line of text.trim().split('\n').slice(1)) {
    const [time, open, high, low, close, volume] = line.split(',');
    const date = time!.slice(0, 10);
    const day = days.get(date);
    if (!day) days.set(date, { open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume) });
    else {
      day.high = Math.max(day.high, Number(high));
      day.low = Math.min(day.low, Number(low));
      day.close = Number(close);
      day.volume += Number(volume);
    }
  }
  return [...days].map(([date, d]) => ({ date, ...d }));
}
