import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { ConfigError, DataError, quote } from '../../errors.ts';
import type { TimestampUnit } from '../types.ts';
import type { BarCollector } from './bar-collector.ts';
import { choosePreset, type ImportField } from './import-presets.ts';
import { resolveImportColumns, type ImportColumns } from './resolve-import-columns.ts';
import { TimestampParser } from './timestamp-parser.ts';
import type { ZoneClock } from './zone-clock.ts';

/** Options of {@link readCsvBars}; see `importBars` for their meaning. */
export interface CsvReadOptions {
  readonly collector: BarCollector;
  /** Index of this file in the collector. */
  readonly fileIndex: number;
  readonly intervalMs: number;
  readonly zone: ZoneClock;
  readonly format?: string | undefined;
  /** Source column (case-insensitive) → field; wins over the preset's names. */
  readonly map?: Readonly<Record<string, ImportField>> | undefined;
  readonly symbol?: string | undefined;
  readonly symbolColumn?: string | undefined;
  readonly label?: 'start' | 'end' | undefined;
  readonly unit?: TimestampUnit | undefined;
  /** Prices are multiplied by this (e.g. 0.0001 for deci-cent integers). Default 1. */
  readonly priceScale?: number | undefined;
  /** Called with the number of raw file bytes consumed, for progress bars. */
  readonly onBytes?: ((bytes: number) => void) | undefined;
}


/**
 * Stream one CSV file (`.gz` is decompressed on the fly) into `options.collector`, never
 * holding more than csv-parse's buffer: the preset is chosen from the first row unless
 * named, columns are resolved by header name (or position for header-less formats) with
 * `map` overrides, and each row's timestamp is parsed and shifted to the bar start. Rows
 * the collector refuses are counted there, with this file's line numbers.
 *
 * @throws ConfigError when a required column is missing or no symbol can be determined;
 *   DataError for unreadable or malformed CSV (naming the file and line).
 * @example
 * ```ts
 * const collector = new BarCollector({ intervalMs: 60_000 });
 * await readCsvBars('SPY.csv', { collector, fileIndex: collector.addFile('SPY.csv'), intervalMs: 60_000, zone: new ZoneClock('America/New_York'), symbol: 'SPY' });
 * ```
 */
export async function readCsvBars(file: string, options: CsvReadOptions): Promise<{ preset: string; rows: number }> {
  const { collector, fileIndex } = options;
  const parser = new TimestampParser({ zone: options.zone, unit: options.unit });
  const priceScale = options.priceScale ?? 1;
  let layout: ImportColumns | undefined;
  let shift = 0;
  let rows = 0;

  const onRecord = (record: string[], line: number): void => {
    if (!layout) {
      const preset = choosePreset(options.format, record);
      const header = preset.headerless ?? record;
      layout = resolveImportColumns(file, preset, header, options);
      shift = (options.label ?? preset.label) === 'end' ? options.intervalMs : 0;
      if (!preset.headerless) return;
    }
    rows++;
    const l = layout;
    if (record.length < l.width) {
      collector.reject('wrong_column_count', fileIndex, line, `${record.length} columns, expected at least ${l.width}`);
      return;
    }
    const symbol = l.fixedSymbol ?? record[l.symbol]!.trim();
    if (symbol.length === 0) {
      collector.reject('missing_symbol', fileIndex, line, 'empty symbol cell');
      return;
    }
    let ts: number;
    let raw: string;
    if (l.timestamp >= 0) {
      raw = record[l.timestamp]!.trim();
      ts = parser.parse(raw);
    } else {
      raw = `${record[l.date]} ${record[l.time]}`;
      ts = parser.parseDateTime(record[l.date]!.trim(), record[l.time]!.trim());
    }
    collector.add(
      symbol,
      ts - shift,
      cell(record[l.open]!) * priceScale,
      cell(record[l.high]!) * priceScale,
      cell(record[l.low]!) * priceScale,
      cell(record[l.close]!) * priceScale,
      cell(record[l.volume]!),
      fileIndex,
      line,
      raw,
    );
  };

  const csv = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    // Rows are consumed here and dropped (null), so no record objects pile up behind the stream.
    on_record: (record: string[], context) => {
      onRecord(record, context.lines);
      return null;
    },
  });
  csv.resume();
  const source = createReadStream(file);
  if (options.onBytes) source.on('data', (chunk) => options.onBytes!(chunk.length));
  try {
    if (file.endsWith('.gz')) await pipeline(source, createGunzip(), csv);
    else await pipeline(source, csv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(`cannot read CSV file ${quote(file)}: ${message}`, { file }, { cause: error });
  }
  if (!layout) throw new DataError(`CSV file ${quote(file)} is empty`, { file });
  return { preset: (layout as ImportColumns).preset.name, rows };
}

/** A numeric cell; empty or blank cells are `NaN`, not the `0` that `Number('')` gives. */
function cell(text: string): number {
  const x = +text;
  return x === 0 && text.trim() === '' ? Number.NaN : x;
}
