import type { Command } from 'commander';
import type { CliIo } from './cli-io.ts';
import { helpExamples } from './help-examples.ts';

/** Options of `sessionflow calendar` as commander parses them. */
export interface CalendarOptions {
  from?: string;
  to?: string;
  holidays?: boolean;
  extended?: boolean;
  json?: boolean;
}

/**
 * Add `sessionflow calendar <name>` to `program`: the sessions of a calendar between `--from`
 * and `--to` (default: the current year) with local and UTC open/close, minutes and the reason
 * for any shortened session; `--holidays` lists the closed weekdays with their reason instead;
 * `--extended` adds the pre-/post-market hours; `--json` prints one JSON document (all on
 * `io.stdout`). An unknown calendar or a bad date prints the problem on `io.stderr` (with `--json`: as one JSON object on stdout) and sets
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
    // The calendar tables and moment-timezone load when the command runs, not for --help.
    .action(async (name: string, opts: CalendarOptions) => setCode((await import('./calendar-output.ts')).calendarOutput(name, opts, io)));
}
