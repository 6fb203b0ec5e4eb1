import { closeSync, fstatSync, openAsBlob, openSync, readSync } from 'node:fs';
import type { Batch, Column, DataType, Table } from '@uwdata/flechette';
import type { AsyncBuffer, FileMetaData, SchemaElement, Statistics } from 'hyparquet';
import type { ParquetFile as WasmParquetFile } from 'parquet-wasm';
import { ThriftCompact, type ThriftField, type ThriftList, type ThriftValue } from './thrift-compact.ts';
import { DataError } from '../errors.ts';
import type { TimestampUnit } from './types.ts';
import { lazyParquet } from './lazy-parquet.ts';

/** How a top-level Parquet column can be used by the store. */
export type ColumnKind = 'timestamp' | 'number' | 'string' | 'other';

/** One top-level column as described by the footer. */
export interface ColumnInfo {
  readonly name: string;
  /** Parquet physical type, e.g. `INT64`. */
  readonly physicalType: string;
  /** Logical type name (`TIMESTAMP`, `STRING`, …) or the converted type, if any. */
  readonly logicalType: string | undefined;
  readonly kind: ColumnKind;
  /** Unit carried by the file for TIMESTAMP (and INT96) columns; `undefined` for plain numbers. */
  readonly timeUnit: TimestampUnit | undefined;
  /**
   * For TIMESTAMP columns: `true` when the values are instants (UTC), `false` for naive
   * wall-clock times (`isAdjustedToUTC=false`) that the reader places in the store's zone.
   * Legacy `TIMESTAMP_MILLIS/MICROS` and INT96 count as UTC, as their writers meant them.
   */
  readonly adjustedToUTC: boolean | undefined;
  readonly nullable: boolean;
}

/**
 * Timestamp statistics of one row group in epoch ms, or `undefined` when the file has none
 * usable (missing, NaN, or an unconvertible type): unknown ranges are always read, never pruned.
 */
export type TimeRange = { readonly min: number; readonly max: number } | undefined;

/** A column the caller is going to read, with what it must look like. */
export interface ColumnRequirement {
  readonly name: string;
  /** Role shown in the error, e.g. `timestamp.column` or `columns.close`. */
  readonly role: string;
  readonly expect: 'timestamp' | 'number' | 'string';
  /** Configured unit for plain-number timestamp columns. */
  readonly unit?: TimestampUnit | undefined;
}

/** What {@link ParquetFile.read} should decode. */
export interface ReadRequest {
  /** Row-group indexes, ascending. */
  readonly rowGroups: readonly number[];
  /**
   * Columns wanted as `Float64Array`. A column with `timestamp: true` is converted to epoch ms
   * by its TIMESTAMP unit, or by `unit` for plain numbers.
   */
  readonly numeric: readonly { readonly name: string; readonly timestamp?: boolean; readonly unit?: TimestampUnit | undefined }[];
  /** Optional string equality filter (the multi-symbol case). */
  readonly match?: { readonly column: string; readonly value: string } | undefined;
  /**
   * Optional filter on several strings at once (loading many symbols from one file in one
   * decode): each row gets the index of its value in `values`, or -1.
   */
  readonly matchAny?: { readonly column: string; readonly values: readonly string[] } | undefined;
}

/** Decoded columns of the requested row groups, in file order. */
export interface ReadResult {
  readonly rows: number;
  /** Same order as {@link ReadRequest.numeric}; nulls are `NaN`. */
  readonly columns: Float64Array[];
  /** 1 where the `match` column equals the value; `undefined` when no match was asked. */
  readonly matches: Uint8Array | undefined;
  /** Per row, the index in `matchAny.values` of the row's value, or -1; `undefined` when not asked. */
  readonly slots?: Int32Array | undefined;
}

/** One decoded flat column of {@link ParquetFile.readValues}. */
export type PlainValue = number | bigint | string | boolean | Uint8Array | null;

/**
 * Bytes taken from disk by every {@link ParquetFile} in this process (footers, whole-file
 * reads and byte-range reads). Benchmarks reset and read it to prove that loading a session
 * touches only that session's row groups.
 *
 * @example
 * ```ts
 * PARQUET_IO.bytesRead = 0;
 * await reader.load('SPY', '1m', open, close, date);
 * console.log(PARQUET_IO.bytesRead);
 * ```
 */
export const PARQUET_IO = { bytesRead: 0, reads: 0 };

/** Options of {@link ParquetFile.open}. */
export interface ParquetFileOptions {
  /**
   * Files up to this size are read whole and decoded synchronously (fastest for per-day
   * files); larger files are read by byte range so only the selected row groups and columns
   * leave the disk (per-year files). Default 1 MiB.
   */
  readonly wholeFileMaxBytes?: number;
  /**
   * Read a small file whole at open and hand the bytes to the first read (one trip to the
   * disk for read-once files). Off for files whose footer is cached, so the cache holds no
   * data. Default true.
   */
  readonly prefetchSmall?: boolean;
}

const TWO32 = 4294967296;
const MS_PER: Record<TimestampUnit, { mul: number; div: number }> = {
  s: { mul: 1000, div: 1 },
  ms: { mul: 1, div: 1 },
  us: { mul: 1, div: 1_000 },
  ns: { mul: 1, div: 1_000_000 },
};
const PARQUET_UNIT: Record<string, TimestampUnit> = { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' };
const CONVERTED_UNIT: Record<string, TimestampUnit> = { TIMESTAMP_MILLIS: 'ms', TIMESTAMP_MICROS: 'us' };
const ARROW_UNIT: readonly TimestampUnit[] = ['s', 'ms', 'us', 'ns'];
const NUMERIC_PHYSICAL = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);
// flechette type ids (Arrow's Type enum), fixed by the Arrow format.
const ARROW_INT = 2;
const ARROW_FLOAT = 3;
const ARROW_UTF8 = 5;
const ARROW_TIMESTAMP = 10;
const ARROW_DECIMAL = 7;
const NS_PER_MS = 1_000_000n;
/** INT96 values outside years 0001-9999 are not timestamps a writer meant (Spark writes wrapped 64-bit overflows there). */
const INT96_MIN_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const INT96_MAX_MS = 253_402_300_800_000; // 10000-01-01T00:00:00Z

/**
 * One Parquet file: the footer (read once with hyparquet, which exposes row-group statistics
 * that parquet-wasm does not) plus column reads through parquet-wasm (DESIGN §4). Every
 * failure becomes a {@link DataError} naming the file, never a raw wasm or thrift error.
 *
 * @example
 * ```ts
 * const file = await ParquetFile.open('/data/1m/SPY/2013.parquet');
 * const ranges = file.timeRanges('ts');
 * const wanted = ranges.flatMap((r, i) => (!r || (r.max >= from && r.min < to) ? [i] : []));
 * const { columns: [ts, close] } = await file.read({ rowGroups: wanted, numeric: [{ name: 'ts', timestamp: true }, { name: 'close' }] });
 * ```
 */
export class ParquetFile {
  readonly path: string;
  /** File size when the footer was read; a different size means the file was rewritten. */
  readonly byteLength: number;
  /** Modification time when the footer was read. */
  readonly mtimeMs: number;
  readonly numRows: number;
  /** Rows per row group, by index. */
  readonly rowGroupRows: readonly number[];
  /**
   * The footer parsed by hyparquet: ~9× its bytes in heap (1.5 MB for a yearly file of 250
   * row groups), so a cached file drops it ({@link compact}) and keeps the bytes and what was
   * derived from them; it is parsed again only for what those do not answer (the fallback
   * reader, an interop read).
   */
  private parsed: FileMetaData | undefined;
  /** {@link compact} was called: derived figures do not keep the parsed footer alive. */
  private compacted = false;
  private readonly columnsByName: ReadonlyMap<string, ColumnInfo>;
  /** Top-level nested columns (LIST, MAP, struct) by name, with their kind, for refusals. */
  private readonly nestedByName: ReadonlyMap<string, string>;
  private readonly rangeCache = new Map<string, readonly TimeRange[]>();
  private readonly numberRangeCache = new Map<string, ReadonlyArray<{ readonly min: number; readonly max: number } | undefined>>();
  private readonly stringRangeCache = new Map<string, ReadonlyArray<{ readonly min: string; readonly max: string } | undefined>>();
  private readonly wholeFileMaxBytes: number;
  /** Footer length plus the 8-byte tail (length and magic). */
  private footerBytes = 8;
  /** The footer's bytes, kept (metadata, not data): the cut footer of compactImage is made from them. */
  private footerTail: Uint8Array | undefined;
  /** The footer decoded for {@link compactImage}, its row groups left as byte spans. */
  private footerTree: { fields: ThriftField[]; spans: Array<[number, number]> } | undefined;
  private wasmFile: Promise<WasmParquetFile> | undefined;
  /** The whole file, read by `open` for small files and handed to the first read (then dropped, so cached footers hold no data). */
  private pendingBytes: Uint8Array | undefined;

  private constructor(path: string, byteLength: number, mtimeMs: number, metadata: FileMetaData, options: ParquetFileOptions) {
    this.path = path;
    this.byteLength = byteLength;
    this.mtimeMs = mtimeMs;
    this.parsed = metadata;
    this.numRows = Number(metadata.num_rows);
    this.rowGroupRows = metadata.row_groups.map((group) => Number(group.num_rows));
    const described = describeColumns(metadata.schema);
    this.columnsByName = described.flat;
    this.nestedByName = described.nested;
    this.wholeFileMaxBytes = options.wholeFileMaxBytes ?? 1 << 20;
  }

  /** The parsed footer, parsed again from its bytes when {@link compact} dropped it. */
  private get metadata(): FileMetaData {
    if (this.parsed) return this.parsed;
    const tail = this.tail();
    try {
      this.parsed = lazyParquet.hyparquet().parquetMetadata((tail.buffer as ArrayBuffer).slice(tail.byteOffset, tail.byteOffset + tail.byteLength));
    } catch (cause) {
      throw new DataError(`corrupt Parquet footer: ${this.path}: ${messageOf(cause)}`, { file: this.path }, { cause });
    }
    return this.parsed;
  }

  /** The footer's bytes and the 8-byte tail, kept from now on (a copy, so a whole file's bytes can go). */
  private tail(): Uint8Array {
    if (this.footerTail) return this.footerTail;
    const tail = new Uint8Array(this.footerBytes);
    const whole = this.pendingBytes;
    if (whole) tail.set(whole.subarray(whole.length - this.footerBytes));
    else {
      const fd = openSync(this.path, 'r');
      try {
        readFully(fd, tail, this.byteLength - this.footerBytes);
      } finally {
        closeSync(fd);
      }
    }
    this.footerTail = tail;
    return tail;
  }

  /**
   * Shrink this file to what a cache should hold: the footer's bytes, the row-group sizes and
   * the ranges already derived, not the parsed footer tree: 62 KB of heap plus its 169 KB of
   * bytes for a yearly file of 250 row groups, against 1,354 KB parsed (a 500-symbol yearly
   * store's footers took ~700 MB). Reads that need the tree parse it again from the bytes.
   *
   * @example
   * ```ts
   * file.timeRanges('ts');
   * file.compact();
   * ```
   */
  compact(): void {
    this.tail();
    this.parsed = undefined;
    this.compacted = true;
  }

  /** Derive something from the parsed footer; a compacted file lets the tree go again afterwards. */
  private fromFooter<T>(derive: (metadata: FileMetaData) => T): T {
    const value = derive(this.metadata);
    if (this.compacted) this.parsed = undefined;
    return value;
  }

  /**
   * An estimate of the memory this file holds (for a cache bounded by bytes): its footer's
   * bytes, the parsed footer when present (~8× the bytes, measured on yearly files), the
   * decoded row-group index and the cached ranges.
   */
  get residentBytes(): number {
    const footer = this.footerBytes;
    // Measured on 200 yearly files (169 KB footers, 250 row groups): 1,354 KB of heap each
    // parsed, 62 KB compact (decoded top level, ranges) plus the 169 KB of footer bytes.
    return (this.footerTail ? footer : 0) + (this.parsed ? footer * 8 : 0) + (this.footerTree ? footer * 0.35 : 0) + this.rowGroupRows.length * 16 * (1 + this.rangeCache.size + this.numberRangeCache.size + this.stringRangeCache.size) + 2048;
  }

  /**
   * Read the footer of `path` (only its tail leaves the disk). Throws a {@link DataError} when
   * the file is missing, truncated or not Parquet.
   *
   * @example
   * ```ts
   * const file = await ParquetFile.open('/data/SPY/2013-10-07.parquet');
   * file.rowGroupRows.length; // 1
   * ```
   */
  static async open(path: string, options: ParquetFileOptions = {}): Promise<ParquetFile> {
    // Synchronous I/O on purpose: Phase 2 loads a day in one step anyway, and for the small
    // files of a per-day store a sync open+read costs a fraction of the async round trips.
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new DataError(`cannot open Parquet file ${path}: ${code ?? String(cause)}`, { file: path }, { cause });
    }
    try {
      const stat = fstatSync(fd);
      const size = stat.size;
      if (size < 12) throw new DataError(`not a Parquet file (only ${size} bytes): ${path}`, { file: path });
      const whole = options.prefetchSmall !== false && size <= (options.wholeFileMaxBytes ?? 1 << 20);
      // Small files are read whole once: the footer is parsed from the same bytes the first
      // read decodes, so each file leaves the disk once.
      const bytes = whole ? Buffer.allocUnsafe(size) : undefined;
      if (bytes) readFully(fd, bytes, 0);
      const end = bytes ? bytes.subarray(size - 8) : Buffer.alloc(8);
      if (!bytes) readFully(fd, end, size - 8);
      if (end.toString('latin1', 4) !== 'PAR1') throw new DataError(`not a Parquet file or truncated (no PAR1 footer magic): ${path}`, { file: path });
      const footerLength = end.readUInt32LE(0);
      if (footerLength + 12 > size) throw new DataError(`corrupt Parquet footer (length ${footerLength} exceeds file size ${size}): ${path}`, { file: path });
      // hyparquet locates the footer from the end of the buffer, so the tail alone suffices.
      const tail = bytes ? bytes.subarray(size - footerLength - 8) : Buffer.alloc(footerLength + 8);
      if (!bytes) readFully(fd, tail, size - tail.length);
      let metadata: FileMetaData;
      try {
        metadata = lazyParquet.hyparquet().parquetMetadata(tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.byteLength));
      } catch (cause) {
        throw new DataError(`corrupt Parquet footer: ${path}: ${messageOf(cause)}`, { file: path }, { cause });
      }
      const file = new ParquetFile(path, size, stat.mtimeMs, metadata, options);
      file.pendingBytes = bytes;
      file.footerBytes = footerLength + 8;
      file.footerTail = bytes ? undefined : tail;
      return file;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Names of the flat top-level columns, in file order (nested columns are not listed).
   *
   * @example
   * ```ts
   * file.columnNames; // ['ts', 'open', 'high', 'low', 'close', 'volume']
   * ```
   */
  get columnNames(): readonly string[] {
    return [...this.columnsByName.keys()];
  }

  /**
   * The top-level column `name`, or `undefined`.
   *
   * @example
   * ```ts
   * file.column('ts')?.timeUnit; // 'us'
   * ```
   */
  column(name: string): ColumnInfo | undefined {
    return this.columnsByName.get(name);
  }

  /**
   * The kind (`LIST`, `MAP`, `struct`) of a top-level nested column, which {@link column}
   * does not list; `undefined` for flat or absent columns.
   *
   * @example
   * ```ts
   * file.nestedKind('close'); // 'LIST' when close was written as a list of doubles
   * ```
   */
  nestedKind(name: string): string | undefined {
    return this.nestedByName.get(name);
  }

  /**
   * Check that every required column exists with a usable type; throws one {@link DataError}
   * naming the file, the column, its role and what was expected.
   *
   * @example
   * ```ts
   * file.requireColumns([{ name: 'ts', role: 'timestamp.column', expect: 'timestamp' }]);
   * ```
   */
  requireColumns(requirements: readonly ColumnRequirement[], where: { symbol?: string; date?: string } = {}): void {
    for (const req of requirements) {
      const info = this.columnsByName.get(req.name);
      const context = { ...where, file: this.path, column: req.name };
      const nested = this.nestedByName.get(req.name);
      if (nested) throw new DataError(`column "${req.name}" (${req.role}) in ${this.path} is a nested ${nested} column: expected a flat ${req.expect} column`, context);
      if (!info) {
        const names = [...this.columnsByName.keys()].join(', ');
        throw new DataError(`missing column "${req.name}" (${req.role}) in ${this.path}: expected a ${req.expect} column; the file has ${names}`, context);
      }
      const found = `${info.physicalType}${info.logicalType ? ` ${info.logicalType}` : ''}`;
      if (req.expect === 'timestamp') {
        if (info.kind === 'timestamp') continue;
        if (info.kind === 'number' && req.unit) continue;
        const expected = info.kind === 'number' ? 'a TIMESTAMP column, or set timestamp.unit for a plain number column' : 'a TIMESTAMP or integer column';
        throw new DataError(`column "${req.name}" (${req.role}) in ${this.path} is ${found}: expected ${expected}`, context);
      }
      if (req.expect === 'number' && info.kind !== 'number') {
        throw new DataError(`column "${req.name}" (${req.role}) in ${this.path} is ${found}: expected a numeric column (INT32, INT64, FLOAT or DOUBLE)`, context);
      }
      if (req.expect === 'string' && info.kind !== 'string') {
        throw new DataError(`column "${req.name}" (${req.role}) in ${this.path} is ${found}: expected a string column`, context);
      }
    }
  }

  /**
   * Timestamp range of each row group in epoch ms for column `name` (cached). Ranges are
   * widened by 1 ms at the top because hyparquet truncates sub-ms statistics to a `Date`.
   *
   * @example
   * ```ts
   * file.timeRanges('ts')[0]; // { min: 1380873960000, max: 1381256520001 }
   * ```
   */
  timeRanges(name: string, unit?: TimestampUnit): readonly TimeRange[] {
    const key = `${name}\0${unit ?? ''}`;
    const cached = this.rangeCache.get(key);
    if (cached) return cached;
    const info = this.columnsByName.get(name);
    const statsUnit = info?.timeUnit ?? unit;
    const ranges = this.fromFooter((metadata) => metadata.row_groups.map((group): TimeRange => {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
      const stats = chunk?.meta_data?.statistics;
      // INT96 statistics use a sort order writers never agreed on: do not trust them.
      if (!stats || !info || info.physicalType === 'INT96') return undefined;
      const min = statToMs(stats.min_value ?? stats.min, statsUnit);
      const max = statToMs(stats.max_value ?? stats.max, statsUnit);
      if (Number.isNaN(min) || Number.isNaN(max) || min > max) return undefined;
      return { min, max: max + 1 };
    }));
    this.rangeCache.set(key, ranges);
    return ranges;
  }

  /**
   * Min/max of a numeric column per row group, or `undefined` where the statistics cannot be
   * trusted for pruning: missing, or NaN (writers disagree on whether NaN takes part in the
   * ordering, so a NaN bound says nothing about the other values).
   *
   * @example
   * ```ts
   * file.numberRanges('close')[0]; // { min: 167.29, max: 168.37 }
   * ```
   */
  numberRanges(name: string): ReadonlyArray<{ readonly min: number; readonly max: number } | undefined> {
    const cached = this.numberRangeCache.get(name);
    if (cached) return cached;
    const info = this.columnsByName.get(name);
    const ranges = this.fromFooter((metadata) => metadata.row_groups.map((group) => {
      const stats = this.chunkStatistics(group, name);
      if (!stats || !info || info.kind !== 'number') return undefined;
      const low = stats.min_value ?? stats.min;
      const high = stats.max_value ?? stats.max;
      if ((typeof low !== 'number' && typeof low !== 'bigint') || (typeof high !== 'number' && typeof high !== 'bigint')) return undefined;
      const min = Number(low);
      const max = Number(high);
      if (Number.isNaN(min) || Number.isNaN(max) || min > max) return undefined;
      return { min, max };
    }));
    this.numberRangeCache.set(name, ranges);
    return ranges;
  }

  /**
   * Min/max of a string column per row group (the symbol column of a multi-symbol file, for
   * pruning by symbol when the file is sorted), or `undefined` when absent. Only the exact
   * `min_value`/`max_value` fields are used: the deprecated `min`/`max` were written with a
   * signed byte order by old writers.
   *
   * @example
   * ```ts
   * file.stringRanges('symbol')[0]; // { min: 'AAPL', max: 'MSFT' }
   * ```
   */
  stringRanges(name: string): ReadonlyArray<{ readonly min: string; readonly max: string } | undefined> {
    const cached = this.stringRangeCache.get(name);
    if (cached) return cached;
    const info = this.columnsByName.get(name);
    const ranges = this.fromFooter((metadata) => metadata.row_groups.map((group) => {
      const stats = this.chunkStatistics(group, name);
      if (!stats || info?.kind !== 'string') return undefined;
      const { min_value: min, max_value: max } = stats;
      return typeof min === 'string' && typeof max === 'string' && min <= max ? { min, max } : undefined;
    }));
    this.stringRangeCache.set(name, ranges);
    return ranges;
  }

  private chunkStatistics(group: FileMetaData['row_groups'][number], name: string): Statistics | undefined {
    const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
    return chunk?.meta_data?.statistics;
  }

  /**
   * Decode the requested row groups and columns into `Float64Array`s (nulls become `NaN` so
   * validation rejects them). Throws a {@link DataError} naming the file for corrupt data.
   *
   * @example
   * ```ts
   * const { rows, columns: [ts] } = await file.read({ rowGroups: [0], numeric: [{ name: 'ts', timestamp: true }] });
   * ```
   */
  async read(request: ReadRequest): Promise<ReadResult> {
    this.checkRowGroups(request.rowGroups);
    const rows = request.rowGroups.reduce((sum, index) => sum + this.rowGroupRows[index]!, 0);
    if (rows === 0) {
      return { rows: 0, columns: request.numeric.map(() => new Float64Array(0)), matches: request.match ? new Uint8Array(0) : undefined, slots: request.matchAny ? new Int32Array(0) : undefined };
    }
    // INT96 goes through hyparquet: parquet-wasm folds it into 64-bit nanoseconds, which
    // silently wraps outside 1677-2262.
    const int96 = new Set(request.numeric.filter((c) => this.columnsByName.get(c.name)?.physicalType === 'INT96').map((c) => c.name));
    const names = request.numeric.map((c) => c.name).filter((name) => !int96.has(name));
    if (request.match) names.push(request.match.column);
    if (request.matchAny) names.push(request.matchAny.column);
    let table: Promise<Table> | undefined;
    if (names.length > 0) {
      table = this.decodeTable(request.rowGroups, [...new Set(names)], rows);
      const fallback = await table.then(() => undefined, (error: unknown) => error);
      if (fallback !== undefined) return this.readWithHyparquet(request, rows, fallback);
    }
    const columns: Float64Array[] = [];
    for (const spec of request.numeric) {
      if (int96.has(spec.name)) {
        columns.push(await this.readInt96(spec.name, request.rowGroups, rows));
        continue;
      }
      const column = (await table)!.getChild(spec.name);
      if (!column) throw new DataError(`missing column "${spec.name}" in decoded data of ${this.path}`, { file: this.path, column: spec.name });
      columns.push(toFloat64(column, spec.name, rows, spec.timestamp ? spec.unit : undefined, spec.timestamp === true, this.path));
    }
    let matches: Uint8Array | undefined;
    if (request.match) {
      const column = (await table)!.getChild(request.match.column);
      if (!column) throw new DataError(`missing column "${request.match.column}" in decoded data of ${this.path}`, { file: this.path, column: request.match.column });
      matches = matchString(column, rows, request.match.value);
    }
    let slots: Int32Array | undefined;
    if (request.matchAny) {
      const column = (await table)!.getChild(request.matchAny.column);
      if (!column) throw new DataError(`missing column "${request.matchAny.column}" in decoded data of ${this.path}`, { file: this.path, column: request.matchAny.column });
      slots = matchStrings(column, rows, request.matchAny.values);
    }
    return { rows, columns, matches, slots };
  }

  /**
   * Decode flat columns of the whole file (or of `rowGroups`) into plain JS values, the
   * generic layer used for interop checks: INT32/FLOAT/DOUBLE as numbers, INT64 as `bigint`,
   * TIMESTAMP and INT96 as epoch ms (`number`, fractional below a millisecond), strings,
   * booleans, binary as `Uint8Array`, nulls as `null`. A column the store cannot read
   * faithfully is refused with a {@link DataError} naming the file, the column and the
   * unsupported feature (nested LIST/MAP/struct, DECIMAL, INT96 outside years 0001-9999, …),
   * never returned with wrong values.
   *
   * @example
   * ```ts
   * const { rows, values } = await file.readValues(['id', 'string_col']);
   * values.get('string_col')?.[0]; // '0'
   * ```
   */
  async readValues(names?: readonly string[], rowGroups?: readonly number[]): Promise<{ rows: number; values: Map<string, PlainValue[]> }> {
    const wanted = names ?? [...this.columnsByName.keys(), ...this.nestedByName.keys()];
    for (const name of wanted) {
      const nested = this.nestedByName.get(name);
      if (nested) throw new DataError(`unsupported feature in ${this.path}: column "${name}" is a nested ${nested} column; only flat columns can be read`, { file: this.path, column: name });
      const info = this.columnsByName.get(name);
      if (!info) throw new DataError(`missing column "${name}" in ${this.path}; the file has ${[...this.columnsByName.keys()].join(', ')}`, { file: this.path, column: name });
      if (info.logicalType === 'DECIMAL') throw new DataError(`unsupported feature in ${this.path}: column "${name}" is DECIMAL (${info.physicalType}); decimals are not converted to numbers`, { file: this.path, column: name });
      if (info.logicalType === 'INTERVAL') throw new DataError(`unsupported feature in ${this.path}: column "${name}" is INTERVAL`, { file: this.path, column: name });
    }
    const groups = rowGroups ?? this.rowGroupRows.map((_, i) => i);
    this.checkRowGroups(groups);
    const rows = groups.reduce((sum, index) => sum + this.rowGroupRows[index]!, 0);
    const values = new Map<string, PlainValue[]>();
    const viaWasm = wanted.filter((name) => this.columnsByName.get(name)!.physicalType !== 'INT96');
    let table: Table | undefined;
    try {
      table = rows > 0 && viaWasm.length > 0 ? await this.decodeTable(groups, viaWasm, rows) : undefined;
    } catch (error) {
      const decoded = await this.hyparquetColumns(viaWasm, groups, rows, error);
      for (const name of viaWasm) {
        const info = this.columnsByName.get(name)!;
        values.set(name, decoded.get(name)!.map((v) => (v === undefined || v === null || (info.kind === 'timestamp' && Number.isNaN(v)) ? null : (v as PlainValue))));
      }
    }
    for (const name of wanted) {
      if (values.has(name)) continue;
      const info = this.columnsByName.get(name)!;
      if (rows === 0) {
        values.set(name, []);
      } else if (info.physicalType === 'INT96') {
        values.set(name, Array.from(await this.readInt96(name, groups, rows), (v) => (v === v ? v : null)));
      } else {
        const column = table!.getChild(name);
        if (!column) throw new DataError(`missing column "${name}" in decoded data of ${this.path}`, { file: this.path, column: name });
        values.set(name, plainValues(column, info, rows, this.path));
      }
    }
    return { rows, values };
  }

  /**
   * Release the wasm-side file handle, if a ranged read opened one.
   *
   * @example
   * ```ts
   * file.close();
   * ```
   */
  close(): void {
    const pending = this.wasmFile;
    this.wasmFile = undefined;
    pending?.then((f) => f.free(), () => undefined).catch(() => undefined);
  }

  /**
   * The fallback reader (DESIGN §4): hyparquet decodes what parquet-wasm refused (e.g. a
   * dictionary page at offset 0). Timestamps come back as epoch ms; a file both readers
   * refuse is a {@link DataError} quoting both reasons.
   */
  private async hyparquetColumns(names: readonly string[], rowGroups: readonly number[], rows: number, wasmError: unknown): Promise<Map<string, unknown[]>> {
    const file = this.asyncBuffer();
    const out = new Map<string, unknown[]>(names.map((name) => [name, []]));
    const toMs = (value: bigint, perMs: bigint): number => {
      const whole = value / perMs;
      return Number(whole) + Number(value - whole * perMs) / Number(perMs);
    };
    try {
      for (const group of rowGroups) {
        const rowStart = this.rowGroupRows.slice(0, group).reduce((a, b) => a + b, 0);
        const objects = await lazyParquet.hyparquet().parquetReadObjects({
          file,
          metadata: this.metadata,
          columns: [...names],
          rowStart,
          rowEnd: rowStart + this.rowGroupRows[group]!,
          compressors: lazyParquet.compressors(),
          utf8: false,
          parsers: { timestampFromMilliseconds: (v: bigint) => Number(v), timestampFromMicroseconds: (v: bigint) => toMs(v, 1000n), timestampFromNanoseconds: (v: bigint) => toMs(v, NS_PER_MS), stringFromBytes: (b: Uint8Array) => b && new TextDecoder().decode(b) },
        });
        for (const row of objects) for (const name of names) out.get(name)!.push((row as Record<string, unknown>)[name]);
      }
    } catch (cause) {
      const column = names.length > 1 ? await this.firstUnreadable(names, rowGroups) : names[0];
      const which = column === undefined ? '' : ` column "${column}" of`;
      throw new DataError(`cannot read${which} Parquet data of ${this.path} (corrupt or unsupported: expected readable ${column === undefined ? 'pages' : `pages of "${column}"`}): ${messageOf(wasmError)}; the fallback reader failed too: ${messageOf(cause)}`, { file: this.path, ...(column === undefined ? {} : { column }) }, { cause });
    }
    for (const [name, values] of out) {
      if (values.length !== rows) throw new DataError(`${this.path}: column "${name}" has ${values.length} values, expected ${rows}`, { file: this.path, column: name });
    }
    return out;
  }

  /** After a failed read, the first of `names` that cannot be decoded on its own (error path only). */
  private async firstUnreadable(names: readonly string[], rowGroups: readonly number[]): Promise<string | undefined> {
    const file = this.asyncBuffer();
    for (const name of names) {
      for (const group of rowGroups) {
        const rowStart = this.rowGroupRows.slice(0, group).reduce((a, b) => a + b, 0);
        try {
          await lazyParquet.hyparquet().parquetReadObjects({ file, metadata: this.metadata, columns: [name], rowStart, rowEnd: rowStart + this.rowGroupRows[group]!, compressors: lazyParquet.compressors(), utf8: false });
        } catch {
          return name;
        }
      }
    }
    return undefined;
  }

  private async readWithHyparquet(request: ReadRequest, rows: number, wasmError: unknown): Promise<ReadResult> {
    const names = [...new Set([...request.numeric.map((c) => c.name), ...(request.match ? [request.match.column] : []), ...(request.matchAny ? [request.matchAny.column] : [])])];
    const decoded = await this.hyparquetColumns(names, request.rowGroups, rows, wasmError);
    const columns = request.numeric.map((spec) => {
      const info = this.columnsByName.get(spec.name);
      const { mul, div } = spec.timestamp && info?.kind !== 'timestamp' && spec.unit ? MS_PER[spec.unit] : MS_PER.ms;
      return Float64Array.from(decoded.get(spec.name)!, (v) => (typeof v === 'number' || typeof v === 'bigint' ? (Number(v) * mul) / div : Number.NaN));
    });
    const matches = request.match ? Uint8Array.from(decoded.get(request.match.column)!, (v) => (v === request.match!.value ? 1 : 0)) : undefined;
    let slots: Int32Array | undefined;
    if (request.matchAny) {
      const index = new Map(request.matchAny.values.map((v, i) => [v, i] as const));
      slots = Int32Array.from(decoded.get(request.matchAny.column)!, (v) => (typeof v === 'string' ? (index.get(v) ?? -1) : -1));
    }
    return { rows, columns, matches, slots };
  }

  private checkRowGroups(rowGroups: readonly number[]): void {
    for (const index of rowGroups) {
      // Out-of-range indexes make parquet-wasm trap ("unreachable"), which can poison the
      // wasm instance, so they are refused before the call.
      if (!Number.isInteger(index) || index < 0 || index >= this.rowGroupRows.length) {
        throw new DataError(`row group ${index} does not exist in ${this.path} (it has ${this.rowGroupRows.length})`, { file: this.path });
      }
    }
  }

  private async decodeTable(rowGroups: readonly number[], names: string[], rows: number): Promise<Table> {
    const ipc = await this.readIpc([...rowGroups], names);
    let table: Table;
    try {
      // Raw int64 values: the typed conversion below is exact and allocation-free, unlike
      // flechette's per-value BigInt path.
      table = lazyParquet.arrow().tableFromIPC(ipc, { useBigInt: true, useBigIntTimestamp: true });
    } catch (cause) {
      throw new DataError(`cannot decode Arrow data of ${this.path}: ${messageOf(cause)}`, { file: this.path }, { cause });
    }
    if (table.numRows !== rows) {
      throw new DataError(`${this.path}: decoded ${table.numRows} rows, footer says ${rows}`, { file: this.path });
    }
    return table;
  }

  /**
   * INT96 (legacy Impala/Spark timestamps: Julian day + nanoseconds of day) to epoch ms,
   * exactly, through hyparquet's BigInt path. Values outside years 0001-9999 are refused:
   * Spark writes such values as wrapped 64-bit overflows that no reader can place in time.
   */
  private async readInt96(name: string, rowGroups: readonly number[], rows: number): Promise<Float64Array> {
    const out = new Float64Array(rows);
    const file = this.asyncBuffer();
    let at = 0;
    for (const group of rowGroups) {
      const rowStart = this.rowGroupRows.slice(0, group).reduce((a, b) => a + b, 0);
      const rowEnd = rowStart + this.rowGroupRows[group]!;
      let decoded: unknown[];
      try {
        const objects = await lazyParquet.hyparquet().parquetReadObjects({ file, metadata: this.metadata, columns: [name], rowStart, rowEnd, compressors: lazyParquet.compressors(), parsers: { timestampFromNanoseconds: (ns: bigint) => ns } });
        decoded = objects.map((row) => (row as Record<string, unknown>)[name]);
      } catch (cause) {
        throw new DataError(`cannot read INT96 column "${name}" of ${this.path}: ${messageOf(cause)}`, { file: this.path, column: name }, { cause });
      }
      if (decoded.length !== rowEnd - rowStart) throw new DataError(`${this.path}: column "${name}" has ${decoded.length} values in row group ${group}, expected ${rowEnd - rowStart}`, { file: this.path, column: name });
      for (let i = 0; i < decoded.length; i++) {
        const ns = decoded[i];
        if (typeof ns !== 'bigint') {
          out[at++] = Number.NaN;
          continue;
        }
        // Split before converting so sub-millisecond digits survive the trip to a double.
        const whole = ns / NS_PER_MS;
        const ms = Number(whole) + Number(ns - whole * NS_PER_MS) / 1e6;
        if (!(ms >= INT96_MIN_MS && ms < INT96_MAX_MS)) {
          throw new DataError(`unsupported feature in ${this.path}: INT96 timestamp in column "${name}" (row ${rowStart + i}) lies outside years 0001-9999 (a wrapped 64-bit overflow as written by Spark), so it cannot be placed in time`, { file: this.path, column: name });
        }
        out[at++] = ms;
      }
    }
    return out;
  }

  /** hyparquet's view of the file: synchronous positioned reads, counted in {@link PARQUET_IO}. */
  private asyncBuffer(): AsyncBuffer {
    const path = this.path;
    return {
      byteLength: this.byteLength,
      slice(start: number, end?: number): ArrayBuffer {
        const fd = openSync(path, 'r');
        try {
          const bytes = new Uint8Array((end ?? fstatSync(fd).size) - start);
          readFully(fd, bytes, start);
          return bytes.buffer;
        } finally {
          closeSync(fd);
        }
      },
    };
  }

  /**
   * A small Parquet file holding only `rowGroups`: their column chunks copied back to back
   * and a footer cut down to them (offsets moved, page-index and bloom-filter references
   * dropped, num_rows updated). The decoder parses a footer on every call, and a yearly file's
   * footer lists ~250 row groups: reading one session through the whole footer cost ~0.2 ms
   * for 21 row groups and grows with the file; through the cut footer it costs the same for
   * any file size, and nothing else of the file is copied. Returns undefined for a footer it
   * cannot cut (row group count not matching the parsed metadata).
   */
  private compactImage(rowGroups: readonly number[]): Uint8Array | undefined {
    const whole = this.pendingBytes;
    // Kept for the next reads of this file.
    const footerBytes = this.tail().subarray(0, this.footerBytes - 8);
    // Decoded once per file; row groups stay bytes until chosen.
    this.footerTree ??= ThriftCompact.decodeSkippingList(footerBytes, 4);
    const { fields: meta, spans } = this.footerTree;
    const groupsField = ThriftCompact.field(meta, 4);
    if (!groupsField || !ThriftCompact.field(meta, 3) || spans.length !== this.rowGroupRows.length) return undefined;
    const groups = groupsField.value as ThriftList;
    const chosen: ThriftField[][] = [];
    const copies: Array<{ from: number; length: number; to: number }> = [];
    let at = 4;
    let rows = 0;
    for (const index of rowGroups) {
      const [from, to] = spans[index]!;
      const group = ThriftCompact.decode(footerBytes.subarray(from, to)).filter((f) => f.id !== 7); // ordinal: an index into the old list
      const columns = ThriftCompact.field(group, 1)!.value as ThriftList;
      const movedColumns: ThriftValue[] = [];
      let groupStart = -1;
      for (const chunk of columns.items as ThriftField[][]) {
        const metaField = ThriftCompact.field(chunk, 3);
        if (!metaField) return undefined;
        const columnMeta = metaField.value as ThriftField[];
        const num = (id: number): number | undefined => {
          const f = ThriftCompact.field(columnMeta, id);
          return f === undefined ? undefined : Number(f.value as number | bigint);
        };
        const data = num(9)!;
        const dictionary = num(11);
        const size = num(7)!;
        // A dictionary offset of 0 (a known writer bug) points at the magic, not at a page.
        const start = dictionary !== undefined && dictionary > 0 && dictionary < data ? dictionary : data;
        const shift = at - start;
        copies.push({ from: start, length: size, to: at });
        if (groupStart < 0) groupStart = at;
        at += size;
        const movedMeta = columnMeta
          .filter((f) => f.id !== 10 && f.id !== 14 && f.id !== 15) // index page, bloom filter
          .map((f) => (f.id === 9 || (f.id === 11 && dictionary !== undefined && dictionary > 0) ? { ...f, value: Number(f.value as number | bigint) + shift } : f));
        if (dictionary === 0) {
          const i = movedMeta.findIndex((f) => f.id === 11);
          if (i >= 0) movedMeta.splice(i, 1);
        }
        const movedChunk: ThriftField[] = [];
        for (const f of chunk) {
          if (f.id === 1) movedChunk.push(f);
          else if (f.id === 2) movedChunk.push({ ...f, value: at }); // deprecated file_offset: just past the chunk
          else if (f.id === 3) movedChunk.push({ ...f, value: movedMeta });
          // 4-7 (offset and column index) and 8-9 (encryption) point into the old file: dropped.
        }
        movedColumns.push(movedChunk);
      }
      rows += Number(ThriftCompact.field(group, 3)!.value as number | bigint);
      chosen.push(group.map((f) => (f.id === 1 ? { ...f, value: { elementType: columns.elementType, items: movedColumns } } : f.id === 5 ? { ...f, value: groupStart } : f)));
    }
    const footer = ThriftCompact.encode(meta.map((f) => (f.id === 3 ? { ...f, value: rows } : f.id === 4 ? { ...f, value: { elementType: groups.elementType, items: chosen } } : f)));
    const image = new Uint8Array(at + footer.length + 8);
    image.set([0x50, 0x41, 0x52, 0x31]); // "PAR1"
    if (whole) {
      for (const { from, length, to } of copies) image.set(whole.subarray(from, from + length), to);
      this.pendingBytes = undefined;
    }
    const fd = whole ? -1 : openSync(this.path, 'r');
    try {
      // Chunks of one row group are usually adjacent in the file: one read per run of them.
      for (let i = 0; !whole && i < copies.length; ) {
        let j = i + 1;
        while (j < copies.length && copies[j]!.from === copies[j - 1]!.from + copies[j - 1]!.length) j++;
        const last = copies[j - 1]!;
        readFully(fd, image.subarray(copies[i]!.to, last.to + last.length), copies[i]!.from);
        i = j;
      }
    } finally {
      if (fd >= 0) closeSync(fd);
    }
    image.set(footer, at);
    new DataView(image.buffer, image.byteOffset + at + footer.length, 4).setUint32(0, footer.length, true);
    image.set([0x50, 0x41, 0x52, 0x31], at + footer.length + 4);
    return image;
  }

  private async readIpc(rowGroups: number[], columns: string[]): Promise<Uint8Array> {
    const all = rowGroups.length === this.rowGroupRows.length;
    // One record batch for the whole read (the decoder's default is 1,024 rows): each column
    // then arrives as one array, which a double column hands on without a copy (toFloat64).
    const batchSize = Math.max(1, rowGroups.reduce((sum, g) => sum + this.rowGroupRows[g]!, 0));
    try {
      // The cut footer costs JS work per chosen row group and saves wasm work per row group
      // of the file, so it pays when few of many are read (a session or a read-ahead out of a
      // yearly file): 130 vs 250 µs for 1 of 21 row groups, but 1.0 vs 0.7 ms for 11 of 21.
      if (!all && rowGroups.length * 4 <= this.rowGroupRows.length) {
        try {
          const compact = this.compactImage(rowGroups);
          if (compact) return lazyParquet.wasm().readParquet(compact, { columns, batchSize }).intoIPCStream();
        } catch {
          // A footer this cut cannot handle (or a writer that put something the decoder needs
          // outside the column chunks): the reads below.
        }
      }
      // A small file (at most wholeFileMaxBytes) is read whole: reading only the chosen chunks
      // into a zero-filled image of it took as long (`npm run bench:read-paths`, 0.4 MB file:
      // 1.34 ms either way for 21 of 33 row groups, 1.95 against 1.85 ms for all), so that
      // path was folded into this one.
      if (all || this.byteLength <= this.wholeFileMaxBytes) {
        const bytes = this.pendingBytes ?? readWhole(this.path);
        this.pendingBytes = undefined;
        if (bytes.length !== this.byteLength) throw new Error(`file changed size since its footer was read (${this.byteLength} → ${bytes.length} bytes)`);
        // parquet-wasm 0.8 ignores `columns` in the synchronous reader; passing it keeps the
        // intent and costs nothing. Only the requested columns are converted below.
        return lazyParquet.wasm().readParquet(bytes, all ? { columns, batchSize } : { rowGroups, columns, batchSize }).intoIPCStream();
      }
      // A large file, more than a quarter of its row groups (or a footer the cut cannot
      // handle): ranged reads through the decoder keep the file out of memory. Slower than
      // the cut footer (2.7 MB yearly file, 21 sessions: 4.5 against 1.6 ms) and than a whole
      // read (all 219 row groups: 48 against 12 ms), but bounded by the row groups read.
      this.wasmFile ??= openAsBlob(this.path).then((blob) => lazyParquet.wasm().ParquetFile.fromFile(countingBlob(blob)));
      const file = await this.wasmFile;
      const table = await file.read({ rowGroups, columns, batchSize });
      return table.intoIPCStream();
    } catch (cause) {
      if (cause instanceof DataError) throw cause;
      throw new DataError(`cannot read Parquet data of ${this.path}: ${messageOf(cause)}`, { file: this.path }, { cause });
    }
  }
}

/**
 * The file as parquet-wasm sees it for ranged reads, with every slice it takes counted in
 * {@link PARQUET_IO} (the wasm reader only calls `size` and `slice`).
 */
function countingBlob(blob: Blob): Blob {
  const counting = Object.create(blob) as Blob & { slice: Blob['slice'] };
  Object.defineProperty(counting, 'size', { get: () => blob.size });
  counting.slice = (start?: number, end?: number, type?: string): Blob => {
    const part = blob.slice(start, end, type);
    PARQUET_IO.bytesRead += part.size;
    PARQUET_IO.reads++;
    return part;
  };
  return counting;
}

function readFully(fd: number, target: Uint8Array, position: number): void {
  PARQUET_IO.bytesRead += target.length;
  PARQUET_IO.reads++;
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of file after ${position + done} bytes`);
    done += n;
  }
}

/**
 * A whole file's bytes in a buffer reused from read to read: the decoder copies its input into
 * wasm memory at once, so nothing keeps these bytes, and a fresh ~0.5 MB buffer per read was
 * external memory churn that the garbage collector paid for (the caller must not keep them).
 */
function readWhole(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    // A big file gets its own buffer, so the scratch never pins more than WHOLE_SCRATCH_MAX.
    if (size > WHOLE_SCRATCH_MAX) {
      const own = Buffer.allocUnsafe(size);
      readFully(fd, own, 0);
      return own;
    }
    if (wholeScratch.length < size) wholeScratch = new Uint8Array(Math.min(WHOLE_SCRATCH_MAX, Math.max(size, wholeScratch.length * 2)));
    const bytes = wholeScratch.subarray(0, size);
    readFully(fd, bytes, 0);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

let wholeScratch = new Uint8Array(0);
const WHOLE_SCRATCH_MAX = 16 << 20;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Top-level leaf columns by name; nested groups are walked past but not offered (only named, so a request for one is refused clearly). */
function describeColumns(schema: readonly SchemaElement[]): { flat: Map<string, ColumnInfo>; nested: Map<string, string> } {
  const out = new Map<string, ColumnInfo>();
  const nested = new Map<string, string>();
  const root = schema[0];
  let index = 1;
  // Depth-first walk: each group element is followed by its children.
  const skip = (): void => {
    const element = schema[index++];
    for (let i = 0; i < (element?.num_children ?? 0); i++) skip();
  };
  for (let child = 0; child < (root?.num_children ?? 0) && index < schema.length; child++) {
    const element = schema[index]!;
    if (element.num_children) {
      nested.set(element.name, element.logical_type?.type ?? element.converted_type ?? 'STRUCT');
      skip();
      continue;
    }
    index++;
    // A repeated leaf is a legacy one-level list: nested data too.
    if (element.repetition_type === 'REPEATED') nested.set(element.name, 'repeated field');
    else out.set(element.name, describeLeaf(element));
  }
  return { flat: out, nested };
}

function describeLeaf(element: SchemaElement): ColumnInfo {
  const physicalType = element.type ?? 'UNKNOWN';
  const logical = element.logical_type;
  const logicalType = logical?.type ?? element.converted_type;
  let kind: ColumnKind = 'other';
  let timeUnit: TimestampUnit | undefined;
  let adjustedToUTC: boolean | undefined;
  if (logical?.type === 'TIMESTAMP') {
    kind = 'timestamp';
    timeUnit = PARQUET_UNIT[logical.unit];
    adjustedToUTC = logical.isAdjustedToUTC;
  } else if (element.converted_type && CONVERTED_UNIT[element.converted_type]) {
    kind = 'timestamp';
    timeUnit = CONVERTED_UNIT[element.converted_type];
    adjustedToUTC = true;
  } else if (physicalType === 'INT96') {
    kind = 'timestamp';
    timeUnit = 'ns';
    adjustedToUTC = true;
  } else if (logicalType === 'STRING' || logicalType === 'UTF8' || logicalType === 'ENUM') {
    kind = 'string';
  } else if (NUMERIC_PHYSICAL.has(physicalType) && (logicalType === undefined || logicalType === 'INTEGER' || logicalType.startsWith('INT_') || logicalType.startsWith('UINT_'))) {
    kind = 'number';
  }
  return { name: element.name, physicalType, logicalType, kind, timeUnit, adjustedToUTC, nullable: element.repetition_type !== 'REQUIRED' };
}

function statToMs(value: Statistics['min'], unit: TimestampUnit | undefined): number {
  if (value instanceof Date) return value.getTime();
  if ((typeof value !== 'bigint' && typeof value !== 'number') || !unit) return Number.NaN;
  const { mul, div } = MS_PER[unit];
  if (typeof value === 'bigint') return div === 1 ? Number(value) * mul : Number(value / BigInt(div));
  return (value * mul) / div;
}

/**
 * Copy one Arrow column into a Float64Array, scaling timestamps to epoch ms. `unit` applies to
 * plain numbers only; Arrow timestamps use their own unit.
 */
function toFloat64(column: Column<unknown>, name: string, rows: number, unit: TimestampUnit | undefined, timestamp: boolean, file: string): Float64Array {
  const type = column.type as DataType & { typeId: number; unit?: number; bitWidth?: number; signed?: boolean; precision?: number };
  let scale = MS_PER.ms;
  if (timestamp) {
    if (type.typeId === ARROW_TIMESTAMP) scale = MS_PER[ARROW_UNIT[type.unit ?? 1] ?? 'ms'];
    else if (unit) scale = MS_PER[unit];
  }
  const direct = type.typeId === ARROW_TIMESTAMP || type.typeId === ARROW_INT || (type.typeId === ARROW_FLOAT && (type.precision ?? 0) > 0);
  const batches = column.data as Batch<unknown>[];
  if (batches.length === 1 && batches[0]!.nullCount === 0 && scale.mul === scale.div) {
    // The usual double column read in one batch: its values already are the answer. A view
    // of the decoded Arrow buffer, owned by this read alone, so no copy is needed.
    const values = (batches[0] as unknown as { values?: unknown }).values;
    if (direct && values instanceof Float64Array && values.length === rows) return values;
  }
  const out = new Float64Array(rows);
  let offset = 0;
  for (const batch of batches) {
    const n = batch.length;
    const values = (batch as unknown as { values?: ArrayLike<number | bigint> }).values;
    if (direct && (values instanceof BigInt64Array || values instanceof BigUint64Array)) {
      int64Into(values, values instanceof BigInt64Array, n, out, offset, scale.mul, scale.div);
    } else if (direct && ArrayBuffer.isView(values)) {
      const numbers = values as ArrayLike<number>;
      const { mul, div } = scale;
      for (let i = 0; i < n; i++) out[offset + i] = (numbers[i]! * mul) / div;
    } else {
      // Rare types (decimal, float16, dictionary-encoded numbers): slow but correct.
      for (let i = 0; i < n; i++) {
        const value = batch.at(i);
        out[offset + i] = typeof value === 'number' || typeof value === 'bigint' ? (Number(value) * scale.mul) / scale.div : Number.NaN;
      }
    }
    if (batch.nullCount > 0) {
      const validity = (batch as unknown as { validity?: Uint8Array }).validity;
      if (validity) {
        for (let i = 0; i < n; i++) if ((validity[i >> 3]! & (1 << (i & 7))) === 0) out[offset + i] = Number.NaN;
      } else {
        for (let i = 0; i < n; i++) if (!batch.isValid(i)) out[offset + i] = Number.NaN;
      }
    }
    offset += n;
  }
  if (offset !== rows) throw new DataError(`${file}: column "${name}" has ${offset} values, expected ${rows}`, { file, column: name });
  return out;
}

/**
 * int64 → double through the two 32-bit halves, so no BigInt is allocated per value. For a
 * divisor the split keeps the integer part exact: v = hi·2³² + lo = hi·(q·div + r) + lo, so
 * v/div = hi·q + (hi·r + lo)/div with every term below 2⁵³ for any realistic epoch.
 */
function int64Into(values: BigInt64Array | BigUint64Array, signed: boolean, n: number, out: Float64Array, offset: number, mul: number, div: number): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  if (div === 1) {
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i]!;
      const hi = signed ? words[2 * i + 1]! | 0 : words[2 * i + 1]!;
      out[offset + i] = (hi * TWO32 + lo) * mul;
    }
    return;
  }
  const q = Math.floor(TWO32 / div);
  const r = TWO32 - q * div;
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = signed ? words[2 * i + 1]! | 0 : words[2 * i + 1]!;
    const m = hi * r + lo;
    let mq = Math.floor(m / div);
    let rem = m - mq * div;
    if (rem < 0) {
      mq -= 1;
      rem += div;
    } else if (rem >= div) {
      mq += 1;
      rem -= div;
    }
    let whole = hi * q + mq;
    // Truncate toward zero before adding the fraction, so -1 µs is -0.001 and not
    // -1 + 0.999 (which rounds to -0.0010000000000000009).
    if (whole < 0 && rem > 0) {
      whole += 1;
      rem -= div;
    }
    out[offset + i] = (whole + rem / div) * mul;
  }
}

/** 1 where the string column equals `value`; compares UTF-8 bytes so no string is built per row. */
function matchString(column: Column<unknown>, rows: number, value: string): Uint8Array {
  const out = new Uint8Array(rows);
  const target = new TextEncoder().encode(value);
  const typeId = (column.type as { typeId: number }).typeId;
  let offset = 0;
  for (const batch of column.data as Batch<unknown>[]) {
    const n = batch.length;
    const raw = batch as unknown as { values?: Uint8Array; offsets?: Int32Array; validity?: Uint8Array };
    if (typeId === ARROW_UTF8 && raw.values instanceof Uint8Array && raw.offsets instanceof Int32Array) {
      const bytes = raw.values;
      const offsets = raw.offsets;
      const len = target.length;
      for (let i = 0; i < n; i++) {
        const start = offsets[i]!;
        if (offsets[i + 1]! - start !== len || !batch.isValid(i)) continue;
        let same = 1;
        for (let k = 0; k < len; k++) {
          if (bytes[start + k] !== target[k]) {
            same = 0;
            break;
          }
        }
        out[offset + i] = same;
      }
    } else {
      for (let i = 0; i < n; i++) out[offset + i] = batch.at(i) === value ? 1 : 0;
    }
    offset += n;
  }
  return out;
}

/**
 * Per row, the index of its string in `values` (or -1). Sorted files hold long runs of one
 * symbol, so a row is first compared with the previous row's bytes and only decoded and
 * looked up when the value changes: no string is built per row.
 */
function matchStrings(column: Column<unknown>, rows: number, values: readonly string[]): Int32Array {
  const out = new Int32Array(rows).fill(-1);
  const index = new Map(values.map((v, i) => [v, i] as const));
  const typeId = (column.type as { typeId: number }).typeId;
  const decoder = new TextDecoder();
  let offset = 0;
  for (const batch of column.data as Batch<unknown>[]) {
    const n = batch.length;
    const raw = batch as unknown as { values?: Uint8Array; offsets?: Int32Array };
    if (typeId === ARROW_UTF8 && raw.values instanceof Uint8Array && raw.offsets instanceof Int32Array) {
      const bytes = raw.values;
      const offsets = raw.offsets;
      let prevStart = -1;
      let prevLength = -1;
      let prevSlot = -1;
      for (let i = 0; i < n; i++) {
        if (!batch.isValid(i)) continue;
        const start = offsets[i]!;
        const length = offsets[i + 1]! - start;
        let same = length === prevLength;
        for (let k = 0; same && k < length; k++) same = bytes[start + k] === bytes[prevStart + k];
        if (!same) {
          prevSlot = index.get(decoder.decode(bytes.subarray(start, start + length))) ?? -1;
          prevStart = start;
          prevLength = length;
        }
        out[offset + i] = prevSlot;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const value = batch.at(i);
        out[offset + i] = typeof value === 'string' ? (index.get(value) ?? -1) : -1;
      }
    }
    offset += n;
  }
  return out;
}

/** One column as plain JS values for {@link ParquetFile.readValues}. */
function plainValues(column: Column<unknown>, info: ColumnInfo, rows: number, file: string): PlainValue[] {
  const typeId = (column.type as { typeId: number }).typeId;
  if (typeId === ARROW_DECIMAL) throw new DataError(`unsupported feature in ${file}: column "${info.name}" is DECIMAL`, { file, column: info.name });
  if (info.kind === 'timestamp' || typeId === ARROW_TIMESTAMP) {
    const ms = toFloat64(column, info.name, rows, info.timeUnit, true, file);
    return Array.from(ms, (v) => (v === v ? v : null));
  }
  const out = new Array<PlainValue>(rows);
  let at = 0;
  for (const batch of column.data as Batch<unknown>[]) {
    for (let i = 0; i < batch.length; i++) {
      const value = batch.at(i);
      if (value === null || value === undefined) out[at++] = null;
      else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean' || value instanceof Uint8Array) out[at++] = value;
      else throw new DataError(`unsupported feature in ${file}: column "${info.name}" (${info.physicalType}${info.logicalType ? ` ${info.logicalType}` : ''}) decodes to ${Object.prototype.toString.call(value)}, not a flat value`, { file, column: info.name });
    }
  }
  if (at !== rows) throw new DataError(`${file}: column "${info.name}" has ${at} values, expected ${rows}`, { file, column: info.name });
  return out;
}
