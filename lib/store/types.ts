/**
 * Types shared by the Parquet bar store (DESIGN §4). Bars leave the store columnar
 * (`Float64Array` per field) because the hot path loops over typed arrays, never bar objects
 * (DESIGN §3).
 */

/** Unit of a plain integer (or floating) timestamp column. */
export type TimestampUnit = 's' | 'ms' | 'us' | 'ns';

/**
 * Where a store keeps its bars and how its files are laid out.
 *
 * @example
 * ```ts
 * const store: StoreConfig = {
 *   root: '/data/bars',
 *   layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet',
 *   timestamp: { column: 'ts', label: 'start' },
 * };
 * ```
 */
export interface StoreConfig {
  /** Absolute folder that the layout is resolved against. */
  readonly root: string;
  /**
   * Path template relative to `root`. Placeholders: `{symbol}`, `{interval}`, `{yyyy}`, `{mm}`,
   * `{dd}`, `{date}` (`YYYY-MM-DD`), all filled from the exchange-local trading date. A `*` in
   * the file name matches every part file of a folder (hive partitions:
   * `{interval}/symbol={symbol}/date={date}/*.parquet`).
   */
  readonly layout: string;
  /**
   * Templates for particular intervals that live elsewhere in the store, e.g.
   * `{ '1d': 'daily/{symbol}.parquet' }`; other intervals use `layout`.
   */
  readonly layouts?: Readonly<Record<string, string>>;
  readonly timestamp: {
    /** Column holding the bar timestamp. */
    readonly column: string;
    /**
     * Unit of a plain integer column. Parquet TIMESTAMP columns carry their own unit, which
     * wins, so this is only required for plain numbers.
     */
    readonly unit?: TimestampUnit;
    /** Whether the timestamp is the bar's start or its end (converted to start on load). */
    readonly label: 'start' | 'end';
  };
  /**
   * IANA time zone of the exchange. Naive timestamp columns (Parquet TIMESTAMP with
   * `isAdjustedToUTC=false`) are read as wall-clock times in this zone, daily bars are
   * matched to trading dates in it, and it gives the trading date of `from` when
   * `ParquetBarReader.load` is not told one. Default `UTC` here; a run plan passes the
   * calendar's zone unless the config sets one.
   */
  readonly timezone?: string;
  /** Column names in the file; each defaults to the field name. */
  readonly columns?: {
    readonly open?: string;
    readonly high?: string;
    readonly low?: string;
    readonly close?: string;
    readonly volume?: string;
    /** Set when one file holds several symbols; only rows equal to the wanted symbol are kept. */
    readonly symbol?: string;
    /**
     * Further numeric columns to load with the bars, by the name they get in
     * {@link BarColumns.extra}: `{ vwap: 'vwap', trades: 'n' }`. Nulls load as NaN; they do
     * not reject the row.
     */
    readonly extra?: Readonly<Record<string, string>>;
  };
}

/**
 * The one OHLCV column shape every layer shares: `length` bars, sorted by `start` (the bar
 * start, epoch ms UTC; never `ts`), one array per field. `A` is the array type: typed arrays
 * where the engine owns the data, any `ArrayLike` where a caller hands columns in.
 *
 * @example
 * ```ts
 * const bars: OhlcvColumns = { length: 1, start: Float64Array.of(t), open: Float64Array.of(1), high: Float64Array.of(2), low: Float64Array.of(1), close: Float64Array.of(2), volume: Float64Array.of(10) };
 * ```
 */
export interface OhlcvColumns<A extends ArrayLike<number> = Float64Array> {
  readonly length: number;
  readonly start: A;
  readonly open: A;
  readonly high: A;
  readonly low: A;
  readonly close: A;
  readonly volume: A;
}

/**
 * One symbol's bars, sorted ascending by `start`, valid rows only. `start` is the bar START in
 * epoch ms UTC (DESIGN §1).
 *
 * @example
 * ```ts
 * for (let i = 0; i < bars.length; i++) total += bars.close[i]! * bars.volume[i]!;
 * ```
 */
export interface BarColumns extends OhlcvColumns {
  /** The configured extra columns (`store.columns.extra`), aligned with the bars; absent when none are configured. */
  readonly extra?: Readonly<Record<string, Float64Array>>;
}

/**
 * Why a row was dropped while loading.
 *
 * @example
 * ```ts
 * const reason: RejectReason = 'high_below_low';
 * ```
 */
export type RejectReason =
  | 'null_or_nan'
  | 'non_finite'
  | 'high_below_low'
  | 'open_close_outside_range'
  | 'negative_volume'
  | 'misaligned_timestamp'
  | 'duplicate_timestamp';

/**
 * Number of dropped rows per {@link RejectReason}; every reason is present (0 when none).
 *
 * @example
 * ```ts
 * const bad = Object.values(loaded.rejected).reduce((a, b) => a + b, 0);
 * ```
 */
export type RejectCounts = Record<RejectReason, number>;

/**
 * The result of loading one symbol's session from the store.
 *
 * @example
 * ```ts
 * const loaded = await reader.load('SPY', '1m', session.open, session.close);
 * console.log(loaded.file, loaded.bars.length, loaded.rejected.null_or_nan);
 * ```
 */
export interface LoadedBars {
  readonly symbol: string;
  readonly interval: string;
  /** Absolute path of the file the bars came from. */
  readonly file: string;
  readonly bars: BarColumns;
  /** Rows inside the window that failed validation, per reason. */
  readonly rejected: RejectCounts;
  /**
   * Bar starts of the rejected rows, ascending (a row whose timestamp is null counts at the
   * window's last start), so quality can count them as the clock passes them, not before.
   */
  readonly rejectedStarts: Float64Array;
  /** Rows that arrived earlier than a row before them in the file: kept, and sorted. */
  readonly reordered: number;
  /**
   * Rows of the wanted symbol that were read but lie outside `[from, to)` (extended hours,
   * neighbouring days of a coarse file). Not rejections: they are simply not in the session.
   */
  readonly outside: number;
  /** Rows decoded from the file (all symbols, all read row groups). */
  readonly rowsRead: number;
  readonly rowGroupsRead: number;
  readonly rowGroupsTotal: number;
}

/**
 * Daily bars of one symbol for a range of sessions: one bar per session that has data,
 * `start` = the session's open (a `1d` bar covers the session, DESIGN §1).
 *
 * @example
 * ```ts
 * const daily = await reader.loadDaily('SPY', sessions);
 * console.log(daily.source, daily.bars.length, daily.missing);
 * ```
 */
export interface DailyBars {
  readonly symbol: string;
  /** `'file'`: read from the store's `1d` files; `'derived'`: aggregated from intraday bars. */
  readonly source: 'file' | 'derived';
  /** Files read. */
  readonly files: readonly string[];
  readonly bars: BarColumns;
  /** Trading date of each bar. */
  readonly dates: readonly string[];
  /** Sessions asked for without a bar, with the reason. */
  readonly missing: ReadonlyArray<{ readonly date: string; readonly reason: string }>;
  /** Rows dropped by validation, per reason. */
  readonly rejected: RejectCounts;
}

/**
 * Answer of an availability check: the file exists and (for coarse files) its statistics say
 * it may hold bars of the window.
 *
 * @example
 * ```ts
 * const a = await reader.exists('SPY', '1m', '2013-10-07', open, close);
 * if (!a.ok) problems.push(`${a.file}: ${a.reason}`);
 * ```
 */
export type Availability =
  | { readonly ok: true; readonly file: string }
  | { readonly ok: false; readonly file: string; readonly reason: string };
