import type { Session, TradingCalendar } from '../calendar/types.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import { parseInterval, type Interval } from '../calendar/interval.ts';
import { ConfigError, DataError } from '../errors.ts';
import { ParquetBarReader } from '../store/bar-reader.ts';
import type { StoreConfig } from '../store/types.ts';
import type { SessionConfig } from './schema.ts';

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
  /** Trailing sessions before the first backtest day, oldest first. */
  readonly leadingSessions: readonly Session[];
  readonly availability: AvailabilityReport;
  /** The reader validation used; the run reuses it, so footers parsed here are not parsed again. */
  readonly reader: ParquetBarReader;
  /** Missing (symbol → reason) per backtest date. */
  readonly skips: ReadonlyMap<string, ReadonlyMap<string, MissingData>>;
  readonly warnings: readonly string[];
}

/**
 * Validate a config against the calendar and the store and build the {@link RunPlan}.
 * Every missing (symbol, session) is reported with the file looked for. With
 * `config.strict` any missing data fails here, before the first day.
 *
 * @example
 * ```ts
 * const plan = await planRun(readConfigFile('session.json'));
 * console.log(plan.base.name, plan.sessions.length, plan.availability.missing);
 * ```
 */
export async function planRun(config: SessionConfig, options: { reader?: ParquetBarReader } = {}): Promise<RunPlan> {
  const calendar = getCalendar(config.calendar);
  const sessions = calendar.sessions(config.backtest.start, config.backtest.end);
  if (sessions.length === 0) {
    throw ConfigError.at('backtest', { start: config.backtest.start, end: config.backtest.end }, `a date range containing at least one ${calendar.name} session`);
  }
  const streams = config.streams.map((s, i) => parseInterval(s, `streams[${i}]`)).sort((a, b) => a.ms - b.ms);
  const base = streams[0]!;
  const derived = streams.slice(1);
  const historySessions = config.history.reduce((n, h) => Math.max(n, h.trailingSessions), 0);
  const historyNames = new Set<string>();
  if (historySessions > 0) {
    for (const h of config.history) for (const i of h.intervals) historyNames.add(parseInterval(i).name);
    for (const ind of config.indicators) historyNames.add(parseInterval(ind.interval).name);
    historyNames.add(base.name);
  }
  const historyIntervals = [...historyNames].map((n) => parseInterval(n)).sort((a, b) => a.ms - b.ms);
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

  const store: StoreConfig = { root: config.store.root, layout: config.store.layout, timestamp: config.store.timestamp, ...(config.store.columns ? { columns: config.store.columns } : {}) };
  const reader = options.reader ?? new ParquetBarReader(store);
  const checks: Array<{ symbol: string; session: Session; kind: 'session' | 'history' }> = [];
  for (const symbol of config.symbols) {
    for (const session of leadingSessions) checks.push({ symbol, session, kind: 'history' });
    for (const session of sessions) checks.push({ symbol, session, kind: 'session' });
  }
  const missing: MissingData[] = [];
  const files = new Set<string>();
  const results = await mapLimit(checks, 16, async ({ symbol, session, kind }) => ({ symbol, session, kind, found: await reader.exists(symbol, base.name, session.date, session.open, session.close) }));
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
  if (missing.length > 0) {
    const lines = missing.map((m) => `  ${m.symbol} ${m.date} (${m.kind}): ${m.reason.includes(m.file) ? m.reason : `${m.reason}: ${m.file}`}`);
    if (config.strict) throw new DataError(`strict mode: data missing for ${missing.length} (symbol, session) pair${missing.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, { file: missing[0]!.file, symbol: missing[0]!.symbol, date: missing[0]!.date });
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
    leadingSessions,
    availability: { checked: checks.length, found: checks.length - missing.length, missing, files: [...files].sort() },
    reader,
    skips,
    warnings: [...warnings, ...missing.map((m) => `missing data, ${m.kind === 'session' ? 'symbol skipped that day' : 'history shorter'}: ${m.symbol} ${m.date}: ${m.reason.includes(m.file) ? m.reason : `${m.reason}: ${m.file}`}`)],
  };
}

/** Map with at most `limit` promises in flight (file checks: fast but not unbounded). */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
