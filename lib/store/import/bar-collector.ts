import { classifyRow, describeRow, ROW_OK, ROW_REASONS } from '../classify-row.ts';
import { GrowableBars, resized } from '../growable-bars.ts';
import type { OhlcvColumns, RejectReason } from '../types.ts';

/**
 * Why an imported row was rejected: the reader's {@link RejectReason}s (same rule, same
 * meaning) plus the failures only a text import can have. Rows out of order are not
 * rejected: imports sort.
 */
export type ImportRejectReason = RejectReason | 'bad_timestamp' | 'missing_symbol' | 'wrong_column_count';

/** Every import reject reason, in report order. */
export const IMPORT_REJECT_REASONS: readonly ImportRejectReason[] = ['bad_timestamp', 'missing_symbol', 'wrong_column_count', ...ROW_REASONS];

const DAY_MS = 86_400_000;

/** One rejected row, quoted in the import report. */
export interface RejectExample {
  readonly file: string;
  /** 1-based line of a CSV file, or 1-based row of a Parquet file. */
  readonly line: number;
  readonly reason: ImportRejectReason;
  readonly detail: string;
}

/** One symbol's accepted bars: sorted by start, unique starts. */
export interface CollectedBars extends OhlcvColumns {
  readonly symbol: string;
}

/** What {@link BarCollector.finish} hands over. */
export interface CollectedImport {
  readonly symbols: readonly CollectedBars[];
  readonly rowsRead: number;
  readonly rejected: Readonly<Record<ImportRejectReason, number>>;
  readonly examples: readonly RejectExample[];
  /** Accepted rows that arrived before a row with an earlier timestamp (they were sorted). */
  readonly reordered: number;
}

/** Growable columns of one symbol in arrival order, with where each row came from. */
class SymbolRows extends GrowableBars {
  file = new Int32Array(1024);
  line = new Int32Array(1024);
  /** 1 where the row arrived after a row with a later timestamp. */
  late = new Uint8Array(1024);
  latest = Number.NEGATIVE_INFINITY;
  reordered = 0;

  constructor() {
    super(1024);
  }

  add(ts: number, o: number, h: number, l: number, c: number, v: number, file: number, line: number): void {
    const i = this.push(ts, o, h, l, c, v);
    this.file[i] = file;
    this.line[i] = line;
    if (ts < this.latest) {
      this.reordered++;
      this.late[i] = 1;
    } else this.latest = ts;
  }

  protected override grow(capacity: number): void {
    super.grow(capacity);
    this.file = resized(this.file, capacity);
    this.line = resized(this.line, capacity);
    this.late = resized(this.late, capacity);
  }
}

/**
 * Collects bars from any number of source files into per-symbol typed columns (DESIGN §3:
 * no row objects), validating each row with the reader's rules (nulls, `high < low`,
 * open/close outside the range, negative volume) plus timestamp parse and alignment checks,
 * and counting every rejection with the first few examples per reason (file and line). At
 * the end each symbol is sorted (stable) and de-duplicated, keeping the first row of a
 * timestamp.
 *
 * @example
 * ```ts
 * const collector = new BarCollector({ intervalMs: 60_000 });
 * const file = collector.addFile('spy.csv');
 * collector.add('SPY', Date.UTC(2024, 0, 2, 14, 30), 470, 471, 469.5, 470.5, 1200, file, 2);
 * const { symbols, rejected } = collector.finish();
 * ```
 */
export class BarCollector {
  private readonly gridMs: number;
  private readonly anchorOf: (ts: number) => number;
  private readonly examplesPerReason: number;
  private readonly files: string[] = [];
  private readonly bySymbol = new Map<string, SymbolRows>();
  private readonly rejected = Object.fromEntries(IMPORT_REJECT_REASONS.map((r) => [r, 0])) as Record<ImportRejectReason, number>;
  private readonly examples: RejectExample[] = [];
  private rowsRead = 0;

  /**
   * `intervalMs` is the bar length. Starts must lie on the interval's grid anchored where
   * `anchorOf` says (the session open of the bar's day, DESIGN §1: see SessionGrid), so 1m
   * data imported as `5m` is refused instead of becoming overlapping "5m" bars. Daily and
   * longer bars are keyed by date and only need whole minutes.
   */
  constructor(options: { intervalMs: number; anchorOf?: (ts: number) => number; examplesPerReason?: number }) {
    this.gridMs = options.intervalMs < DAY_MS ? options.intervalMs : 60_000;
    this.anchorOf = options.intervalMs < DAY_MS && options.anchorOf ? options.anchorOf : () => 0;
    this.examplesPerReason = options.examplesPerReason ?? 5;
  }

  /** Register a source file; returns its index for {@link add}. */
  addFile(path: string): number {
    this.files.push(path);
    return this.files.length - 1;
  }

  /**
   * One source row. `ts` is the bar start in epoch ms (`NaN` when it did not parse; `raw`
   * then says what was found). Rows breaking the bar rules (classifyRow, the reader's own)
   * are counted and dropped; repeats and order are settled when the symbol is sorted.
   */
  add(symbol: string, ts: number, o: number, h: number, l: number, c: number, v: number, file: number, line: number, raw?: string): void {
    this.rowsRead++;
    if (ts - ts !== 0) return this.reject('bad_timestamp', file, line, `timestamp ${JSON.stringify(raw ?? '')} is not a recognised date/time`);
    let anchor: number;
    try {
      anchor = this.anchorOf(ts);
    } catch (error) {
      // An instant the calendar cannot place (1970 or beyond 2099: usually a wrong --unit)
      // is this row's problem, named with its value and line, not an abort naming nothing.
      const at = Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : `${ts} ms`;
      return this.reject('bad_timestamp', file, line, `timestamp ${JSON.stringify(raw ?? '')} reads as ${at}, outside the calendar (${error instanceof Error ? error.message : String(error)}); is --unit right?`);
    }
    const code = classifyRow(ts, Number.NEGATIVE_INFINITY, ts - anchor, this.gridMs, o, h, l, c, v);
    if (code !== ROW_OK) {
      const reason = ROW_REASONS[code]!;
      const detail = reason === 'misaligned_timestamp' ? `${new Date(ts).toISOString()} is not on the ${this.gridMs / 1000} s grid anchored at the session open (${new Date(anchor).toISOString()})` : describeRow(code, o, h, l, c, v, this.gridMs);
      return this.reject(reason, file, line, detail);
    }
    let rows = this.bySymbol.get(symbol);
    if (!rows) this.bySymbol.set(symbol, (rows = new SymbolRows()));
    rows.add(ts, o, h, l, c, v, file, line);
  }

  /** Count a row that could not even be turned into numbers (e.g. a wrong column count). */
  reject(reason: ImportRejectReason, file: number, line: number, detail: string): void {
    if (reason === 'wrong_column_count' || reason === 'missing_symbol') this.rowsRead++;
    this.rejected[reason]++;
    if (this.rejected[reason] <= this.examplesPerReason) this.examples.push({ file: this.files[file] ?? '?', line, reason, detail });
  }

  /** Sort and de-duplicate every symbol; the collector must not be used afterwards. */
  finish(): CollectedImport {
    const symbols: CollectedBars[] = [];
    let reordered = 0;
    for (const symbol of [...this.bySymbol.keys()].sort()) {
      const { reordered: late, ...bars } = this.sortUnique(symbol, this.bySymbol.get(symbol)!);
      reordered += late;
      symbols.push(bars);
    }
    this.bySymbol.clear();
    return { symbols, rowsRead: this.rowsRead, rejected: { ...this.rejected }, examples: [...this.examples], reordered };
  }

  private sortUnique(symbol: string, rows: SymbolRows): CollectedBars & { reordered: number } {
    const n = rows.length;
    const ts = rows.ts;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Already-sorted input (the usual case) skips the comparator sort; ties keep arrival order.
    if (rows.reordered > 0) order.sort((a, b) => ts[a]! - ts[b]! || a - b);
    const out = {
      start: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    };
    let kept = 0;
    let reordered = 0;
    let firstOfTs = -1;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const t = ts[i]!;
      if (kept > 0 && out.start[kept - 1] === t) {
        const same = rows.open[i] === rows.open[firstOfTs] && rows.high[i] === rows.high[firstOfTs] && rows.low[i] === rows.low[firstOfTs]
          && rows.close[i] === rows.close[firstOfTs] && rows.volume[i] === rows.volume[firstOfTs];
        this.rejected.duplicate_timestamp++;
        if (this.rejected.duplicate_timestamp <= this.examplesPerReason) {
          this.examples.push({
            file: this.files[rows.file[i]!] ?? '?',
            line: rows.line[i]!,
            reason: 'duplicate_timestamp',
            detail: `${symbol} ${new Date(t).toISOString()} already imported from ${this.files[rows.file[firstOfTs]!] ?? '?'}:${rows.line[firstOfTs]}${same ? ' (identical values)' : ' (different values; the first is kept)'}`,
          });
        }
        continue;
      }
      firstOfTs = i;
      reordered += rows.late[i]!;
      out.start[kept] = t;
      out.open[kept] = rows.open[i]!;
      out.high[kept] = rows.high[i]!;
      out.low[kept] = rows.low[i]!;
      out.close[kept] = rows.close[i]!;
      out.volume[kept] = rows.volume[i]!;
      kept++;
    }
    const trim = (a: Float64Array) => (kept === n ? a : a.slice(0, kept));
    return { symbol, reordered, length: kept, start: trim(out.start), open: trim(out.open), high: trim(out.high), low: trim(out.low), close: trim(out.close), volume: trim(out.volume) };
  }
}
