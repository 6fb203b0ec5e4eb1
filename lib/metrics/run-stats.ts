import { accountReports, type AccountReport } from './account-reports.ts';
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
 * Undefined when no broker traded (no account to measure). `days` is read once, in order.
 *
 * @example
 * ```ts
 * const stats = runStats(result.days, plan.calendar);
 * ```
 */
export function runStats(days: Iterable<StatsDay>, calendar: { readonly name: string }): BacktestStats | undefined {
  const sum = new RunStatsAccumulator(calendar);
  for (const day of days) sum.add(day);
  return sum.stats();
}

/**
 * {@link runStats} one day at a time, as days finish or are read back from disk: it keeps
 * what the figures read of each day (its account report, the trade rows, exposure counts),
 * never the day's tables.
 */
export class RunStatsAccumulator {
  private readonly kept: Array<Pick<StatsDay, 'date' | 'open' | 'close' | 'components'>> = [];
  // Of each trade, the three numbers the figures read (pnl, returnPct, durationMs), in one
  // array: a trade row is ~0.5 KB, and a sweep keeps the trades of hundreds of sets at once.
  private readonly trades: number[] = [];
  private ticks = 0;
  private exposed = 0;

  constructor(private readonly calendar: { readonly name: string }) {}

  add(day: StatsDay): void {
    // Of the components' reports, only the account's and the benchmark's: a scanner reports
    // every scan, which a ten-year run must not keep.
    const components: Record<string, unknown> = {};
    let account: { ticks?: unknown; exposedTicks?: unknown } | undefined;
    for (const [name, report] of Object.entries(day.components)) {
      const isAccount = report !== null && typeof report === 'object' && !Array.isArray(report) && 'equityEnd' in report;
      if (isAccount) {
        account ??= report as { ticks?: unknown; exposedTicks?: unknown };
        // The fields the figures read, not the whole report: a sweep keeps a year of them per set.
        const r = report as AccountReport;
        components[name] = { equityStart: r.equityStart, equityEnd: r.equityEnd, fees: r.fees, slippage: r.slippage, turnover: r.turnover, fills: r.fills, trades: r.trades, rejected: r.rejected, haltedBy: r.haltedBy ?? null } satisfies AccountReport;
      } else if (name === 'benchmark') {
        const close = (report as { close?: unknown } | null)?.close;
        components[name] = { close: typeof close === 'number' ? close : null };
      }
    }
    this.kept.push({ date: day.date, open: day.open, close: day.close, components });
    for (const trade of (day.tables.trades ?? []) as unknown as StatsTrade[]) this.trades.push(trade.pnl, trade.returnPct, trade.durationMs);
    if (typeof account?.ticks === 'number' && typeof account.exposedTicks === 'number') {
      // The broker counted its equity points: the equity table is not needed.
      this.ticks += account.ticks;
      this.exposed += account.exposedTicks;
    } else {
      for (const point of (day.tables.equity ?? []) as unknown as Array<{ gross: number }>) {
        this.ticks++;
        if (point.gross > 0) this.exposed++;
      }
    }
  }

  /** The days added so far with the reports the account figures read (for formatAccount). */
  get accountDays(): ReadonlyArray<Pick<StatsDay, 'components'>> {
    return this.kept;
  }

  private tradeList(): StatsTrade[] {
    const t = this.trades;
    const out = new Array<StatsTrade>(t.length / 3);
    for (let i = 0, at = 0; at < t.length; i++, at += 3) out[i] = { pnl: t[at]!, returnPct: t[at + 1]!, durationMs: t[at + 2]! };
    return out;
  }

  stats(): BacktestStats | undefined {
    const { kept } = this;
    const accounts = accountReports(kept)?.reports;
    if (!accounts) return undefined;
    const equityDays: EquityDay[] = kept.map((day, i) => {
      const bench = day.components.benchmark as { close?: number | null } | undefined;
      return { date: day.date, time: day.close, equity: accounts[i]!.equityEnd, ...(typeof bench?.close === 'number' ? { benchmark: bench.close } : {}) };
    });
    return computeStats({
      startEquity: accounts[0]!.equityStart,
      start: kept[0]!.open,
      end: kept.at(-1)!.close,
      days: equityDays,
      trades: this.tradeList(),
      exposure: this.ticks > 0 ? this.exposed / this.ticks : 0,
      commissions: accounts.reduce((n, a) => n + a.fees, 0),
      traded: accounts.reduce((n, a) => n + a.turnover, 0),
      periodsPerYear: this.calendar.name === '24/7' ? 365 : 252,
    });
  }
}
