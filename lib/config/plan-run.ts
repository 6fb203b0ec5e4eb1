import type { Session, TradingCalendar } from '../calendar/types.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import { parseInterval, type Interval } from '../calendar/interval.ts';
import { ConfigError, DataError } from '../errors.ts';
import { ParquetBarReader } from '../store/bar-reader.ts';
import { ThreadedBarLoader, type BarLoader } from '../store/threaded-bar-loader.ts';
import { checkAvailability } from '../store/check/session-availability.ts';
import type { StoreConfig } from '../store/types.ts';
import type { SessionConfig } from './schema.ts';
import { trailingSessionsFor } from './trailing-sessions-for.ts';

/** One (symbol, session) without usable data, found before the loop starts. */
export interface MissingData {
  readonly symbol: string;
  readonly date: string;
  /** The file that was looked for. */
  readonly file: string;
  readonly reason: string;
  /** `'session'` = a backtest day (the symbol is skipped that day); `'history'` = a trailing session. */
  readonly kind: 'session' | 'history';
}

/** Result of checking data availability for every (symbol, session) and the trailing history. */
export interface AvailabilityReport {
  readonly checked: number;
  readonly found: number;
  readonly missing: readonly MissingData[];
  /** Distinct data files found. */
  readonly files: readonly string[];
}

/**
 * Everything decided once, before the first day (seed step 0): calendar, sessions,
 * base and derived intervals, history needs, data availability. Nothing is registered.
 */
export interface RunPlan {
  readonly config: SessionConfig;
  readonly store: StoreConfig;
  readonly calendar: TradingCalendar;
  readonly sessions: readonly Session[];
  /** The smallest stream; everything larger is derived from it. */
  readonly base: Interval;
  readonly derived: readonly Interval[];
  /** Base first, then derived ascending. */
  readonly intervals: readonly Interval[];
  /** Trailing sessions each day loads (the largest `history[].trailingSessions`). */
  readonly historySessions: number;
  /** Intervals kept for the history: configured ones plus every indicator interval. */
  readonly historyIntervals: readonly Interval[];
  /**
   * Trailing sessions of daily (`1d`) bars each day gets, from the store's `1d` files or
   * derived from the base bars once per session and cached. Independent of `historySessions`.
   */
  readonly dailyHistorySessions: number;
  /** Trailing sessions before the first backtest day, oldest first. */
  readonly leadingSessions: readonly Session[];
  readonly availability: AvailabilityReport;
  /** The main-thread reader validation used; the run reuses it, so footers parsed here are not parsed again. */
  readonly reader: ParquetBarReader;
  /** Missing (symbol → reason) per backtest date. */
  readonly skips: ReadonlyMap<string, ReadonlyMap<string, MissingData>>;
  readonly warnings: readonly string[];
}

/**
 * History a pipeline stage needs before the open, e.g. an indicator's warm-up: `bars` closed
 * bars of `interval` (`'1d'` = whole sessions).
 */
export interface HistoryRequirement {
  readonly interval: string;
  readonly bars: number;
  /** Who needs it, for the plan's description (e.g. `'indicators[0] rsi(14)'`). */
  readonly for?: string;
}

/** Options of {@link planRun}. */
export interface PlanOptions {
  /** Reuse this reader (and the footers it has parsed). */
  readonly reader?: ParquetBarReader;
  /**
   * Check availability through this data source (decode threads parse the footers in
   * parallel, where the run will decode them). Without it the check runs on `reader`, and
   * planning starts no threads.
   */
  readonly source?: BarLoader | ((store: StoreConfig, reader: ParquetBarReader) => BarLoader);
  /**
   * Warm-up needs of the pipeline. The plan loads enough trailing sessions for each, on top
   * of the config's own `history`, so every indicator is ready at the open of every session.
   */
  readonly history?: readonly HistoryRequirement[];
}

/**
 * Validate a config against the calendar and the store and build the {@link RunPlan}.
 * Every missing (symbol, session) is reported with the file looked for. With
 * `config.strict` any missing data of a backtest day or of the configured `history` fails here,
 * before the first day (sessions added only for indicator warm-up just warn).
 *
 * @example
 * ```ts
 * const plan = await planRun(readConfigFile('session.json'));
 * console.log(plan.base.name, plan.sessions.length, plan.availability.missing);
 * ```
 */
export async function planRun(config: SessionConfig, options: PlanOptions = {}): Promise<RunPlan> {
  const calendar = getCalendar(config.calendar);
  const sessions = calendar.sessions(config.backtest.start, config.backtest.end);
  if (sessions.length === 0) {
    throw ConfigError.at('backtest', { start: config.backtest.start, end: config.backtest.end }, `a date range containing at least one ${calendar.name} session`);
  }
  const streams = config.streams.map((s, i) => parseInterval(s, `streams[${i}]`)).sort((a, b) => a.ms - b.ms);
  const base = streams[0]!;
  const derived = streams.slice(1);
  // Daily ("Nd") history is served by its own loader (1d files, or derived once per session
  // and cached), so a 52-week window does not mean 260 sessions of minute bars in memory.
  const isDaily = (name: string): boolean => parseInterval(name).sessions > 0;
  const intradayEntries = config.history.filter((h) => h.intervals.some((i) => !isDaily(i)));
  const configured = intradayEntries.reduce((n, h) => Math.max(n, h.trailingSessions), 0);
  const requirements = options.history ?? [];
  const needed = trailingSessionsFor(requirements.filter((r) => !isDaily(r.interval)), calendar, sessions);
  const historySessions = Math.max(configured, needed);
  const historyNames = new Set<string>();
  for (const r of requirements) if (r.bars > 0 && !isDaily(r.interval)) historyNames.add(parseInterval(r.interval).name);
  if (historySessions > 0) {
    for (const h of intradayEntries) for (const i of h.intervals) if (!isDaily(i)) historyNames.add(parseInterval(i).name);
    for (const ind of config.indicators) if (!isDaily(ind.interval)) historyNames.add(parseInterval(ind.interval).name);
  }
  const historyIntervals = [...historyNames].map((n) => parseInterval(n)).sort((a, b) => a.ms - b.ms);
  const dailyConfigured = config.history.filter((h) => h.intervals.some(isDaily)).reduce((n, h) => Math.max(n, h.trailingSessions), 0);
  const dailyHistorySessions = Math.max(dailyConfigured, trailingSessionsFor(requirements.filter((r) => isDaily(r.interval)), calendar, sessions));
  const warnings: string[] = [];
  if (historySessions === 0 && config.indicators.length > 0) {
    warnings.push('indicators are configured but no history: they warm up during each session instead of being ready at the open (add "history": [{"trailingSessions": N, "intervals": [...]}])');
  }

  const leadingSessions: Session[] = [];
  let cursor = sessions[0]!.date;
  for (let i = 0; i < historySessions; i++) {
    const prev = calendar.previousSession(cursor);
    leadingSessions.unshift(prev);
    cursor = prev.date;
  }

  const store: StoreConfig = {
    root: config.store.root,
    layout: config.store.layout,
    ...(config.store.layouts ? { layouts: config.store.layouts } : {}),
    timestamp: config.store.timestamp,
    // Naive timestamps and daily-bar dates are exchange-local unless the config says otherwise.
    timezone: config.store.timezone ?? calendar.timezone,
    ...(config.store.columns ? { columns: config.store.columns } : {}),
  };
  const reader = options.reader ?? new ParquetBarReader(store);
  const checks: Array<{ symbol: string; session: Session; kind: 'session' | 'history' }> = [];
  for (const symbol of config.symbols) {
    for (const session of leadingSessions) checks.push({ symbol, session, kind: 'history' });
    for (const session of sessions) checks.push({ symbol, session, kind: 'session' });
  }
  const missing: MissingData[] = [];
  const files = new Set<string>();
  // The same availability pass as `sessionflow data check`, so both name the same missing files.
  // With decode threads the footers are read there, in parallel, and stay cached for decoding.
  const source = typeof options.source === 'function' ? options.source(store, reader) : options.source;
  const availability = await checkAvailability(source instanceof ThreadedBarLoader ? source : reader, base.name, checks);
  const results = checks.map((check, i) => ({ ...check, found: availability[i]! }));
  for (const { symbol, session, kind, found } of results) {
    if (found.ok) files.add(found.file);
    else missing.push({ symbol, date: session.date, file: found.file, reason: found.reason, kind });
  }
  const skips = new Map<string, Map<string, MissingData>>();
  for (const m of missing) {
    if (m.kind !== 'session') continue;
    let day = skips.get(m.date);
    if (!day) skips.set(m.date, (day = new Map()));
    day.set(m.symbol, m);
  }
  // Strict mode is about the data the config asks for: backtest days and its own `history`.
  // Extra sessions loaded only for indicator warm-up (older than the configured history) may
  // predate the store; without them an indicator warms up during the first day, as the
  // warning says.
  const configuredFrom = leadingSessions.length - configured;
  const warmupOnly = new Set(leadingSessions.slice(0, Math.max(0, configuredFrom)).map((s) => s.date));
  const fatal = missing.filter((m) => m.kind === 'session' || !warmupOnly.has(m.date));
  if (fatal.length > 0 && config.strict) {
    const lines = fatal.map((m) => `  ${m.symbol} ${m.date} (${m.kind}): ${m.reason.includes(m.file) ? m.reason : `${m.reason}: ${m.file}`}`);
    throw new DataError(`strict mode: data missing for ${fatal.length} (symbol, session) pair${fatal.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, { file: fatal[0]!.file, symbol: fatal[0]!.symbol, date: fatal[0]!.date });
  }
  return {
    config,
    store,
    calendar,
    sessions,
    base,
    derived,
    intervals: streams,
    historySessions,
    historyIntervals,
    dailyHistorySessions,
    leadingSessions,
    availability: { checked: checks.length, found: checks.length - missing.length, missing, files: [...files].sort() },
    reader,
    skips,
    warnings: [...warnings, ...missing.map((m) => `missing data, ${m.kind === 'session' ? 'symbol skipped that day' : 'history shorter'}: ${m.symbol} ${m.date}: ${m.reason.includes(m.file) ? m.reason : `${m.reason}: ${m.file}`}`)],
  };
}

