import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { cliTable } from '../../lib/cli/cli-table.ts';
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { ConfigError } from '../../lib/errors.ts';
import { closestName } from '../../lib/registry.ts';
import type { SessionCheck, StoreCheckReport } from '../../lib/store/check/check-store.ts';
import type { StoreConfig } from '../../lib/store/types.ts';
import type { CliIo } from './cli-io.ts';
import { printFailure } from './print-failure.ts';
import { helpExamples } from './help-examples.ts';

/** Options of `sessionflow data check` as commander parses them. */
interface DataCheckOptions {
  store: string;
  symbols?: string[];
  from?: string;
  to?: string;
  calendar?: string;
  interval?: string;
  layout?: string;
  json?: boolean;
  failBelow?: number;
  maxJump?: number;
  nonPositive: boolean;
  details?: boolean;
  progress: boolean;
}

/** Sessions with problems printed without `--details`. */
const PROBLEM_LINES = 20;

const fraction = (text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`--max-jump must be a fraction > 0 (0.1 = 10 %), got ${JSON.stringify(text)}`);
  return n;
};
const score = (text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`--fail-below must be a score in [0, 100], got ${JSON.stringify(text)}`);
  return n;
};
const symbolList = (text: string, previous: string[] | undefined): string[] => [...(previous ?? []), ...text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];

/**
 * Add `sessionflow data check` to `program`: per symbol and session, expected vs present
 * regular-session bars, missing ranges, duplicate and out-of-order timestamps, bars outside
 * the session, invalid OHLC and a quality score, as a table or `--json` on `io.stdout`. The
 * store's layout comes from its `store.json` (or `--layout`). `setCode` receives the exit code: 0 ok, 1 for
 * invalid input or when `--fail-below SCORE` is given and a symbol's score is below it.
 *
 * @example
 * ```ts
 * registerDataCheckCommand(program, processIo(), (c) => (code = c));
 * // sessionflow data check --store bars --from 2024-01-02 --to 2024-01-31 --fail-below 99
 * ```
 */
export function registerDataCheckCommand(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const data = program.command('data').description('inspect a bar store').addHelpText('after', helpExamples(['sessionflow data check --store store']));
  data
    .command('check')
    .description('check a store against the calendar: missing minutes, duplicates, out-of-order and invalid bars, quality per symbol and session')
    .requiredOption('--store <dir>', 'store folder (its store.json gives the layout)')
    .option('--symbols <symbols...>', 'symbols to check, comma- or space-separated (default: the store\'s)', symbolList)
    .option('--from <date>', 'first trading date (default: the store\'s first)')
    .option('--to <date>', 'last trading date (default: the store\'s last)')
    .option('--calendar <name>', 'exchange calendar (default: the store\'s, else XNYS)')
    .option('--interval <interval>', 'interval to check (default: the store\'s first, else 1m)')
    .option('--layout <template>', 'layout of a store without store.json (timestamp column ts, bar start)')
    .option('--json', 'print the report as JSON')
    .option('--fail-below <score>', 'exit 1 when any symbol\'s quality score is below SCORE (0-100)', score)
    .option('--max-jump <fraction>', 'flag bars with a price more than FRACTION from the previous close (0.1 = 10 %); flagged bars are reported, not removed', fraction)
    .option('--no-non-positive', 'do not flag zero or negative prices (instruments that can trade below zero)')
    .option('--details', 'print every session with a problem (default: the first 20)')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', helpExamples(['sessionflow data check --store store', 'sessionflow data check --store store --symbols SPY,QQQ --from 2024-01-02 --to 2024-03-28 --details', 'sessionflow data check --store store --json --fail-below 95']))
    .action(async (opts: DataCheckOptions) => {
      let bar: cliProgress.SingleBar | undefined;
      try {
        // The store readers and calendars load when the command runs, not for --help.
        const [{ getCalendar }, { checkStore }, { readStoreManifest }] = await Promise.all([import('../../lib/calendar/get-calendar.ts'), import('../../lib/store/check/check-store.ts'), import('../../lib/store/import/store-manifest.ts')]);
        const root = resolve(opts.store);
        const manifest = readStoreManifest(root);
        if (!manifest && !opts.layout) throw ConfigError.at('store', root, 'a store with store.json (written by sessionflow import), or pass --layout');
        const store: StoreConfig = opts.layout
          ? { ...(manifest?.store ?? { root, timestamp: { column: 'ts', label: 'start' } }), layout: opts.layout }
          : manifest!.store;
        const symbols = opts.symbols ?? [...(manifest?.symbols ?? [])];
        if (symbols.length === 0) throw ConfigError.at('symbols', symbols, `--symbols (the store at ${root} lists none)`);
        const from = opts.from ?? manifest?.dates?.from;
        const to = opts.to ?? manifest?.dates?.to;
        if (!from || !to) throw ConfigError.at(from ? 'to' : 'from', undefined, '--from and --to (the store does not record its dates)');
        const calendar = getCalendar(opts.calendar ?? manifest?.calendar ?? 'XNYS');
        const interval = opts.interval ?? manifest?.intervals[0] ?? '1m';
        const terminal = opts.progress && !opts.json && symbols.length > 1 ? io.terminal : undefined;
        bar = terminal ? new cliProgress.SingleBar({ format: 'check {bar} {value}/{total} symbols', stream: terminal, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
        bar?.start(symbols.length, 0);
        // Without an explicit range each symbol is checked over its own imported dates.
        const ranges = opts.from || opts.to ? undefined : manifest?.symbolDates;
        const report = await checkStore({ store, calendar, interval, symbols, from, to, ...(ranges ? { ranges } : {}), outliers: { maxJump: opts.maxJump, positivePrices: opts.nonPositive }, ...(bar ? { onSymbol: (done: number) => bar!.update(done) } : {}) });
        bar?.stop();
        const failing = opts.failBelow === undefined ? [] : report.symbols.filter((s) => s.score < opts.failBelow!);
        // A symbol with no data on any session is a wrong name more often than a gap: say so,
        // with the store's closest symbol, and fail (a check that found nothing is no pass).
        const known = manifest?.symbols ?? [];
        const empty = report.symbols.filter((s) => s.sessions > 0 && s.unavailable === s.sessions).map((s) => {
          const guess = known.includes(s.symbol) ? undefined : closestName(s.symbol, known);
          return `${s.symbol}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : known.length > 0 && !known.includes(s.symbol) ? ' (not in the store\'s store.json)' : ''}`;
        });
        if (opts.json) io.stdout.write(`${JSON.stringify({ ...report, ...(opts.failBelow === undefined ? {} : { failBelow: opts.failBelow, failing: failing.map((s) => s.symbol) }), ...(empty.length > 0 ? { noData: empty } : {}) }, null, 2)}\n`);
        else io.stdout.write(`${formatCheckReport(report, opts.details ?? false)}\n`);
        if (empty.length > 0) io.stderr.write(`no data at all for ${empty.join(', ')} in ${from}..${to}\n`);
        if (failing.length > 0) io.stderr.write(`quality below ${opts.failBelow}: ${failing.map((s) => `${s.symbol} ${s.score.toFixed(2)}`).join(', ')}\n`);
        setCode(failing.length > 0 || empty.length > 0 ? EXIT.invalidInput : EXIT.ok);
      } catch (error) {
        bar?.stop();
        printFailure(error, io, { json: opts.json });
        setCode(exitCodeFor(error, { started: false }));
      }
    });
}

function formatCheckReport(report: StoreCheckReport, details: boolean): string {
  const lines: string[] = [];
  lines.push(`store ${report.root} (${report.layout}); ${report.interval} bars; ${report.calendar} ${report.from}..${report.to}: ${report.sessions} sessions`);
  const table = cliTable({
    head: ['symbol', 'sessions', 'no data', 'expected', 'present', 'missing', 'duplicates', 'misaligned', 'out of order (sorted)', 'outside session', 'invalid OHLC', 'flagged', 'score', 'worst day'],
    style: { head: [], border: [] },
  });
  for (const s of report.symbols) {
    table.push([s.symbol, s.sessions, s.unavailable, s.expected, s.present, s.expected - s.present, s.duplicates, s.misaligned, s.reordered, s.outsideSession, s.invalidOhlc, s.jumps + s.nonPositivePrices, s.score.toFixed(2), s.worstScore.toFixed(2)]);
  }
  lines.push(table.toString());
  const problems = report.details.filter((d) => !d.available || d.missing > 0 || d.duplicates > 0 || d.reordered > 0 || d.invalidOhlc > 0 || d.misaligned > 0 || d.flags.jumps + d.flags.nonPositivePrices > 0);
  const shown = details ? problems : problems.slice(0, PROBLEM_LINES);
  for (const d of shown) lines.push(describeSession(d, report.interval));
  if (shown.length < problems.length) lines.push(`... ${problems.length - shown.length} more sessions with problems (--details or --json for all)`);
  lines.push(`overall score ${report.score.toFixed(2)}`);
  return lines.join('\n');
}

function describeSession(d: SessionCheck, interval: string): string {
  const head = `${d.symbol} ${d.date} score ${d.score.toFixed(2)} (${d.present}/${d.expected})`;
  if (!d.available) return `${head}: no data: ${d.reason}`;
  const parts: string[] = [];
  if (d.missingRanges.length > 0) parts.push(`missing ${d.missingRanges.map((r) => `${r.from}-${r.to}${r.bars > 1 ? ` (${r.bars})` : ''}`).join(', ')}`);
  if (d.duplicates > 0) parts.push(`${d.duplicates} duplicate${d.duplicates === 1 ? '' : 's'}`);
  if (d.reordered > 0) parts.push(`${d.reordered} out of order (sorted when read)`);
  if (d.misaligned > 0) parts.push(`${d.misaligned} misaligned (not on the ${interval} grid anchored at the open; rejected)`);
  if (d.invalidOhlc > 0) parts.push(`${d.invalidOhlc} invalid OHLC (${Object.entries(d.rejected).filter(([k, n]) => n > 0 && k !== 'duplicate_timestamp' && k !== 'misaligned_timestamp').map(([k, n]) => `${k} ${n}`).join(', ')})`);
  const flagged = d.flags.jumps + d.flags.nonPositivePrices;
  if (flagged > 0) parts.push(`${flagged} flagged (kept): ${d.flags.examples.map((e) => `${e.time} ${e.detail}`).join('; ')}`);
  return `${head}: ${parts.join('; ')}`;
}
