import { closeSync, fstatSync, openAsBlob, openSync, readSync } from 'node:fs';
import { tableFromIPC, type Batch, type Column, type DataType } from '@uwdata/flechette';
import { parquetMetadata, type FileMetaData, type SchemaElement, type Statistics } from 'hyparquet';
import { ParquetFile as WasmParquetFile, readParquet } from 'parquet-wasm';
import { DataError } from '../errors.ts';
import type { TimestampUnit } from './types.ts';

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
}

/** Decoded columns of the requested row groups, in file order. */
export interface ReadResult {
  readonly rows: number;
  /** Same order as {@link ReadRequest.numeric}; nulls are `NaN`. */
  readonly columns: Float64Array[];
  /** 1 where the `match` column equals the value; `undefined` when no match was asked. */
  readonly matches: Uint8Array | undefined;
}

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
  private readonly metadata: FileMetaData;
  private readonly columnsByName: ReadonlyMap<string, ColumnInfo>;
  private readonly rangeCache = new Map<string, readonly TimeRange[]>();
  private readonly wholeFileMaxBytes: number;
  private wasmFile: Promise<WasmParquetFile> | undefined;
  /** The whole file, read by `open` for small files and handed to the first read (then dropped, so cached footers hold no data). */
  private pendingBytes: Uint8Array | undefined;

  private constructor(path: string, byteLength: number, mtimeMs: number, metadata: FileMetaData, options: ParquetFileOptions) {
    this.path = path;
    this.byteLength = byteLength;
    this.mtimeMs = mtimeMs;
    this.metadata = metadata;
    this.numRows = Number(metadata.num_rows);
    this.rowGroupRows = metadata.row_groups.map((group) => Number(group.num_rows));
    this.columnsByName = describeColumns(metadata.schema);
    this.wholeFileMaxBytes = options.wholeFileMaxBytes ?? 1 << 20;
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
        metadata = parquetMetadata(tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.byteLength));
      } catch (cause) {
        throw new DataError(`corrupt Parquet footer: ${path}: ${messageOf(cause)}`, { file: path }, { cause });
      }
      const file = new ParquetFile(path, size, stat.mtimeMs, metadata, options);
      file.pendingBytes = bytes;
      return file;
    } finally {
      closeSync(fd);
    }
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
    const ranges = this.metadata.row_groups.map((group): TimeRange => {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
      const stats = chunk?.meta_data?.statistics;
      // INT96 statistics use a sort order writers never agreed on: do not trust them.
      if (!stats || !info || info.physicalType === 'INT96') return undefined;
      const min = statToMs(stats.min_value ?? stats.min, statsUnit);
      const max = statToMs(stats.max_value ?? stats.max, statsUnit);
      if (Number.isNaN(min) || Number.isNaN(max) || min > max) return undefined;
      return { min, max: max + 1 };
    });
    this.rangeCache.set(key, ranges);
    return ranges;
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
    for (const index of request.rowGroups) {
      // Out-of-range indexes make parquet-wasm trap ("unreachable"), which can poison the
      // wasm instance, so they are refused before the call.
      if (!Number.isInteger(index) || index < 0 || index >= this.rowGroupRows.length) {
        throw new DataError(`row group ${index} does not exist in ${this.path} (it has ${this.rowGroupRows.length})`, { file: this.path });
      }
    }
    const rows = request.rowGroups.reduce((sum, index) => sum + this.rowGroupRows[index]!, 0);
    if (rows === 0) {
      return { rows: 0, columns: request.numeric.map(() => new Float64Array(0)), matches: request.match ? new Uint8Array(0) : undefined };
    }
    const names = request.numeric.map((c) => c.name);
    if (request.match) names.push(request.match.column);
    const ipc = await this.readIpc([...request.rowGroups], [...new Set(names)]);
    let table;
    try {
      // Raw int64 values: the typed conversion below is exact and allocation-free, unlike
      // flechette's per-value BigInt path.
      table = tableFromIPC(ipc, { useBigInt: true, useBigIntTimestamp: true });
    } catch (cause) {
      throw new DataError(`cannot decode Arrow data of ${this.path}: ${messageOf(cause)}`, { file: this.path }, { cause });
    }
    if (table.numRows !== rows) {
      throw new DataError(`${this.path}: decoded ${table.numRows} rows, footer says ${rows}`, { file: this.path });
    }
    const columns = request.numeric.map((spec) => {
      const column = table.getChild(spec.name);
      if (!column) throw new DataError(`missing column "${spec.name}" in decoded data of ${this.path}`, { file: this.path, column: spec.name });
      return toFloat64(column, spec.name, rows, spec.timestamp ? spec.unit : undefined, spec.timestamp === true, this.path);
    });
    let matches: Uint8Array | undefined;
    if (request.match) {
      const column = table.getChild(request.match.column);
      if (!column) throw new DataError(`missing column "${request.match.column}" in decoded data of ${this.path}`, { file: this.path, column: request.match.column });
      matches = matchString(column, rows, request.match.value);
    }
    return { rows, columns, matches };
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

  private async readIpc(rowGroups: number[], columns: string[]): Promise<Uint8Array> {
    const all = rowGroups.length === this.rowGroupRows.length;
    try {
      if (all || this.byteLength <= this.wholeFileMaxBytes) {
        const bytes = this.pendingBytes ?? readWhole(this.path);
        this.pendingBytes = undefined;
        if (bytes.length !== this.byteLength) throw new Error(`file changed size since its footer was read (${this.byteLength} → ${bytes.length} bytes)`);
        // parquet-wasm 0.8 ignores `columns` in the synchronous reader; passing it keeps the
        // intent and costs nothing. Only the requested columns are converted below.
        return readParquet(bytes, all ? { columns } : { rowGroups, columns }).intoIPCStream();
      }
      this.wasmFile ??= openAsBlob(this.path).then((blob) => WasmParquetFile.fromFile(blob));
      const file = await this.wasmFile;
      const table = await file.read({ rowGroups, columns });
      return table.intoIPCStream();
    } catch (cause) {
      if (cause instanceof DataError) throw cause;
      throw new DataError(`cannot read Parquet data of ${this.path}: ${messageOf(cause)}`, { file: this.path }, { cause });
    }
  }
}

function readFully(fd: number, target: Uint8Array, position: number): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of file after ${position + done} bytes`);
    done += n;
  }
}

function readWhole(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(fstatSync(fd).size);
    readFully(fd, bytes, 0);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Top-level leaf columns by name; nested groups are walked past but not offered. */
function describeColumns(schema: readonly SchemaElement[]): Map<string, ColumnInfo> {
  const out = new Map<string, ColumnInfo>();
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
      skip();
      continue;
    }
    index++;
    out.set(element.name, describeLeaf(element));
  }
  return out;
}

function describeLeaf(element: SchemaElement): ColumnInfo {
  const physicalType = element.type ?? 'UNKNOWN';
  const logical = element.logical_type;
  const logicalType = logical?.type ?? element.converted_type;
  let kind: ColumnKind = 'other';
  let timeUnit: TimestampUnit | undefined;
  if (logical?.type === 'TIMESTAMP') {
    kind = 'timestamp';
    timeUnit = PARQUET_UNIT[logical.unit];
  } else if (element.converted_type && CONVERTED_UNIT[element.converted_type]) {
    kind = 'timestamp';
    timeUnit = CONVERTED_UNIT[element.converted_type];
  } else if (physicalType === 'INT96') {
    kind = 'timestamp';
    timeUnit = 'ns';
  } else if (logicalType === 'STRING' || logicalType === 'UTF8' || logicalType === 'ENUM') {
    kind = 'string';
  } else if (NUMERIC_PHYSICAL.has(physicalType) && (logicalType === undefined || logicalType === 'INTEGER' || logicalType.startsWith('INT_') || logicalType.startsWith('UINT_'))) {
    kind = 'number';
  }
  return { name: element.name, physicalType, logicalType, kind, timeUnit, nullable: element.repetition_type !== 'REQUIRED' };
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
  const out = new Float64Array(rows);
  const type = column.type as DataType & { typeId: number; unit?: number; bitWidth?: number; signed?: boolean; precision?: number };
  let scale = MS_PER.ms;
  if (timestamp) {
    if (type.typeId === ARROW_TIMESTAMP) scale = MS_PER[ARROW_UNIT[type.unit ?? 1] ?? 'ms'];
    else if (unit) scale = MS_PER[unit];
  }
  const direct = type.typeId === ARROW_TIMESTAMP || type.typeId === ARROW_INT || (type.typeId === ARROW_FLOAT && (type.precision ?? 0) > 0);
  let offset = 0;
  for (const batch of column.data as Batch<unknown>[]) {
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
