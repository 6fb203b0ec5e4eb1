/** The fields of a broker's day report that run-level figures read. */
export interface AccountReport {
  readonly equityStart: number;
  readonly equityEnd: number;
  readonly fees: number;
  readonly slippage: number;
  readonly turnover: number;
  readonly fills: number;
  readonly trades: number;
  readonly rejected: number;
  readonly haltedBy: string | null;
}

/**
 * The broker's report of every day (the component whose report has `equityEnd`), with the
 * component's name; undefined when no broker reported, or not on every day. The one place
 * run-level figures (the account line, the statistics) find the account.
 *
 * @example
 * ```ts
 * accountReports(result.days)?.reports.at(-1)?.equityEnd;
 * ```
 */
export function accountReports(days: Iterable<{ readonly components: Readonly<Record<string, unknown>> }>): { name: string; reports: AccountReport[] } | undefined {
  const reports: AccountReport[] = [];
  let name: string | undefined;
  for (const day of days) {
    const found = Object.entries(day.components).find(([key, r]) => (name === undefined || key === name) && r !== null && typeof r === 'object' && !Array.isArray(r) && 'equityEnd' in r);
    if (!found) return undefined;
    name = found[0];
    reports.push(found[1] as AccountReport);
  }
  return name === undefined ? undefined : { name, reports };
}
