import Table from 'cli-table3';
import type { Command } from 'commander';
import moment from 'moment-timezone';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { parseDay } from '../../lib/calendar/civil-date.ts';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { Session, TradingCalendar } from '../../lib/calendar/types.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { CliIo } from './cli-io.ts';
import { printError } from './print-error.ts';
import { helpExamples } from './help-examples.ts';

/** Options of `sessionflow calendar` as commander parses them. */
interface CalendarOptions {
  from?: string;
  to?: string;
  holidays?: boolean;
  extended?: boolean;
  json?: boolean;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const weekdayOf = (date: string): string => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

/**
 * Add `sessionflow calendar <name>` to `program`: the sessions of a calendar between `--from`
 * and `--to` (default: the current year) with local and UTC open/close, minutes and the reason
 * for any shortened session; `--holidays` lists the closed weekdays with their reason instead;
 * `--extended` adds the pre-/post-market hours; `--json` prints one JSON document (all on
 * `io.stdout`). An unknown calendar or a bad date prints the problem on `io.stderr` and sets
 * exit code 1.
 *
 * @example
 * ```ts
 * registerCalendarCommand(program, processIo(), (c) => (code = c));
 * // sessionflow calendar XNYS --from 2025-01-01 --to 2025-12-31 --holidays
 * ```
 */
export function registerCalendarCommand(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program
    .command('calendar')
    .description('print the sessions of an exchange calendar (or --holidays: the closed weekdays and why)')
    .argument('<name>', 'calendar name: XNYS (NYSE, XNAS, NASDAQ, US_EQUITY), 24/7, 24/5 or a registered name')
    .option('--from <date>', 'first date, YYYY-MM-DD (default: January 1 of the current year)')
    .option('--to <date>', 'last date, YYYY-MM-DD (default: December 31 of the --from year)')
    .option('--holidays', 'list the weekdays without a session and their reason')
    .option('--extended', 'add pre- and post-market hours')
    .option('--json', 'machine-readable output')
    .addHelpText('after', helpExamples(['sessionflow calendar XNYS --from 2024-07-01 --to 2024-07-31', 'sessionflow calendar NYSE --from 2025-01-01 --holidays', 'sessionflow calendar XNYS --from 2024-11-29 --to 2024-11-29 --extended --json']))
    .action((name: string, opts: CalendarOptions) => {
      try {
        const calendar = getCalendar(name);
        const from = opts.from ?? `${new Date().getUTCFullYear()}-01-01`;
        parseDay(from, '--from');
        const to = opts.to ?? `${from.slice(0, 4)}-12-31`;
        parseDay(to, '--to');
        if (to < from) throw ConfigError.at('--to', to, `a date on or after --from (${from})`);
        const text = opts.holidays ? holidaysOutput(calendar, from, to, opts.json ?? false) : sessionsOutput(calendar, from, to, opts);
        io.stdout.write(text);
        setCode(EXIT.ok);
      } catch (error) {
        printError(error, io.stderr);
        setCode(exitCodeFor(error, { started: false }));
      }
    });
}

function holidaysOutput(calendar: TradingCalendar, from: string, to: string, json: boolean): string {
  const holidays = calendar.holidays(from, to).map((h) => ({ date: h.date, weekday: weekdayOf(h.date), reason: h.reason }));
  if (json) return JSON.stringify({ calendar: calendar.name, timezone: calendar.timezone, from, to, holidays }, null, 2) + '\n';
  const table = new Table({ head: ['date', 'day', 'reason'] });
  for (const h of holidays) table.push([h.date, h.weekday, h.reason]);
  return `${table.toString()}\n${calendar.name}: ${holidays.length} closed weekday${holidays.length === 1 ? '' : 's'} from ${from} to ${to}\n`;
}

function sessionsOutput(calendar: TradingCalendar, from: string, to: string, opts: CalendarOptions): string {
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
  const table = new Table({ head });
  for (const r of rows) {
    table.push([r.date, r.weekday, r.openLocal, r.closeLocal, utc(r.open), utc(r.close), String(r.minutes), ...(opts.extended ? [`${r.preOpenLocal}–${r.openLocal}`, `${r.closeLocal}–${r.postCloseLocal}`] : []), r.reason ?? '']);
  }
  const early = rows.filter((r) => r.earlyClose).length;
  const lateOnly = rows.filter((r) => r.reason !== undefined && !r.earlyClose).length;
  return `${table.toString()}\n${calendar.name}: ${rows.length} session${rows.length === 1 ? '' : 's'} from ${from} to ${to} (${early} early close${early === 1 ? '' : 's'}, ${lateOnly} late open${lateOnly === 1 ? '' : 's'})\n`;
}
