import type { RunPlan } from '../config/plan-run.ts';
import type { DayResult } from '../session/results.ts';
import { resolveLayoutFiles } from '../store/resolve-layout-files.ts';

/** One (symbol, session) pair that got too few of its base bars. */
export interface CoverageShortfall {
  readonly symbol: string;
  readonly date: string;
  /** Base-interval bars the session should have had. */
  readonly expected: number;
  readonly present: number;
  /** `present / expected`, 0–1. */
  readonly share: number;
  /** Why, in words: the skip reason, "no rows in the session", the rejected rows. */
  readonly reason: string;
  readonly file?: string;
}

/** What {@link checkCoverage} found; recorded under `coverage` in `summary.json`. */
export interface CoverageReport {
  /** The threshold: a pair below this share of its expected bars (or with none) is a shortfall. */
  readonly minCoverage: number;
  readonly baseInterval: string;
  /** Base bars read over the whole run. */
  readonly barsIn: number;
  readonly shortfalls: readonly CoverageShortfall[];
  /** Configured symbols without a single bar in the whole run (a wrong name, case or layout). */
  readonly symbolsWithoutBars: readonly string[];
  /** (symbol, session) pairs whose file validation already reported missing: tolerated gaps (`--strict` refuses them). */
  readonly knownGaps: number;
  /** Whether the run has enough data (nothing of the above except known gaps). */
  readonly ok: boolean;
  /** Why not, in one paragraph naming symbols, dates, files and counts; absent when ok. */
  readonly message?: string;
}

/** Shortfalls listed in the message; the rest are counted (all are in `summary.json`). */
const LISTED = 10;

/**
 * Decide whether a finished run read enough data to be called a success (issue: "a run that
 * read nothing is not a success"). It is not when:
 *
 * - no base bar was read over the whole run (a wrong store root, layout, column mapping or
 *   timestamp unit make every file read as empty);
 * - a configured symbol got no bar on any session (a wrong-case or unknown symbol);
 * - a configured (symbol, session) pair whose data file exists got no bar (an empty, zero-row,
 *   corrupt or wholly rejected file), or less than `minCoverage` (0–1) of its expected base
 *   bars.
 *
 * Pairs whose file validation reported missing are gaps announced before the run (and refused
 * by `--strict`); they count only through the whole-run rules. Symbols added by scanners are
 * not checked: they join mid-session by design.
 *
 * @example
 * ```ts
 * const coverage = checkCoverage(plan, days, { minCoverage: 0.9 });
 * if (!coverage.ok) console.error(coverage.message);
 * ```
 */
export function checkCoverage(plan: RunPlan, days: Iterable<DayResult>, options: { minCoverage?: number } = {}): CoverageReport {
  const check = new CoverageCheck(plan, options);
  for (const day of days) check.add(day);
  return check.report();
}

/**
 * {@link checkCoverage} one day at a time, as days finish or are read back from disk: it
 * keeps per-symbol counts and the findings, never the days.
 */
export class CoverageCheck {
  private readonly minCoverage: number;
  private readonly base: string;
  private readonly known: Set<string>;
  private readonly symbols: readonly string[];
  private readonly barsBySymbol: Map<string, number>;
  private readonly shortfalls: CoverageShortfall[] = [];
  private barsIn = 0;
  private knownGaps = 0;
  private sessions = 0;

  constructor(
    private readonly plan: RunPlan,
    options: { minCoverage?: number } = {},
  ) {
    this.minCoverage = options.minCoverage ?? 0;
    this.base = plan.base.name;
    this.known = new Set(plan.availability.missing.filter((m) => m.kind === 'session').map((m) => `${m.symbol} ${m.date}`));
    this.symbols = plan.config.symbols;
    this.barsBySymbol = new Map(this.symbols.map((s) => [s, 0]));
  }

  add(day: DayResult): void {
    const { plan, base, minCoverage } = this;
    this.sessions++;
    this.barsIn += day.barsIn;
    const windows = Math.round((day.close - day.open) / plan.base.ms);
    const skipped = new Map(day.skipped.map((s) => [s.symbol, s]));
    for (const symbol of this.symbols) {
      if (this.known.has(`${symbol} ${day.date}`)) {
        this.knownGaps++;
        continue;
      }
      const skip = skipped.get(symbol);
      if (skip) {
        this.shortfalls.push({ symbol, date: day.date, expected: windows, present: 0, share: 0, reason: skip.reason, ...(skip.file ? { file: skip.file } : {}) });
        continue;
      }
      const quality = day.quality[symbol];
      const interval = quality?.intervals[base];
      if (!quality || !interval) continue;
      this.barsBySymbol.set(symbol, (this.barsBySymbol.get(symbol) ?? 0) + interval.present);
      const share = interval.expected > 0 ? interval.present / interval.expected : 1;
      if (interval.present > 0 && share >= minCoverage) continue;
      const rejected = Object.entries(quality.rejected).filter(([, n]) => n > 0);
      const why = interval.present === 0 ? (rejected.length > 0 ? `every row rejected (${rejected.map(([k, n]) => `${k} ${n}`).join(', ')})` : 'no rows in the session (an empty or zero-row file, or timestamps outside the session)') : `${(share * 100).toFixed(1)} % of the expected bars${rejected.length > 0 ? ` (rejected: ${rejected.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`;
      const file = fileOf(plan, symbol, day.date);
      this.shortfalls.push({ symbol, date: day.date, expected: interval.expected, present: interval.present, share, reason: why, ...(file ? { file } : {}) });
    }
  }

  report(): CoverageReport {
    const { sessions, barsIn, shortfalls } = this;
    const symbolsWithoutBars = sessions === 0 ? [] : this.symbols.filter((s) => this.barsBySymbol.get(s) === 0);
    const ok = sessions === 0 || (barsIn > 0 && symbolsWithoutBars.length === 0 && shortfalls.length === 0);
    const report = { minCoverage: this.minCoverage, baseInterval: this.base, barsIn, shortfalls: [...shortfalls], symbolsWithoutBars, knownGaps: this.knownGaps, ok };
    return ok ? report : { ...report, message: describe(this.plan, sessions, report) };
  }
}

function fileOf(plan: RunPlan, symbol: string, date: string): string | undefined {
  try {
    const { pattern, files } = resolveLayoutFiles(plan.store, { symbol, interval: plan.base.name, date });
    return files.length === 1 ? files[0] : pattern;
  } catch {
    // Only for the message: a layout that cannot name the file leaves it out.
    return undefined;
  }
}

function describe(plan: RunPlan, count: number, report: Omit<CoverageReport, 'message'>): string {
  const parts: string[] = [];
  const sessions = `${count} session${count === 1 ? '' : 's'}`;
  if (report.barsIn === 0) {
    parts.push(`the run read no ${report.baseInterval} bars over ${sessions} for ${plan.config.symbols.join(', ') || 'no symbols'} from the store ${plan.store.root} (layout ${plan.store.layout}): check the store root, layout, timestamp column and unit, and symbol names (sessionflow data check shows what the store holds)`);
  } else if (report.symbolsWithoutBars.length > 0) {
    parts.push(`no ${report.baseInterval} bars on any of the ${sessions} for ${report.symbolsWithoutBars.join(', ')} (is the symbol spelled as in the store, case included?)`);
  }
  const pairs = report.shortfalls;
  if (pairs.length > 0) {
    const rule = report.minCoverage > 0 ? `fewer than ${+(report.minCoverage * 100).toFixed(2)} % of their expected ${report.baseInterval} bars (--min-coverage ${report.minCoverage})` : `no ${report.baseInterval} bars although their data file exists`;
    const lines = pairs.slice(0, LISTED).map((s) => `  ${s.symbol} ${s.date}: ${s.present} of ${s.expected} bars: ${s.reason}${s.file && !s.reason.includes(s.file) ? `: ${s.file}` : ''}`);
    if (pairs.length > LISTED) lines.push(`  … and ${pairs.length - LISTED} more (all listed under coverage in summary.json)`);
    parts.push(`${pairs.length} (symbol, session) pair${pairs.length === 1 ? '' : 's'} got ${rule}:\n${lines.join('\n')}`);
  }
  return `${parts.join('; ')}\n(pass --allow-empty to accept the run as it is)`;
}
