import { join } from 'node:path';
import { writeParquetFile } from '../store/parquet-writer.ts';
import type { SessionData } from './session-data.ts';

/**
 * Write every (symbol, interval) series of a day as Parquet:
 * `OUT/sessions/<date>/<SYMBOL>/<interval>.parquet`, with `start`/`end` as
 * TIMESTAMP(MILLIS, UTC), OHLCV, `partial`, and every indicator column.
 *
 * @returns the files written.
 *
 * @example
 * ```ts
 * await exportSessionData(result.sessionData!, 'runs/jan'); // ['runs/jan/sessions/2024-01-02/SPY/1m.parquet', ...]
 * ```
 */
export async function exportSessionData(data: SessionData, out: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of data.entries()) {
    for (const [interval, series] of entry.bars) {
      const cols = series.toColumns();
      const columns: Record<string, Float64Array | Uint8Array | boolean[]> = {};
      for (const [name, values] of Object.entries(cols)) columns[name] = name === 'partial' ? Array.from(values, (v) => v === 1) : values;
      const file = join(out, 'sessions', data.session.date, entry.symbol, `${interval}.parquet`);
      // One metadata key: parquet-wasm keeps key/value metadata in a hash map, so several keys
      // would be written in a random order and identical runs would differ byte for byte.
      await writeParquetFile(file, columns, { timestampColumns: ['start', 'end'], int64Columns: [], metadata: { sessionflow: JSON.stringify({ symbol: entry.symbol, interval, session: data.session.date }) } });
      files.push(file);
    }
  }
  return files;
}
