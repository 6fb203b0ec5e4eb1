import { intervalMs } from '../calendar/interval.ts';
import { aggregateSessionWindows } from '../store/aggregate-windows.ts';
import type { RunPlan } from '../config/plan-run.ts';
import type { LoadOutcome } from '../store/bar-reader.ts';
import type { BarLoader } from '../store/threaded-bar-loader.ts';
import type { ReportPrices } from './report-data.ts';

/**
 * The bars of the report's symbols over the run's sessions, read from the store: base bars,
 * or merged into `interval` windows anchored at each session's open. Sessions a symbol lacks
 * are left out (the quality table says so).
 *
 * @example
 * ```ts
 * const prices = await loadReportPrices(plan, plan.reader, ['SPY'], result.days.map((d) => d.date), '5m');
 * ```
 */
export async function loadReportPrices(plan: RunPlan, reader: Pick<BarLoader, 'loadMany'>, symbols: readonly string[], dates: readonly string[], interval?: string): Promise<ReportPrices[]> {
  // Bars of a coarser interval are windows anchored at each session's open (DESIGN §1).
  const windowMs = interval === undefined || interval === plan.base.name ? 0 : intervalMs(interval, '--interval');
  const wanted = new Set(dates);
  const sessions = plan.sessions.filter((s) => wanted.has(s.date));
  // Symbols side by side: with decode threads their files decode in parallel.
  return Promise.all(symbols.map((symbol) => pricesOf(symbol, plan, reader, sessions, windowMs, interval)));
}

/** One symbol's bars over `sessions`, merged into `windowMs` windows when asked. */
async function pricesOf(symbol: string, plan: RunPlan, reader: Pick<BarLoader, 'loadMany'>, sessions: RunPlan['sessions'], windowMs: number, interval: string | undefined): Promise<ReportPrices> {
  const cols = { start: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
  // Sessions in groups of 20 (the engine's read-ahead): one decode per file and group. One
  // loadMany of all 250 sessions of a year was 10× slower than this (measured: its split
  // grows with windows × rows).
  const loaded: LoadOutcome[] = [];
  for (let i = 0; i < sessions.length; i += 20) loaded.push(...(await reader.loadMany(symbol, plan.base.name, sessions.slice(i, i + 20).map((s) => ({ from: s.open, to: s.close, date: s.date })))));
  // Each candle appended as it is made: the base bars, or windows by the batch aggregator.
  const candles = {
    append: (start: number, _end: number, open: number, high: number, low: number, close: number, volume: number): void => {
      cols.start.push(start);
      cols.open.push(open);
      cols.high.push(high);
      cols.low.push(low);
      cols.close.push(close);
      cols.volume.push(volume);
    },
  };
  sessions.forEach((s, n) => {
    const outcome = loaded[n]!;
    // A missing session is already in the quality table; the chart has a gap.
    if (!outcome.ok) return;
    const bars = outcome.loaded.bars;
    if (windowMs > 0) aggregateSessionWindows(bars, 0, bars.length, s, windowMs, candles);
    else for (let i = 0; i < bars.length; i++) candles.append(bars.start[i]!, 0, bars.open[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!, bars.volume[i]!);
  });
  return { symbol, interval: windowMs > 0 ? interval! : plan.base.name, length: cols.start.length, ...cols };
}
