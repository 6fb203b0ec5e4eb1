import type { RunPlan } from '../config/plan-run.ts';
import type { BarLoader } from '../store/threaded-bar-loader.ts';
import type { ReportPrices } from './report-data.ts';

/**
 * The base bars of the report's symbols over the run's sessions, read from the store: the
 * `symbols` asked for, else the traded ones (those with fills), at most `limit` of them.
 * Sessions a symbol lacks are left out (the quality table says so).
 *
 * @example
 * ```ts
 * const prices = await loadReportPrices(plan, plan.reader, ['SPY'], result.days.map((d) => d.date));
 * ```
 */
export async function loadReportPrices(plan: RunPlan, reader: Pick<BarLoader, 'load'>, symbols: readonly string[], dates: readonly string[]): Promise<ReportPrices[]> {
  const wanted = new Set(dates);
  const sessions = plan.sessions.filter((s) => wanted.has(s.date));
  const out: ReportPrices[] = [];
  for (const symbol of symbols) {
    const cols = { start: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
    for (const s of sessions) {
      try {
        const { bars } = await reader.load(symbol, plan.base.name, s.open, s.close, s.date);
        for (let i = 0; i < bars.length; i++) {
          cols.start.push(bars.start[i]!);
          cols.open.push(bars.open[i]!);
          cols.high.push(bars.high[i]!);
          cols.low.push(bars.low[i]!);
          cols.close.push(bars.close[i]!);
          cols.volume.push(bars.volume[i]!);
        }
      } catch {
        // A missing session is already in the quality table; the chart has a gap.
      }
    }
    out.push({ symbol, interval: plan.base.name, ...cols });
  }
  return out;
}
