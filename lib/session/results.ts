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

/** Sum per-day results into totals. */
export function totalsOf(days: readonly DayResult[], elapsedMs: number): RunTotals {
  const barsOut: Record<string, number> = {};
  const rejected: Record<string, number> = {};
  let barsIn = 0;
  let ticks = 0;
  let signals = 0;
  let skipped = 0;
  let added = 0;
  let dropped = 0;
  for (const d of days) {
    for (const a of d.additions ?? []) if (a.status === 'added') added++;
    for (const x of d.drops ?? []) if (x.status === 'dropped') dropped++;
    barsIn += d.barsIn;
    ticks += d.ticks;
    signals += d.signals.length;
    skipped += d.skipped.length;
    for (const [k, n] of Object.entries(d.barsOut)) barsOut[k] = (barsOut[k] ?? 0) + n;
    for (const [k, n] of Object.entries(d.rejected)) rejected[k] = (rejected[k] ?? 0) + n;
  }
  return { days: days.length, barsIn, barsOut, rejected, ticks, signals, skipped, added, dropped, elapsedMs };
}
