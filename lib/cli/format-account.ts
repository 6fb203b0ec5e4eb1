import { accountReports } from '../metrics/account-reports.ts';

/**
 * One paragraph on what trading earned over `days`, from the broker's day reports: equity
 * from the first day's start to the last day's end, return, fees and slippage, turnover,
 * fills, round trips, rejections and risk halts. Undefined when no broker traded.
 *
 * @example
 * ```ts
 * formatAccount(result.days); // 'account: equity 100,000.00 → 101,268.75 (+1.27 %) · fees 312.50 · …'
 * ```
 */
export function formatAccount(days: Iterable<{ readonly components: Readonly<Record<string, unknown>> }>): string | undefined {
  const account = accountReports(days);
  if (!account) return undefined;
  const { name, reports } = account;
  const start = reports[0]!.equityStart;
  const end = reports.at(-1)!.equityEnd;
  const sum = (key: 'fees' | 'slippage' | 'turnover' | 'fills' | 'trades' | 'rejected'): number => reports.reduce((acc, r) => acc + r[key], 0);
  const money = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const change = ((end - start) / start) * 100;
  const halts = reports.filter((r) => r.haltedBy).map((r) => r.haltedBy);
  return [
    `${name}: equity ${money(start)} → ${money(end)} (${change >= 0 ? '+' : ''}${change.toFixed(2)} %) over ${reports.length} session${reports.length === 1 ? '' : 's'}`,
    `  fees ${money(sum('fees'))} · slippage ${money(sum('slippage'))} · turnover ${money(sum('turnover'))} · ${sum('fills')} fills · ${sum('trades')} round trips · ${sum('rejected')} rejected orders${halts.length > 0 ? ` · halted on ${halts.length} day(s) (${[...new Set(halts)].join(', ')})` : ''}`,
  ].join('\n');
}
