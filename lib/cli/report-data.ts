import { momentTz } from '../calendar/moment-tz.ts';
import type { BacktestStats } from '../metrics/compute-stats.ts';
import type { DayResult } from '../session/results.ts';
import type { OhlcvColumns } from '../store/types.ts';
import { statsRows } from './format-stats.ts';
import type { ReportCandle, ReportData, ReportMarker, ReportOverlay, ReportPoint } from './render-report.ts';

/** One symbol's bars for the report (base bars of the run, in time order). */
export interface ReportPrices extends OhlcvColumns<ArrayLike<number>> {
  readonly symbol: string;
  readonly interval: string;
}

/**
 * What the report reads of a day: its date, the broker's tables and its quality, either per
 * symbol (a DayResult) or already summed up ({@link reportDayOf}: what a long run keeps).
 */
export type ReportDay = Pick<DayResult, 'date' | 'tables'> & ({ readonly quality: DayResult['quality'] } | { readonly qualitySummary: QualitySummary });

/** A day's quality for the report: symbols, and the lowest and mean of their worst interval scores. */
export interface QualitySummary {
  readonly symbols: number;
  readonly minScore: number;
  readonly meanScore: number;
}

/**
 * The part of a day the report reads, without the per-symbol quality, signals or carry: a
 * run of 500 symbols × 250 sessions keeps a few numbers per day for its report, not every
 * symbol's quality record.
 *
 * @example
 * ```ts
 * const days = [...RunJournal.days(out)].map(reportDayOf);
 * ```
 */
export function reportDayOf(day: DayResult): ReportDay {
  return { date: day.date, tables: { fills: day.tables.fills ?? [], trades: day.tables.trades ?? [], equity: day.tables.equity ?? [] }, qualitySummary: qualitySummaryOf(day.quality) };
}

function qualitySummaryOf(quality: DayResult['quality']): QualitySummary {
  const scores = Object.values(quality).map((q) => Math.min(...Object.values(q.intervals).map((i) => i.score)));
  return { symbols: scores.length, minScore: scores.length ? Math.min(...scores) : NaN, meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : NaN };
}

/** Most points a line keeps, and candles a chart keeps, before they are thinned out. */
const MAX_POINTS = 4000;
const MAX_CANDLES = 3000;
/** Most trades the table lists (the largest by |P&L| beyond that): a table of 100,000 rows is not read. */
const MAX_TRADES = 5000;

/**
 * What the report shows, from a run's days (the broker's `equity`, `fills` and `trades`
 * tables, quality), its statistics and the traded symbols' bars: every time shifted to
 * exchange time (lightweight-charts knows only UTC), the equity kept as each bucket's low and
 * high so drawdowns stay visible, and candles merged k at a time above 3,000 per symbol — both
 * said on the page.
 *
 * @example
 * ```ts
 * const html = renderReport(reportData({ name, timezone: 'America/New_York', stats, days, prices }));
 * ```
 */
export function reportData(input: { readonly name: string; readonly timezone: string; readonly stats: BacktestStats; readonly days: readonly ReportDay[]; readonly prices: readonly ReportPrices[]; readonly overlays?: readonly ReportOverlay[] }): ReportData {
  const zone = momentTz().tz.zone(input.timezone);
  const offsets = new Map<number, number>();
  // Exchange time in seconds: the zone's offset is looked up once per UTC day.
  const local = (ms: number): number => {
    const day = Math.floor(ms / 86_400_000);
    let offset = offsets.get(day);
    if (offset === undefined) offsets.set(day, (offset = zone ? -zone.utcOffset(ms) * 60_000 : 0));
    return Math.floor((ms + offset) / 1000);
  };
  const label = (ms: number): string => new Date(local(ms) * 1000).toISOString().replace('T', ' ').slice(0, 16);
  const downsampled: string[] = [];
  // Say when not every traded symbol has a chart.
  const traded = new Set<string>();
  for (const d of input.days) for (const f of (d.tables.fills ?? []) as unknown as Array<{ symbol: string }>) traded.add(f.symbol);
  const charted = input.prices.filter((p) => traded.has(p.symbol)).length;
  if (traded.size > charted) downsampled.push(`prices: ${charted} of the ${traded.size} traded symbols charted (sessionflow report RUN_DIR --symbol … for others)`);

  // Equity and drawdown at every tick, thinned to each bucket's low and high.
  const points = input.days.flatMap((d) => (d.tables.equity ?? []) as unknown as Array<{ time: number; equity: number }>);
  let peak = -Infinity;
  const dd = points.map((p) => {
    peak = Math.max(peak, p.equity);
    return (p.equity / peak - 1) * 100;
  });
  const keep: number[] = [];
  const bucket = Math.max(1, Math.ceil((points.length * 2) / MAX_POINTS));
  for (let i = 0; i < points.length; i += bucket) {
    let lo = i;
    let hi = i;
    for (let j = i; j < Math.min(points.length, i + bucket); j++) {
      if (points[j]!.equity < points[lo]!.equity) lo = j;
      if (points[j]!.equity > points[hi]!.equity) hi = j;
    }
    for (const k of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) keep.push(k);
  }
  if (bucket > 1) downsampled.push(`equity: ${points.length} points shown as the low and high of every ${bucket}`);
  const equity: ReportPoint[] = [];
  const drawdown: ReportPoint[] = [];
  let last = -Infinity;
  for (const k of keep) {
    const time = local(points[k]!.time);
    if (time <= last) continue; // the charts need strictly increasing times
    last = time;
    equity.push({ time, value: points[k]!.equity });
    drawdown.push({ time, value: dd[k]! });
  }

  // The charted symbols' fills, grouped in one pass (a large run has millions of fills).
  type FillRow = { symbol: string; side: 'buy' | 'sell'; barStart: number; quantity: number; price: number };
  const fillsOf = new Map<string, FillRow[]>(input.prices.map((p) => [p.symbol, []]));
  for (const d of input.days) for (const f of (d.tables.fills ?? []) as unknown as FillRow[]) fillsOf.get(f.symbol)?.push(f);
  const symbols = input.prices.map((p) => {
    const n = p.start.length;
    const k = Math.max(1, Math.ceil(n / MAX_CANDLES));
    if (k > 1) downsampled.push(`${p.symbol}: ${n} ${p.interval} bars merged ${k} at a time`);
    const candles: ReportCandle[] = [];
    const startOf: number[] = [];
    for (let i = 0; i < n; i += k) {
      const end = Math.min(n, i + k);
      let high = -Infinity;
      let low = Infinity;
      let volume = 0;
      for (let j = i; j < end; j++) {
        high = Math.max(high, p.high[j]!);
        low = Math.min(low, p.low[j]!);
        volume += p.volume[j]!;
      }
      const time = local(p.start[i]!);
      if (candles.length > 0 && time <= candles.at(-1)!.time) continue;
      candles.push({ time, open: p.open[i]!, high, low, close: p.close[end - 1]!, volume });
      startOf.push(p.start[i]!);
    }
    // Each fill is marked on the candle holding its bar.
    const markers: ReportMarker[] = [];
    for (const f of fillsOf.get(p.symbol) ?? []) {
      let lo = 0;
      let hi = startOf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (startOf[mid]! <= f.barStart) lo = mid;
        else hi = mid - 1;
      }
      if (startOf.length === 0) continue;
      markers.push({ time: candles[lo]!.time, side: f.side, text: `${f.side === 'buy' ? 'B' : 'S'} ${f.quantity} @ ${f.price}` });
    }
    markers.sort((a, b) => a.time - b.time);
    // The strategy's indicator columns, thinned like the candles, on the same (exchange) time axis.
    const lines = (input.overlays ?? [])
      .filter((o) => o.symbol === p.symbol)
      .map((o) => {
        const step = Math.max(1, Math.ceil(o.time.length / MAX_CANDLES));
        const points: ReportPoint[] = [];
        for (let i = 0; i < o.time.length; i += step) {
          const time = local(o.time[i]!);
          if (points.length > 0 && time <= points.at(-1)!.time) continue;
          points.push({ time, value: o.value[i]! });
        }
        return { name: o.name, points };
      });
    return { symbol: p.symbol, interval: k > 1 ? `${p.interval} ×${k}` : p.interval, candles, markers, lines };
  });

  // The largest trades by |P&L| when there are too many, chosen before any row is built
  // (formatting 800,000 entry and exit times cost seconds).
  type TradeRow = { symbol: string; direction: string; entryTime: number; exitTime: number; entryPrice: number; exitPrice: number; quantity: number; pnl: number; returnPct: number };
  let raw = input.days.flatMap((d) => (d.tables.trades ?? []) as unknown as TradeRow[]);
  if (raw.length > MAX_TRADES) {
    downsampled.push(`trades: the ${MAX_TRADES} largest by |P&L| of ${raw.length}`);
    raw = largestTrades(raw, MAX_TRADES);
  }
  const trades = raw.map((t) => ({
    symbol: t.symbol,
    direction: t.direction,
    entry: local(t.entryTime),
    exit: local(t.exitTime),
    entryLabel: label(t.entryTime),
    exitLabel: label(t.exitTime),
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    quantity: t.quantity,
    pnl: t.pnl,
    returnPct: t.returnPct,
  }));
  const quality = input.days.map((d) => ({ date: d.date, ...('qualitySummary' in d ? d.qualitySummary : qualitySummaryOf(d.quality)) }));

  return { name: input.name, timezone: input.timezone, stats: input.stats, statsRows: statsRows(input.stats), equity, drawdown, symbols, trades, monthly: input.stats.monthlyReturns, quality, downsampled };
}

/**
 * The `count` trades with the largest |P&L| (among equal ones, the earlier in the run), in
 * entry-time order (equal entry times: larger |P&L| first). A native sort of the |P&L| values
 * finds the threshold: sorting 800,000 trade objects with a comparator took about a second.
 */
function largestTrades<T extends { pnl: number; entryTime: number }>(trades: readonly T[], count: number): T[] {
  const sizes = Float64Array.from(trades, (t) => Math.abs(t.pnl)).sort();
  const threshold = sizes[sizes.length - count]!;
  let above = 0;
  for (let i = sizes.length - count; i < sizes.length; i++) if (sizes[i]! > threshold) above++;
  let atThreshold = count - above;
  const picked: Array<{ trade: T; index: number }> = [];
  trades.forEach((trade, index) => {
    const size = Math.abs(trade.pnl);
    if (size > threshold || (size === threshold && atThreshold-- > 0)) picked.push({ trade, index });
  });
  picked.sort((a, b) => a.trade.entryTime - b.trade.entryTime || Math.abs(b.trade.pnl) - Math.abs(a.trade.pnl) || a.index - b.index);
  return picked.map((p) => p.trade);
}
