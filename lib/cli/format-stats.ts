import { cliTable } from './cli-table.ts';
import type { BacktestStats } from '../metrics/compute-stats.ts';

/** The rows of the statistics table: backtesting.py's labels, then the additions. */
const ROWS: ReadonlyArray<readonly [string, keyof BacktestStats, 'time' | 'duration' | 'pct' | 'money' | 'ratio' | 'count']> = [
  ['Start', 'start', 'time'],
  ['End', 'end', 'time'],
  ['Duration', 'durationMs', 'duration'],
  ['Exposure Time [%]', 'exposureTimePct', 'pct'],
  ['Equity Final [$]', 'equityFinal', 'money'],
  ['Equity Peak [$]', 'equityPeak', 'money'],
  ['Return [%]', 'returnPct', 'pct'],
  ['Buy & Hold Return [%]', 'buyHoldReturnPct', 'pct'],
  ['Return (Ann.) [%]', 'returnAnnPct', 'pct'],
  ['Volatility (Ann.) [%]', 'volatilityAnnPct', 'pct'],
  ['CAGR [%]', 'cagrPct', 'pct'],
  ['Sharpe Ratio', 'sharpe', 'ratio'],
  ['Sortino Ratio', 'sortino', 'ratio'],
  ['Calmar Ratio', 'calmar', 'ratio'],
  ['Alpha [%]', 'alphaPct', 'pct'],
  ['Beta', 'beta', 'ratio'],
  ['Max. Drawdown [%]', 'maxDrawdownPct', 'pct'],
  ['Avg. Drawdown [%]', 'avgDrawdownPct', 'pct'],
  ['Max. Drawdown Duration', 'maxDrawdownDurationMs', 'duration'],
  ['Avg. Drawdown Duration', 'avgDrawdownDurationMs', 'duration'],
  ['# Trades', 'trades', 'count'],
  ['Win Rate [%]', 'winRatePct', 'pct'],
  ['Best Trade [%]', 'bestTradePct', 'pct'],
  ['Worst Trade [%]', 'worstTradePct', 'pct'],
  ['Avg. Trade [%]', 'avgTradePct', 'pct'],
  ['Max. Trade Duration', 'maxTradeDurationMs', 'duration'],
  ['Avg. Trade Duration', 'avgTradeDurationMs', 'duration'],
  ['Profit Factor', 'profitFactor', 'ratio'],
  ['Expectancy [%]', 'expectancyPct', 'pct'],
  ['SQN', 'sqn', 'ratio'],
  ['Kelly Criterion', 'kelly', 'ratio'],
  ['Commissions [$]', 'commissions', 'money'],
  ['Probabilistic Sharpe', 'probabilisticSharpe', 'ratio'],
  ['Turnover [×]', 'turnover', 'ratio'],
];

/**
 * The statistics as a two-column table with backtesting.py's labels, followed by the line
 * that says how returns were annualised. Undefined values print as `n/a`.
 *
 * @example
 * ```ts
 * io.stdout.write(formatStats(stats) + '\n');
 * ```
 */
export function formatStats(stats: BacktestStats): string {
  const table = cliTable({ head: ['statistic', 'value'], style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const row of statsRows(stats)) table.push([...row]);
  return `${table.toString()}\nreturn-based ratios from session-level equity (one point per session), annualised over ${stats.periodsPerYear} periods; NaN shows as n/a`;
}

/**
 * The statistics as (label, formatted value) rows, in the table's order (the report uses them).
 *
 * @example
 * ```ts
 * statsRows(stats)[6]; // ['Return [%]', '12.34']
 * ```
 */
export function statsRows(stats: BacktestStats): Array<[string, string]> {
  return ROWS.map(([label, key, kind]) => [label, show(stats[key] as number, kind)]);
}

function show(value: number, kind: 'time' | 'duration' | 'pct' | 'money' | 'ratio' | 'count'): string {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'n/a';
  switch (kind) {
    case 'time':
      return new Date(value).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
    case 'duration': {
      const minutes = Math.round(value / 60_000);
      const d = Math.floor(minutes / 1440);
      const h = Math.floor((minutes % 1440) / 60);
      const m = minutes % 60;
      return `${d} days ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    }
    case 'count':
      return String(value);
    case 'money':
      return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'pct':
      return value.toFixed(2);
    default:
      return Number.isFinite(value) ? value.toFixed(3) : String(value);
  }
}
