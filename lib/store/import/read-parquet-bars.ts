import { readFile } from 'node:fs/promises';
import type { Column } from '@uwdata/flechette';
import { lazyParquet } from '../lazy-parquet.ts';
import { DataError, quote } from '../../errors.ts';
import type { TimestampUnit } from '../types.ts';
import type { BarCollector } from './bar-collector.ts';
import { choosePreset } from './import-presets.ts';
import { resolveImportColumns, type ColumnChoices } from './resolve-import-columns.ts';
import type { ZoneClock } from '../../calendar/zone-clock.ts';

/** Options of {@link readParquetBars}; see `importBars` for their meaning. */
export interface ParquetReadOptions extends ColumnChoices {
  readonly collector: BarCollector;
  readonly fileIndex: number;
  readonly intervalMs: number;
  /** Zone of naive TIMESTAMP columns (`isAdjustedToUTC=false`) and of naive text timestamps. */
  readonly zone: ZoneClock;
  readonly format?: string | undefined;
  readonly label?: 'start' | 'end' | undefined;
  /** Unit of a plain integer timestamp column (required for one). */
  readonly unit?: TimestampUnit | undefined;
  readonly priceScale?: number | undefined;
  readonly onBytes?: ((bytes: number) => void) | undefined;
}

// Arrow type ids (the Arrow format's Type enum).
const ARROW_INT = 2;
const ARROW_FLOAT = 3;
const ARROW_TIMESTAMP = 10;
const PER_MS: Record<TimestampUnit, bigint> = { s: 1n, ms: 1n, us: 1000n, ns: 1_000_000n };

/**
 * Read a Parquet file of bars with another schema (column names as in the presets or via
 * `map`) into `options.collector`. TIMESTAMP columns carry their unit; a naive one
 * (no time zone, `isAdjustedToUTC=false`) is read as wall time in `options.zone`; a plain
 * integer timestamp column needs `unit`. The file is decoded whole (parquet-wasm), which
 * suits import (every row is wanted) rather than the session loop.
 *
 * @throws ConfigError for missing columns; DataError for unreadable files or unusable types.
 * @example
 * ```ts
 * await readParquetBars('vendor/spy.parquet', { collector, fileIndex: collector.addFile('vendor/spy.parquet'), intervalMs: 60_000, zone, symbol: 'SPY' });
 * ```
 */
export async function readParquetBars(file: string, options: ParquetReadOptions): Promise<{ preset: string; rows: number }> {
  const bytes = await readFile(file).catch((cause: unknown) => {
    throw new DataError(`cannot read Parquet file ${quote(file)}: ${(cause as Error).message}`, { file }, { cause });
  });
  options.onBytes?.(bytes.length);
  let table;
  try {
    table = lazyParquet.arrow().tableFromIPC(lazyParquet.wasm().readParquet(bytes).intoIPCStream(), { useBigInt: true });
  } catch (cause) {
    throw new DataError(`cannot decode Parquet file ${quote(file)}: ${cause instanceof Error ? cause.message : String(cause)}`, { file }, { cause });
  }
  const names = table.schema.fields.map((f) => f.name);
  const preset = choosePreset(options.format, names);
  const columns = resolveImportColumns(file, preset, names, options);
  if (columns.timestamp < 0) throw new DataError(`Parquet file ${quote(file)}: split date and time columns are supported for CSV only; map one timestamp column`, { file });
  const rows = table.numRows;
  const child = (index: number): Column<unknown> => table.getChildAt(index)!;
  const scale = options.priceScale ?? 1;
  const number = (index: number, field: string, factor: number): Float64Array => toNumbers(child(index), file, names[index]!, field, factor);
  const open = number(columns.open, 'open', scale);
  const high = number(columns.high, 'high', scale);
  const low = number(columns.low, 'low', scale);
  const close = number(columns.close, 'close', scale);
  const volume = number(columns.volume, 'volume', 1);
  const ts = toInstants(child(columns.timestamp), file, names[columns.timestamp]!, options);
  const symbols = columns.symbol >= 0 ? (child(columns.symbol).toArray() as ArrayLike<unknown>) : undefined;
  const shift = (options.label ?? preset.label) === 'end' ? options.intervalMs : 0;
  const { collector, fileIndex } = options;
  for (let i = 0; i < rows; i++) {
    const symbol = symbols ? symbols[i] : columns.fixedSymbol;
    if (typeof symbol !== 'string' || symbol.length === 0) {
      collector.reject('missing_symbol', fileIndex, i + 1, `symbol ${quote(symbol)}`);
      continue;
    }
    collector.add(symbol, ts[i]! - shift, open[i]!, high[i]!, low[i]!, close[i]!, volume[i]!, fileIndex, i + 1, String(ts[i]));
  }
  return { preset: preset.name, rows };
}

function typeOf(column: Column<unknown>): { typeId: number; unit?: number; timezone?: string | null } {
  return column.type as unknown as { typeId: number; unit?: number; timezone?: string | null };
}

/** Numbers of one column; nulls become NaN (so the row is rejected as `null_or_nan`). */
function toNumbers(column: Column<unknown>, file: string, name: string, field: string, factor: number): Float64Array {
  const { typeId } = typeOf(column);
  if (typeId !== ARROW_INT && typeId !== ARROW_FLOAT) {
    throw new DataError(`column ${quote(name)} (${field}) of ${file} is not numeric`, { file, column: name });
  }
  const out = new Float64Array(column.length);
  for (let i = 0; i < out.length; i++) {
    const v = column.at(i);
    out[i] = v === null || v === undefined ? Number.NaN : Number(v) * factor;
  }
  return out;
}

/** Epoch ms UTC of the timestamp column. */
function toInstants(column: Column<unknown>, file: string, name: string, options: ParquetReadOptions): Float64Array {
  const type = typeOf(column);
  const out = new Float64Array(column.length);
  if (type.typeId === ARROW_TIMESTAMP) {
    // flechette coerces timestamps to float ms; a naive one is wall time in the zone.
    const naive = type.timezone === null || type.timezone === undefined || type.timezone === '';
    for (let i = 0; i < out.length; i++) {
      const v = column.at(i) as number | null;
      out[i] = v === null ? Number.NaN : naive ? options.zone.toUtc(v) : v;
    }
    return out;
  }
  if (type.typeId === ARROW_INT) {
    if (!options.unit) throw new DataError(`column ${quote(name)} of ${file} holds plain integers: pass --unit s|ms|us|ns`, { file, column: name });
    const per = PER_MS[options.unit];
    const mul = options.unit === 's' ? 1000 : 1;
    for (let i = 0; i < out.length; i++) {
      const v = column.at(i) as bigint | number | null;
      if (v === null) out[i] = Number.NaN;
      else if (typeof v === 'bigint') out[i] = Number(v / per) * mul + Number(v % per) / Number(per);
      else out[i] = (v * mul) / Number(per);
    }
    return out;
  }
  throw new DataError(`column ${quote(name)} of ${file} is neither a TIMESTAMP nor an integer column`, { file, column: name });
}
