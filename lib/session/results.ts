import type { OutlierFlags } from '../store/outlier-flags.ts';
import type { RunPlan } from '../config/plan-run.ts';
import type { BacktestStats } from '../metrics/compute-stats.ts';
import type { DataTable } from './data-table.ts';
import type { Json, SymbolAddition, SymbolDrop, TableRows } from './component.ts';
import type { SessionData } from './session-data.ts';
import type { SkippedSymbol } from './load-session-data.ts';
import type { Signal } from './time-slice.ts';

/** The four phases of a trading day (DESIGN §2). */
export type Phase = 'teardown' | 'init' | 'active' | 'end';

/** Quality of one symbol for one day. */
export interface SymbolDayQuality {
  /** Per interval: windows expected by the close, bars present, score 0–100. */
  readonly intervals: Record<string, { expected: number; present: number; rejected: number; score: number; gaps: number }>;
  /** Trailing-history quality per interval. */
  readonly history: Record<string, { expected: number; present: number; score: number; missingSessions: readonly string[] }>;
  /** Rows rejected while loading (today and history), by reason. */
  readonly rejected: Record<string, number>;
  /** Today's base rows that arrived out of order in their file: kept, sorted (a note, not an error). */
  readonly reordered: number;
  /** Outlier flags of today's base bars (config `quality`), present only when a bar was flagged; the bars are kept. */
  readonly flags?: OutlierFlags;
}

/** What one trading day produced. Plain data: it survives the day's teardown. */
export interface DayResult {
  readonly date: string;
  readonly open: number;
  readonly close: number;
  readonly earlyClose: boolean;
  readonly symbols: readonly string[];
  readonly skipped: readonly SkippedSymbol[];
  /** Valid base bars loaded for today. */
  readonly barsIn: number;
  /** Bars that reached SessionData, per interval. */
  readonly barsOut: Record<string, number>;
  /** Rows rejected while loading today's bars, by reason. */
  readonly rejected: Record<string, number>;
  readonly historyBars: number;
  readonly ticks: number;
  /** Wall-clock milliseconds per phase. */
  readonly phaseMs: Record<Phase, number>;
  readonly quality: Record<string, SymbolDayQuality>;
  readonly signals: readonly Signal[];
  /** Symbols that scans (or code) asked to add, with the time, scanner, score, reason and outcome. */
  readonly additions: readonly SymbolAddition[];
  /** Symbols that scans (or code) dropped. */
  readonly drops: readonly SymbolDrop[];
  /** Each component's `report()`, by component name. */
  readonly components: Readonly<Record<string, Json>>;
  /** The components' `tables()` of the day, by table name (the broker's `orders`, `fills`, `trades`, `positions`, `equity`). */
  readonly tables: Readonly<Record<string, TableRows>>;
  /** Each component's `carry()` at the end of the day, by name: pass as `carry` to resume from the next day. */
  readonly carry: Readonly<Record<string, Json>>;
}

/** Totals over all finished days. */
export interface RunTotals {
  readonly days: number;
  readonly barsIn: number;
  readonly barsOut: Record<string, number>;
  readonly rejected: Record<string, number>;
  readonly ticks: number;
  readonly signals: number;
  readonly skipped: number;
  /** Symbols scans added (status `'added'`) and dropped, over all days. */
  readonly added: number;
  readonly dropped: number;
  readonly elapsedMs: number;
}

/** The outcome of a backtest. `sessionData` is the last day, intact until {@link dispose}. */
export interface BacktestResult {
  readonly name: string;
  readonly plan: RunPlan;
  readonly days: readonly DayResult[];
  readonly totals: RunTotals;
  /** The last day's data, intact (the seed: "the system stops with the last day's data"). */
  readonly sessionData: SessionData | undefined;
  /** Files written by `export`. */
  readonly exported: readonly string[];
  /** The components' carry after the last day (by component name). */
  readonly carry: Readonly<Record<string, Json>>;
  /**
   * The run's statistics (see README "Statistics"), computed on first read; undefined when no
   * broker traded. Plain data: readable after {@link dispose}.
   */
  readonly stats: BacktestStats | undefined;
  /**
   * A table the components recorded (`orders`, `fills`, `trades`, `positions`, `equity`,
   * `daily`) over all days, with the session `date` as the first column, as an arquero table.
   */
  table(name: string): DataTable;
  /** `table('trades')`: the round trips. */
  readonly trades: DataTable;
  /** Whether {@link dispose} ran: the last day's SessionData is gone (reading it is a LifecycleError). */
  readonly disposed: boolean;
  /** Release the last day (its components' teardowns run, SessionData is cleared) and the run's data source. Idempotent. */
  dispose(): void;
}

/** Events of a running backtest, in order. */
export type RunEvent =
  | { readonly type: 'run-start'; readonly plan: RunPlan }
  | { readonly type: 'phase'; readonly phase: Phase; readonly date: string; readonly ms: number }
  | { readonly type: 'day'; readonly result: DayResult; readonly index: number; readonly total: number }
  | { readonly type: 'run-end'; readonly result: BacktestResult };

/**
 * Running totals, one finished day at a time: a run that does not keep its days (the CLI,
 * `retainDays: false`) still knows its totals without holding them.
 *
 * @example
 * ```ts
 * const totals = new TotalsAccumulator();
 * for (const day of days) totals.add(day);
 * totals.totals(elapsedMs);
 * ```
 */
export class TotalsAccumulator {
  private days = 0;
  private barsIn = 0;
  private ticks = 0;
  private signals = 0;
  private skipped = 0;
  private added = 0;
  private dropped = 0;
  private readonly barsOut: Record<string, number> = {};
  private readonly rejected: Record<string, number> = {};

  add(d: DayResult): void {
    this.days++;
    for (const a of d.additions ?? []) if (a.status === 'added') this.added++;
    for (const x of d.drops ?? []) if (x.status === 'dropped') this.dropped++;
    this.barsIn += d.barsIn;
    this.ticks += d.ticks;
    this.signals += d.signals.length;
    this.skipped += d.skipped.length;
    for (const [k, n] of Object.entries(d.barsOut)) this.barsOut[k] = (this.barsOut[k] ?? 0) + n;
    for (const [k, n] of Object.entries(d.rejected)) this.rejected[k] = (this.rejected[k] ?? 0) + n;
  }

  totals(elapsedMs: number): RunTotals {
    return { days: this.days, barsIn: this.barsIn, barsOut: { ...this.barsOut }, rejected: { ...this.rejected }, ticks: this.ticks, signals: this.signals, skipped: this.skipped, added: this.added, dropped: this.dropped, elapsedMs };
  }
}

/** Sum per-day results into totals (read once, in order: a stream of days read back from disk works). */
export function totalsOf(days: Iterable<DayResult>, elapsedMs: number): RunTotals {
  const sum = new TotalsAccumulator();
  for (const d of days) sum.add(d);
  return sum.totals(elapsedMs);
}
