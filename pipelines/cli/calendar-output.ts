import { cliTable } from '../../lib/cli/cli-table.ts';
import moment from 'moment-timezone';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { parseDay } from '../../lib/calendar/civil-date.ts';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { Session, TradingCalendar } from '../../lib/calendar/types.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { CalendarOptions } from './calendar-command.ts';
import type { CliIo } from './cli-io.ts';
import { printFailure } from './print-failure.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const weekdayOf = (date: string): string => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

/**
 * What `sessionflow calendar <name>` prints (see registerCalendarCommand): the sessions or,
 * with `--holidays`, the closed weekdays, on `io.stdout` (coloured only when `io.color`); a
 * problem on `io.stderr`, or with `--json` as one JSON object on stdout. Returns the exit code.
 *
 * @example
 * ```ts
 * calendarOutput('XNYS', { from: '2024-07-01', to: '2024-07-05' }, processIo()); // 0
 * ```
 */
export function calendarOutput(name: string, opts: CalendarOptions, io: CliIo): number {
  try {
    const calendar = getCalendar(name);
    const from = opts.from ?? `${new Date().getUTCFullYear()}-01-01`;
    parseDay(from, '--from');
    const to = opts.to ?? `${from.slice(0, 4)}-12-31`;
    parseDay(to, '--to');
    if (to < from) throw ConfigError.at('--to', to, `a date on or after --from (${from})`);
    const color = io.color ?? false;
    const text = opts.holidays ? holidaysOutput(calendar, from, to, opts.json ?? false, color) : sessionsOutput(calendar, from, to, opts, color);
    io.stdout.write(text);
    return EXIT.ok;
  } catch (error) {
    printFailure(error, io, { json: opts.json });
    return exitCodeFor(error, { started: false });
  }
}

function holidaysOutput(calendar: TradingCalendar, from: string, to: string, json: boolean, color: boolean): string {
  const holidays = calendar.holidays(from, to).map((h) => ({ date: h.date, weekday: weekdayOf(h.date), reason: h.reason }));
  if (json) return JSON.stringify({ calendar: calendar.name, timezone: calendar.timezone, from, to, holidays }, null, 2) + '\n';
  const table = cliTable({ head: ['date', 'day', 'reason'] }, color);
  for (const h of holidays) table.push([h.date, h.weekday, h.reason]);
  return `${table.toString()}\n${calendar.name}: ${holidays.length} closed weekday${holidays.length === 1 ? '' : 's'} from ${from} to ${to}\n`;
}

function sessionsOutput(calendar: TradingCalendar, from: string, to: string, opts: CalendarOptions, color: boolean): string {
  const reasons = new Map(calendar.specialDays(from, to).flatMap((d) => (d.kind === 'shortened' ? [[d.date, d.reason] as const] : [])));
  const local = (instant: number): string => moment.tz(instant, calendar.timezone).format('HH:mm');
  // A session that runs to midnight ends at "24:00" of its own date, not "00:00".
  const localEnd = (instant: number, date: string): string => (moment.tz(instant, calendar.timezone).format('YYYY-MM-DD') > date ? '24:00' : local(instant));
  const utc = (instant: number): string => new Date(instant).toISOString().slice(11, 16);
  const rows = calendar.sessions(from, to).map((s: Session) => {
    const extended = opts.extended ? calendar.extendedHours(s) : undefined;
    return {
      date: s.date,
      weekday: weekdayOf(s.date),
      open: s.open,
      close: s.close,
      openLocal: local(s.open),
      closeLocal: localEnd(s.close, s.date),
      openUtc: new Date(s.open).toISOString(),
      closeUtc: new Date(s.close).toISOString(),
      minutes: calendar.minutes(s),
      earlyClose: s.earlyClose,
      ...(extended ? { preOpenLocal: local(extended.preOpen), postCloseLocal: localEnd(extended.postClose, s.date), preOpen: extended.preOpen, postClose: extended.postClose } : {}),
      ...(reasons.has(s.date) ? { reason: reasons.get(s.date)! } : {}),
    };
  });
  if (opts.json) return JSON.stringify({ calendar: calendar.name, timezone: calendar.timezone, from, to, sessions: rows }, null, 2) + '\n';
  const head = ['date', 'day', `open (${calendar.timezone})`, 'close', 'open UTC', 'close UTC', 'minutes', ...(opts.extended ? ['pre-market', 'post-market'] : []), 'note'];
  const table = cliTable({ head }, color);
  for (const r of rows) {
    table.push([r.date, r.weekday, r.openLocal, r.closeLocal, utc(r.open), utc(r.close), String(r.minutes), ...(opts.extended ? [`${r.preOpenLocal}–${r.openLocal}`, `${r.closeLocal}–${r.postCloseLocal}`] : []), r.reason ?? '']);
  }
  const early = rows.filter((r) => r.earlyClose).length;
  const lateOnly = rows.filter((r) => r.reason !== undefined && !r.earlyClose).length;
  return `${table.toString()}\n${calendar.name}: ${rows.length} session${rows.length === 1 ? '' : 's'} from ${from} to ${to} (${early} early close${early === 1 ? '' : 's'}, ${lateOnly} late open${lateOnly === 1 ? '' : 's'})\n`;
}
