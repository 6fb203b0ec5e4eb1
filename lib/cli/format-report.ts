import { cliTable } from './cli-table.ts';
import type { RunPlan } from '../config/plan-run.ts';
import type { DayResult, RunTotals } from '../session/results.ts';

/**
 * The resolved plan as text: what `sessionflow validate` prints for a valid config.
 *
 * @example
 * ```ts
 * console.log(formatPlan(await planRun(config)));
 * ```
 */
export function formatPlan(plan: RunPlan): string {
  const { config, sessions, availability } = plan;
  const first = sessions[0]!;
  const last = sessions.at(-1)!;
  const early = sessions.filter((s) => s.earlyClose).map((s) => s.date);
  const lines = [
    `config ${config.name}: valid`,
    `calendar        ${plan.calendar.name} (${plan.calendar.timezone})`,
    `sessions        ${sessions.length} from ${first.date} to ${last.date}${early.length ? ` (early closes: ${early.join(', ')})` : ''}`,
    `base interval   ${plan.base.name}`,
    `derived         ${plan.derived.map((i) => i.name).join(', ') || 'none'}`,
    `history         ${plan.historySessions} trailing session${plan.historySessions === 1 ? '' : 's'}${plan.historyIntervals.length ? ` at ${plan.historyIntervals.map((i) => i.name).join(', ')}` : ''}`,
    `symbols         ${config.symbols.length}: ${config.symbols.join(', ')}`,
    `indicators      ${config.indicators.map((i) => `${i.name}(${i.period}) on ${i.interval}`).join(', ') || 'none'}`,
    `strategies      ${config.strategies.map((s) => s.name ?? s.module).join(', ') || 'none'}`,
    ...(config.broker !== undefined || config.strategies.length > 0 ? [`broker          ${describeBroker(config.broker ?? {})}`] : []),
    `speed           ${config.backtest.speed === 0 ? 'data-driven' : `clock-driven ×${config.backtest.speed}`}`,
    `store           ${plan.store.root} (${plan.store.layout})`,
    `data files      ${availability.files.length} found; ${availability.found} of ${availability.checked} (symbol, session) pairs available`,
  ];
  if (availability.missing.length > 0) {
    lines.push(`missing data    ${availability.missing.length} (symbol, session) pair${availability.missing.length === 1 ? '' : 's'}${config.strict ? ' — strict mode fails' : ' (skipped for that day)'}:`);
    for (const m of availability.missing) lines.push(`  ${m.symbol} ${m.date} ${m.kind}: ${m.reason.includes(m.file) ? m.reason : `${m.reason}: ${m.file}`}`);
  }
  for (const w of plan.warnings) if (!w.startsWith('missing data')) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** Above this many days the table has a line per month (see DayTable.format). */
const MAX_DAY_LINES = 62;

/** What the per-day table shows of one day: a few numbers, so a run's days need not stay in memory to print it. */
interface DayLine {
  readonly date: string;
  readonly earlyClose: boolean;
  readonly symbols: number;
  readonly skipped: number;
  readonly empty: number;
  readonly barsIn: number;
  readonly barsOut: Readonly<Record<string, number>>;
  readonly rejected: number;
  readonly ticks: number;
  readonly quality: number;
  readonly signals: number;
  readonly added: number;
  readonly dropped: number;
  readonly loadMs: number;
  readonly runMs: number;
  /** Sessions in the line (1 for a day, more for a month). */
  readonly sessions: number;
}

/** Days summed into a line per calendar month: counts and times summed, symbols the most on a day, quality the mean of the days'. */
function byMonth(days: readonly DayLine[]): DayLine[] {
  const months: DayLine[] = [];
  for (const d of days) {
    const month = d.date.slice(0, 7);
    const m = months.at(-1);
    if (!m || m.date !== month) {
      months.push({ ...d, date: month, barsOut: { ...d.barsOut } });
      continue;
    }
    const barsOut: Record<string, number> = { ...m.barsOut };
    for (const [k, n] of Object.entries(d.barsOut)) barsOut[k] = (barsOut[k] ?? 0) + n;
    months[months.length - 1] = {
      date: month,
      earlyClose: m.earlyClose || d.earlyClose,
      symbols: Math.max(m.symbols, d.symbols),
      skipped: m.skipped + d.skipped,
      empty: m.empty + d.empty,
      barsIn: m.barsIn + d.barsIn,
      barsOut,
      rejected: m.rejected + d.rejected,
      ticks: m.ticks + d.ticks,
      quality: (m.quality * m.sessions + d.quality) / (m.sessions + 1),
      signals: m.signals + d.signals,
      added: m.added + d.added,
      dropped: m.dropped + d.dropped,
      loadMs: m.loadMs + d.loadMs,
      runMs: m.runMs + d.runMs,
      sessions: m.sessions + 1,
    };
  }
  return months;
}

/**
 * The per-day summary table printed after a run. `days` is read once, in order (a stream of
 * days read back from disk works).
 *
 * @example
 * ```ts
 * console.log(formatDays(result.days, result.totals));
 * ```
 */
export function formatDays(days: Iterable<DayResult>, totals: RunTotals, timezone = 'UTC'): string {
  const table = new DayTable(timezone);
  for (const d of days) table.add(d);
  return table.format(totals);
}

/** {@link formatDays} one day at a time, as days finish or are read back from disk: a few numbers per day are kept, not the days. */
export class DayTable {
  private readonly clock: Intl.DateTimeFormat;
  private readonly lines: DayLine[] = [];
  private readonly scanRows: string[][] = [];

  constructor(timezone = 'UTC') {
    this.clock = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  get days(): number {
    return this.lines.length;
  }

  add(d: DayResult): void {
    this.lines.push({
      date: d.date,
      earlyClose: d.earlyClose,
      symbols: d.symbols.length,
      skipped: d.skipped.length,
      empty: emptySymbols(d),
      barsIn: d.barsIn,
      barsOut: d.barsOut,
      rejected: sum(d.rejected),
      ticks: d.ticks,
      quality: meanQuality(d),
      signals: d.signals.length,
      added: d.additions.filter((a) => a.status === 'added').length,
      dropped: d.drops.filter((x) => x.status === 'dropped').length,
      loadMs: d.phaseMs.init,
      runMs: d.phaseMs.active,
      sessions: 1,
    });
    this.scanRows.push(...scanRowsOf(d, this.clock));
  }

  format(totals: RunTotals): string {
    const { scanRows } = this;
    // A long run prints a line per month: thousands of day lines are read by nobody (and the
    // table takes seconds to lay out); every day is in OUT/days.ndjson.
    const monthly = this.lines.length > MAX_DAY_LINES;
    const lines = monthly ? byMonth(this.lines) : this.lines;
    const intervals = [...new Set(lines.flatMap((d) => Object.keys(d.barsOut)))];
    // Scan columns only when something was scanned: a run without scanners keeps its old table.
    const scans = scanRows.length > 0;
    // Loaded symbols that got no bar (an empty or zero-row file): a column only when there are
    // any, so that a day that read nothing for a symbol says so next to its skipped count.
    const empty = lines.some((d) => d.empty > 0);
    const table = cliTable({
      head: [monthly ? 'month (sessions)' : 'date', monthly ? 'symbols (max)' : 'symbols', 'skipped', ...(empty ? ['no bars'] : []), 'bars in', ...intervals.map((i) => `${i} out`), 'rejected', 'ticks', 'quality', 'signals', ...(scans ? ['added', 'dropped'] : []), 'load ms', 'run ms'],
      style: { head: [], border: [] },
      // One line per day: row separators make a month of days unreadable.
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const d of lines) {
      table.push([
        `${d.date}${d.earlyClose ? '*' : ''}${monthly ? ` (${d.sessions})` : ''}`,
        d.symbols,
        d.skipped,
        ...(empty ? [d.empty] : []),
        d.barsIn,
        ...intervals.map((i) => d.barsOut[i] ?? 0),
        d.rejected,
        d.ticks,
        d.quality.toFixed(1),
        d.signals,
        ...(scans ? [d.added, d.dropped] : []),
        d.loadMs.toFixed(0),
        d.runMs.toFixed(0),
      ]);
    }
    table.push(['total', '', totals.skipped, ...(empty ? [lines.reduce((n, d) => n + d.empty, 0)] : []), totals.barsIn, ...intervals.map((i) => totals.barsOut[i] ?? 0), sum(totals.rejected), totals.ticks, '', totals.signals, ...(scans ? [totals.added, totals.dropped] : []), '', totals.elapsedMs.toFixed(0)]);
    const footnote = lines.some((d) => d.earlyClose) ? `\n* ${monthly ? 'with an early close' : 'early close'}` : '';
    return table.toString() + footnote + (scans ? `\n${formatScans(scanRows)}` : '');
  }
}

/**
 * A day's additions and drops, one row each, by time: date, exchange-local time (`pre` for a
 * pre-session scan at the open), scanner, symbol, outcome, score and reason.
 */
function scanRowsOf(d: DayResult, clock: Intl.DateTimeFormat): string[][] {
  const time = (t: number): string => (t <= d.open ? 'pre' : clock.format(t).replace(/:00$/, ''));
  return [
    ...d.additions.map((a) => ({ t: a.time, row: [d.date, time(a.time), a.by, a.symbol, a.status === 'added' ? 'added' : a.status === 'present' ? 'already in' : `unavailable: ${a.detail ?? ''}`.slice(0, 60), a.score === undefined ? '' : formatScore(a.score), a.reason ?? ''] })),
    ...d.drops.map((x) => ({ t: x.time, row: [d.date, time(x.time), x.by, x.symbol, x.status === 'dropped' ? 'dropped' : 'not active', '', x.reason ?? ''] })),
  ]
    .sort((a, b) => a.t - b.t)
    .map(({ row }) => row);
}

/** Every addition and drop of the run, one line each (see scanRowsOf). */
function formatScans(rows: readonly string[][]): string {
  const table = cliTable({ head: ['date', 'time', 'scanner', 'symbol', 'outcome', 'score', 'reason'], style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const row of rows) table.push(row);
  return `scans:\n${table.toString()}`;
}

function formatScore(score: number): string {
  return Math.abs(score) >= 1000 ? Math.round(score).toLocaleString('en-US') : score.toPrecision(4);
}

/** Symbols of a day that were loaded (not skipped) but got no base bar. */
function emptySymbols(day: DayResult): number {
  return Object.values(day.quality).filter((q) => (Object.values(q.intervals)[0]?.present ?? 0) === 0).length;
}

/** Mean base-interval quality score over a day's symbols. */
export function meanQuality(day: DayResult): number {
  const scores = Object.values(day.quality).map((q) => Object.values(q.intervals)[0]?.score ?? 0);
  return scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The broker section in one line: cash, costs, fill options and risk limits (defaults named). */
function describeBroker(broker: NonNullable<RunPlan['config']['broker']>): string {
  const parts = [`cash ${broker.cash ?? 100_000}`];
  const commission = broker.commission ?? { type: 'none' as const };
  parts.push(`commission ${Object.entries(commission).map(([k, v]) => (k === 'type' ? String(v) : `${k}=${String(v)}`)).join(' ')}`);
  const slippage = broker.slippage ?? { type: 'none' as const };
  parts.push(`slippage ${Object.entries(slippage).map(([k, v]) => (k === 'type' ? String(v) : `${k}=${String(v)}`)).join(' ')}`);
  if (broker.tradeOnClose) parts.push('trade on the signal bar\'s close');
  if (broker.quotes) parts.push(`quote-aware (${broker.quotes.bid}/${broker.quotes.ask})`);
  if (broker.maxParticipation !== undefined) parts.push(`at most ${broker.maxParticipation * 100} % of a bar's volume`);
  if (broker.cashBuffer) parts.push(`cash buffer ${broker.cashBuffer * 100} %`);
  const risk = Object.entries(broker.risk ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  parts.push(risk.length > 0 ? `risk ${risk.join(' ')}` : 'risk leverage=1 (cash account)');
  return parts.join('; ');
}
