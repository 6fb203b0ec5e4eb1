import { accountReports } from './account-reports.ts';
import { computeStats, type BacktestStats, type EquityDay, type StatsTrade } from './compute-stats.ts';

/** What the statistics read of a day's result (`DayResult` has it). */
export interface StatsDay {
  readonly date: string;
  readonly open: number;
  readonly close: number;
  readonly components: Readonly<Record<string, unknown>>;
  readonly tables: Readonly<Record<string, ReadonlyArray<unknown>>>;
}

/**
 * The run's statistics ({@link computeStats}) from its days: the broker's day reports (equity
 * at each session's close, fees, turnover), its `trades` and `equity` tables (round trips;
 * exposure = share of ticks with an open position) and the `benchmark` component's closes.
 * Annualised over 365 periods for the `24/7` calendar and 252 for exchange calendars.
 * Undefined when no broker traded (no account to measure).
 *
 * @example
 * ```ts
 * const stats = runStats(result.days, plan.calendar);
 * ```
 */
export function runStats(days: readonly StatsDay[], calendar: { readonly name: string }): BacktestStats | undefined {
  const periodsPerYear = calendar.name === '24/7' ? 365 : 252;
  const accounts = accountReports(days)?.reports;
  if (!accounts) return undefined;
  const equityDays: EquityDay[] = days.map((day, i) => {
    const bench = day.components.benchmark as { close?: number | null } | undefined;
    return { date: day.date, time: day.close, equity: accounts[i]!.equityEnd, ...(typeof bench?.close === 'number' ? { benchmark: bench.close } : {}) };
  });
  // The trade rows themselves (they have pnl, returnPct and durationMs): no copy per trade.
  const trades: StatsTrade[] = days.flatMap((day) => (day.tables.trades ?? []) as unknown as StatsTrade[]);
  let ticks = 0;
  let exposed = 0;
  for (const day of days) {
    for (const point of (day.tables.equity ?? []) as unknown as Array<{ gross: number }>) {
      ticks++;
      if (point.gross > 0) exposed++;
    }
  }
  return computeStats({
    startEquity: accounts[0]!.equityStart,
    start: days[0]!.open,
    end: days.at(-1)!.close,
    days: equityDays,
    trades,
    exposure: ticks > 0 ? exposed / ticks : 0,
    commissions: accounts.reduce((n, a) => n + a.fees, 0),
    traded: accounts.reduce((n, a) => n + a.turnover, 0),
    periodsPerYear,
  });
}
