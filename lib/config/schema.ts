import * as v from 'valibot';
import { CalendarFieldSchema } from '../calendar/calendar-definition.ts';

const DATE = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date "YYYY-MM-DD"'), v.check((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'a real calendar date'));
const INTERVAL = v.pipe(v.string(), v.regex(/^[1-9][0-9]*[smhd]$/, 'an interval like "1m", "5m", "1h" or "1d"'));
const SYMBOL = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._\-/^=]*$/, 'a symbol such as "AAPL" or "BRK.B"'));
const PARAMS = v.record(v.string(), v.unknown());
/** A scan universe: symbols, a file of symbols (one per line or comma-separated; `#` comments), or every symbol the store holds. */
const UNIVERSE = v.union(
  [
    v.literal('store'),
    v.pipe(v.array(SYMBOL), v.minLength(1, 'at least one symbol'), v.check((a) => new Set(a).size === a.length, 'symbols without duplicates')),
    v.strictObject({ file: v.pipe(v.string(), v.minLength(1, 'a file path')) }),
  ],
  'a list of symbols, {"file": "universe.txt"} or "store"',
);

/** Store section: where the Parquet bars are and how to read them. */
export const StoreSchema = v.strictObject({
  root: v.pipe(v.string(), v.minLength(1, 'a folder path')),
  layout: v.pipe(v.string(), v.regex(/\.parquet$/, 'a layout template ending in ".parquet"')),
  /** Templates for intervals stored elsewhere, e.g. `{ "1d": "daily/{symbol}.parquet" }`; others use `layout`. */
  layouts: v.optional(v.record(INTERVAL, v.pipe(v.string(), v.regex(/\.parquet$/, 'a layout template ending in ".parquet"')))),
  /** IANA zone for naive (wall-clock) timestamps and daily-bar dates; default: the calendar's. */
  timezone: v.optional(v.pipe(v.string(), v.minLength(1, 'an IANA time zone such as "America/New_York"'))),
  timestamp: v.optional(
    v.strictObject({
      column: v.pipe(v.string(), v.minLength(1, 'a column name')),
      unit: v.optional(v.picklist(['s', 'ms', 'us', 'ns'], 'one of "s", "ms", "us", "ns"')),
      label: v.optional(v.picklist(['start', 'end'], '"start" or "end"'), 'start'),
    }),
    { column: 'ts', label: 'start' },
  ),
  /** Sessions to decode ahead in one read when files hold many sessions (per-month/year layouts); 0 = one session at a time. */
  readAhead: v.optional(v.pipe(v.number(), v.integer('a whole number of sessions'), v.minValue(0, 'a number of sessions >= 0'), v.maxValue(260, 'at most 260 sessions')), 20),
  /**
   * Worker threads that read and decode Parquet, held while a data-driven day replays so the
   * replay keeps both cores; 0 = decode on the main thread; `"auto"` (default): 2 from 150
   * configured symbols, else 0 (see decodeThreadsFor).
   */
  decodeThreads: v.optional(v.union([v.literal('auto'), v.pipe(v.number(), v.integer('a whole number of threads'), v.minValue(0, 'a number of threads >= 0'), v.maxValue(8, 'at most 8 threads'))], '"auto" or a whole number of threads 0–8'), 'auto'),
  columns: v.optional(
    v.strictObject({
      open: v.optional(v.string()),
      high: v.optional(v.string()),
      low: v.optional(v.string()),
      close: v.optional(v.string()),
      volume: v.optional(v.string()),
      symbol: v.optional(v.string()),
      /** Further numeric columns loaded with the bars: `{ "vwap": "vwap", "trades": "n" }` (name in the bars → column in the file). */
      extra: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name (letters, digits, _)')), v.pipe(v.string(), v.minLength(1, 'a column name')))),
    }),
  ),
});

const MONEY = v.pipe(v.number(), v.finite('a finite amount'), v.minValue(0, 'an amount >= 0'));
const POSITIVE = v.pipe(v.number(), v.finite('a finite number'), v.gtValue(0, 'a number > 0'));
const FRACTION = v.pipe(v.number(), v.finite('a finite number'), v.gtValue(0, 'a fraction > 0'), v.ltValue(1, 'a fraction below 1 (0.02 = 2 %)'));

/** Broker section: costs, instruments, fill options and risk limits (see DESIGN §8 and the README). */
export const BrokerSchema = v.strictObject({
  /** Starting cash (default 100000). */
  cash: v.optional(POSITIVE),
  commission: v.optional(
    v.variant('type', [
      v.strictObject({ type: v.literal('none') }),
      v.strictObject({ type: v.literal('per-share'), rate: MONEY, minimum: v.optional(MONEY), maximumPercent: v.optional(MONEY) }),
      v.strictObject({ type: v.literal('percent'), percent: MONEY }),
      v.strictObject({ type: v.literal('per-order'), amount: MONEY }),
      v.strictObject({ type: v.literal('per-contract'), rate: MONEY, minimum: v.optional(MONEY) }),
    ], 'a commission type: "none", "per-share", "percent", "per-order" or "per-contract"'),
  ),
  slippage: v.optional(
    v.variant('type', [
      v.strictObject({ type: v.literal('none') }),
      v.strictObject({ type: v.literal('bps'), bps: MONEY }),
      v.strictObject({ type: v.literal('per-share'), amount: MONEY }),
      v.strictObject({ type: v.literal('half-spread') }),
      v.strictObject({ type: v.literal('volume-share'), impact: MONEY }),
    ], 'a slippage type: "none", "bps", "per-share", "half-spread" or "volume-share"'),
  ),
  /** Per symbol, or `"*"` for every symbol. */
  instruments: v.optional(
    v.record(
      v.string(),
      v.strictObject({ multiplier: v.optional(POSITIVE), marginPerContract: v.optional(POSITIVE), lotSize: v.optional(POSITIVE), tickSize: v.optional(POSITIVE), shortable: v.optional(v.boolean()), fractional: v.optional(v.boolean()) }),
    ),
  ),
  /** Kept back when sizing by fractions and targets (0.0025 = 0.25 %). */
  cashBuffer: v.optional(v.pipe(v.number(), v.minValue(0, 'a fraction >= 0'), v.ltValue(1, 'a fraction below 1'))),
  /** Fill market orders at the signal bar's close (a convention, not realistic; recorded in results). */
  tradeOnClose: v.optional(v.boolean()),
  /** At most this fraction of a bar's volume per order (partial fills keep working). */
  maxParticipation: v.optional(v.pipe(v.number(), v.gtValue(0, 'a fraction > 0'), v.maxValue(1, 'a fraction <= 1'))),
  /** Quote-aware fills: the `store.columns.extra` names holding bid and ask. */
  quotes: v.optional(v.strictObject({ bid: v.pipe(v.string(), v.minLength(1)), ask: v.pipe(v.string(), v.minLength(1)) })),
  risk: v.optional(
    v.strictObject({
      leverage: v.optional(POSITIVE),
      maxPositionValue: v.optional(POSITIVE),
      maxPositionShares: v.optional(POSITIVE),
      maxGrossExposure: v.optional(POSITIVE),
      maxNetExposure: v.optional(POSITIVE),
      maxOpenPositions: v.optional(v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'at least 1'))),
      maxOrderValue: v.optional(POSITIVE),
      maxDailyLoss: v.optional(FRACTION),
      maxDrawdown: v.optional(FRACTION),
      flattenAtClose: v.optional(v.boolean()),
    }),
  ),
});

/** Session config schema (camelCase keys). */
export const SessionConfigSchema = v.strictObject({
  name: v.optional(v.pipe(v.string(), v.minLength(1, 'a non-empty name')), 'session'),
  /** A calendar name ("XNYS", an alias, "24/7", "24/5", a registered name) or a custom calendar definition. */
  calendar: v.optional(CalendarFieldSchema, 'XNYS'),
  /** Fail before the first day when any (symbol, session) lacks data, instead of skipping it. */
  strict: v.optional(v.boolean(), false),
  /**
   * Outlier flags, reported per (symbol, day) in the day's quality and by `data check`, never
   * applied: the bars are kept as they are.
   */
  quality: v.optional(
    v.strictObject({
      /** Flag a bar with a price more than this fraction away from the previous bar's close (0.1 = 10 %); off when absent. */
      maxJump: v.optional(v.pipe(v.number(), v.finite('a finite fraction'), v.gtValue(0, 'a fraction > 0 (0.1 = 10 %)'))),
      /** Flag zero or negative prices (on by default; turn off for instruments that can trade below zero, such as spreads). */
      positivePrices: v.optional(v.boolean(), true),
    }),
    { positivePrices: true },
  ),
  backtest: v.strictObject({
    start: DATE,
    end: DATE,
    /** 0 = data-driven (as fast as the data allows); >0 = clock-driven, simulated seconds per real second. */
    speed: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0, 'a speed >= 0 (0 = data-driven)')), 0),
  }),
  store: StoreSchema,
  symbols: v.pipe(v.array(SYMBOL), v.minLength(1, 'at least one symbol'), v.check((a) => new Set(a).size === a.length, 'symbols without duplicates')),
  /**
   * The bar streams: the smallest is the base (what the store holds and orders fill on), the
   * others are derived from it. Intraday intervals, or `["1d"]` alone for daily bars (one bar
   * per session, visible at the close).
   */
  streams: v.optional(
    v.pipe(
      v.array(INTERVAL),
      v.minLength(1, 'at least one stream interval'),
      v.check((a) => a.every((i) => !i.endsWith('d')) || (a.length === 1 && a[0] === '1d'), 'intraday intervals such as ["1m", "5m"], or ["1d"] alone for daily bars'),
    ),
    ['1m'],
  ),
  history: v.optional(
    v.array(
      v.strictObject({
        trailingSessions: v.pipe(v.number(), v.integer('a whole number of sessions'), v.minValue(0), v.maxValue(2520, 'at most 2520 sessions (10 years)')),
        intervals: v.pipe(v.array(INTERVAL), v.minLength(1, 'at least one interval')),
      }),
    ),
    [],
  ),
  indicators: v.optional(
    v.array(
      v.strictObject({
        /** A registered indicator (`sessionflow indicators` lists them). Exactly one of `name` and `module`. */
        name: v.optional(v.pipe(v.string(), v.minLength(1, 'an indicator name such as "ema"'))),
        /** A module of yours whose default export (or `export`) is an indicator definition (see `registerIndicator`); relative to the config file. */
        module: v.optional(v.pipe(v.string(), v.minLength(1, 'a path to a module, relative to the config file'))),
        export: v.optional(v.pipe(v.string(), v.minLength(1, 'an export name of the module'))),
        /** Required unless the indicator has a default or takes none (see `sessionflow indicators`). */
        period: v.optional(v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'a period >= 1'))),
        /** A stream interval for bar indicators; `"1d"` for session-level ones (average volume, daily ATR, pivots, …). */
        interval: INTERVAL,
        params: v.optional(PARAMS),
        as: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a column name (letters, digits, _)'))),
      }),
    ),
    [],
  ),
  /**
   * Strategies by registered name (`sessionflow strategies` lists them), or from a module of
   * your own: `{"module": "./strategies/breakout.ts", "params": {…}}` (its default export, or
   * `"export"`, made with `defineStrategy`). Exactly one of `name` and `module`.
   */
  strategies: v.optional(
    v.array(
      v.strictObject({
        name: v.optional(v.pipe(v.string(), v.minLength(1, 'a strategy name such as "ema-crossover"'))),
        module: v.optional(v.pipe(v.string(), v.minLength(1, 'a path to a module, relative to the config file'))),
        export: v.optional(v.pipe(v.string(), v.minLength(1, 'an export name of the module'))),
        params: v.optional(PARAMS),
      }),
    ),
    [],
  ),
  /** The broker simulator (DESIGN §8); a run with strategies gets the defaults when this is absent. */
  broker: v.optional(BrokerSchema),
  /** The symbol whose closes are the statistics' benchmark (Buy & Hold, Alpha, Beta); default: the first of `symbols`. */
  benchmark: v.optional(SYMBOL),
  /** What scanners scan unless they name their own: a symbol list, `{"file": "universe.txt"}`, or `"store"` (every symbol the store holds). */
  universe: v.optional(UNIVERSE),
  scanners: v.optional(
    v.array(
      v.strictObject({
        /** A registered scanner (`sessionflow scanners` lists them). Exactly one of `name` and `module`. */
        name: v.optional(v.pipe(v.string(), v.minLength(1, 'a scanner name such as "gap"'))),
        /** A module of yours whose default export (or `export`) is a scanner definition (see `registerScanner`); relative to the config file. */
        module: v.optional(v.pipe(v.string(), v.minLength(1, 'a path to a module, relative to the config file'))),
        export: v.optional(v.pipe(v.string(), v.minLength(1, 'an export name of the module'))),
        /** Its name in results when a scanner is used twice (default: `name`). */
        as: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a name (letters, digits, _ . -)'))),
        /**
         * When it runs (default: the scanner's own): `"pre"` (Phase 2, before the open), exchange
         * times `"HH:MM"`, `"every 15m"` from the open, `"open+5m"`, `"close-30m"`.
         */
        schedule: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1, 'a schedule entry'))), v.minLength(1, 'at least one schedule entry'))),
        universe: v.optional(UNIVERSE),
        /** At most this many symbols added per scan (default 10). */
        maxAdds: v.optional(v.pipe(v.number(), v.integer('a whole number'), v.minValue(0, 'a number >= 0'), v.maxValue(1000, 'at most 1000')), 10),
        params: v.optional(PARAMS),
      }),
    ),
    [],
  ),
});

/** A session config as written (before defaults). */
export type SessionConfigInput = v.InferInput<typeof SessionConfigSchema>;
/** A validated session config, defaults filled in. */
export type SessionConfig = v.InferOutput<typeof SessionConfigSchema>;
/** The validated store section. */
export type StoreSection = v.InferOutput<typeof StoreSchema>;
