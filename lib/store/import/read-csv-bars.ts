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
import type { ZoneClock } from '../../calendar/zone-clock.ts';

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
  /** The field delimiter; default: detected from the first lines (tab, `;`, `,` or `|`). */
  readonly delimiter?: string | undefined;
}

/** Bytes read ahead to tell text from binary and to detect the delimiter. */
const SNIFF_BYTES = 64 * 1024;
/**
 * Delimiters tried, in order of preference when several split every sampled line the same
 * number of times: a semicolon file often has decimal commas, a tab file commas in names,
 * while a comma file rarely has a semicolon or a tab on every line.
 */
const DELIMITERS = ['\t', ';', ',', '|'];


/**
 * Stream one CSV file (`.gz` is decompressed on the fly) into `options.collector`, never
 * holding more than csv-parse's buffer: the preset is chosen from the first row unless
 * named, columns are resolved by header name (or position for header-less formats) with
 * `map` overrides, and each row's timestamp is parsed and shifted to the bar start. Rows
 * the collector refuses are counted there, with this file's line numbers. The first 64 KiB
 * are looked at first: a binary file (a NUL byte or many control characters; a Parquet, gzip
 * or ZIP file under a text name) is refused naming the file, and the delimiter is detected
 * (tab, `;`, `,` or `|`) unless `delimiter` is given.
 *
 * @throws ConfigError when a required column is missing or no symbol can be determined;
 *   DataError for unreadable, binary or malformed CSV (naming the file and line).
 * @example
 * ```ts
 * const collector = new BarCollector({ intervalMs: 60_000 });
 * await readCsvBars('SPY.csv', { collector, fileIndex: collector.addFile('SPY.csv'), intervalMs: 60_000, zone: new ZoneClock('America/New_York'), symbol: 'SPY' });
 * ```
 */
export async function readCsvBars(file: string, options: CsvReadOptions): Promise<{ preset: string; rows: number; delimiter: string }> {
  const { collector, fileIndex } = options;
  const head = await readHead(file);
  refuseBinary(file, head);
  const delimiter = options.delimiter ?? detectDelimiter(head);
  const parser = new TimestampParser({ zone: options.zone, unit: options.unit });
  const priceScale = options.priceScale ?? 1;
  let layout: ImportColumns | undefined;
  // Cells in the header row (0 for header-less formats): a row with more non-empty cells was
  // split where it should not have been (an unquoted decimal comma, `10,5`), so its cells no
  // longer line up with the header and would be read as the wrong fields.
  let headerWidth = 0;
  let shift = 0;
  let rows = 0;

  const onRecord = (record: string[], line: number): void => {
    if (!layout) {
      const preset = choosePreset(options.format, record);
      const header = preset.headerless ?? record;
      layout = resolveImportColumns(file, preset, header, options);
      shift = (options.label ?? preset.label) === 'end' ? options.intervalMs : 0;
      if (!preset.headerless) {
        headerWidth = record.length;
        return;
      }
    }
    rows++;
    const l = layout;
    if (record.length < l.width) {
      collector.reject('wrong_column_count', fileIndex, line, `${record.length} columns, expected at least ${l.width}`);
      return;
    }
    if (headerWidth > 0 && record.length > headerWidth && record.slice(headerWidth).some((c) => c.trim() !== '')) {
      collector.reject('wrong_column_count', fileIndex, line, `${record.length} columns, expected ${headerWidth} as in the header (an unquoted decimal comma or delimiter in a cell?)`);
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
    delimiter,
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
  return { preset: (layout as ImportColumns).preset.name, rows, delimiter };
}

/** The first {@link SNIFF_BYTES} of the file's text (decompressed for `.gz`). */
async function readHead(file: string): Promise<Buffer> {
  const source = createReadStream(file, file.endsWith('.gz') ? {} : { end: SNIFF_BYTES - 1 });
  const stream = file.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= SNIFF_BYTES) break;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(`cannot read CSV file ${quote(file)}: ${message}`, { file }, { cause: error });
  } finally {
    // Both: destroying the gunzip stream alone would leave the file open.
    stream.destroy();
    source.destroy();
  }
  return Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
}

/** Refuse a file that is not text, saying what it looks like when the signature tells. */
function refuseBinary(file: string, head: Buffer): void {
  const looks = (signature: number[]): boolean => signature.every((byte, i) => head[i] === byte);
  const hint = looks([0x50, 0x41, 0x52, 0x31])
    ? 'it is a Parquet file: give it a .parquet name'
    : looks([0x1f, 0x8b])
      ? 'it is gzip-compressed: give it a .csv.gz name'
      : looks([0x50, 0x4b, 0x03, 0x04])
        ? 'it is a ZIP archive (an Excel workbook or a zipped CSV?): extract or export it as CSV'
        : undefined;
  const nul = head.indexOf(0);
  let control = 0;
  for (const byte of head) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  // Text in any 8-bit encoding (Latin-1 names included) has next to no control characters.
  if (hint === undefined && nul < 0 && control <= head.length / 100) return;
  const why = hint ?? (nul >= 0 ? `a NUL byte at offset ${nul}` : `${control} control characters in the first ${head.length} bytes`);
  throw new DataError(`${quote(file)} is not a text file (${why}); import reads CSV or TXT text (optionally .gz) and .parquet files`, { file });
}

/**
 * The delimiter of the first lines: among {@link DELIMITERS}, the first that occurs (outside
 * double quotes) on the first line and the same number of times on each following complete
 * line sampled; else the one most frequent on the first line; `,` for a one-column file.
 */
function detectDelimiter(head: Buffer): string {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  // The last line may be cut by the sniff window; it is only trusted when the file ended there.
  const sample = (head.length >= SNIFF_BYTES && lines.length > 1 ? lines.slice(0, -1) : lines).slice(0, 20);
  if (sample.length === 0) return ',';
  const counts = DELIMITERS.map((d) => sample.map((line) => countOutsideQuotes(line, d)));
  const consistent = DELIMITERS.find((_, i) => counts[i]![0]! > 0 && counts[i]!.every((n) => n === counts[i]![0]));
  if (consistent !== undefined) return consistent;
  let best = ',';
  let most = 0;
  DELIMITERS.forEach((d, i) => {
    if (counts[i]![0]! > most) [best, most] = [d, counts[i]![0]!];
  });
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) n++;
  }
  return n;
}

/** A numeric cell; empty or blank cells are `NaN`, not the `0` that `Number('')` gives. */
function cell(text: string): number {
  const x = +text;
  return x === 0 && text.trim() === '' ? Number.NaN : x;
}
