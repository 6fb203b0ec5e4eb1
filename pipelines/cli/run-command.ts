import cliProgress from 'cli-progress';
import { fromEvent, NEVER, take, takeUntil } from 'rxjs';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadReportOverlays } from '../../lib/cli/load-report-overlays.ts';
import { loadReportPrices } from '../../lib/cli/load-report-prices.ts';
import { renderReport } from '../../lib/cli/render-report.ts';
import { reportData } from '../../lib/cli/report-data.ts';
import { formatAccount } from '../../lib/cli/format-account.ts';
import { formatDays } from '../../lib/cli/format-report.ts';
import { writeTables } from '../../lib/cli/write-tables.ts';
import { formatStats } from '../../lib/cli/format-stats.ts';
import { nanAsNull } from '../../lib/cli/nan-as-null.ts';
import { runStats } from '../../lib/metrics/run-stats.ts';
import { writeStats } from '../../lib/cli/write-stats.ts';
import { writeSummary, type RunStatus } from '../../lib/cli/write-summary.ts';
import type { RunPlan } from '../../lib/config/plan-run.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import type { BacktestResult, DayResult } from '../../lib/session/results.ts';
import { totalsOf } from '../../lib/session/results.ts';
import { prepareRun, type RunSetup } from '../prepare-run.ts';
import type { BarLoader } from '../../lib/store/threaded-bar-loader.ts';
import type { CliIo } from './cli-io.ts';
import { printError } from './print-error.ts';

/** Symbols with a price chart in the report (the first traded ones): a page per hundred symbols would not be read. */
const REPORT_SYMBOLS = 8;

/** Options of `sessionflow run`. */
export interface RunCommandOptions {
  readonly out?: string;
  readonly export?: 'last' | 'all' | 'none';
  readonly json?: boolean;
  readonly speed?: number;
  readonly strict?: boolean;
  /** Show a progress bar on `io.terminal` (default: when there is one and output is not JSON). */
  readonly progress?: boolean;
  /** Write `OUT/report.html` (needs `out`). */
  readonly report?: boolean;
  /**
   * Aborting it interrupts the run like Ctrl-C: the current day is torn down and the finished
   * days are still reported and written (`main` aborts it on SIGINT).
   */
  readonly signal?: AbortSignal;
}

/**
 * `sessionflow run CONFIG`: validate, backtest every session, print the per-day table
 * (or JSON) to `io.stdout` and write `OUT/summary.json`. Aborting `options.signal` (Ctrl-C)
 * tears the current day down and still writes what finished. Resolves with the exit code
 * (0 ok, 1 invalid input, 2 run failure, 130 interrupted).
 *
 * @example
 * ```ts
 * process.exitCode = await untilSigint((signal) => runCommand('session.json', { out: 'runs/jan', signal }, processIo()));
 * ```
 */
export async function runCommand(configPath: string, options: RunCommandOptions, io: CliIo): Promise<number> {
  const started = performance.now();
  let plan: RunPlan | undefined;
  let setup: RunSetup;
  let source: BarLoader;
  try {
    setup = prepareRun(configPath, options.strict ? { strict: true } : {});
    ({ plan, source } = await setup.plan());
  } catch (error) {
    printError(error, io.stderr);
    return exitCodeFor(error, { started: false });
  }
  const out = options.out;
  const days: DayResult[] = [];
  const terminal = (options.progress ?? !options.json) ? io.terminal : undefined;
  const bar = terminal ? new cliProgress.SingleBar({ format: 'sessions {bar} {value}/{total} {date}', stream: terminal, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(plan.sessions.length, 0, { date: '' });
  // The run takes over the source validation opened (threads with their footers) and closes it.
  const run = createBacktest(plan.config, { plan, components: setup.components, source, closeSource: true, ...(out ? { out } : {}), export: out ? (options.export ?? 'last') : 'none', ...(options.speed !== undefined ? { speed: options.speed } : {}) });

  const finish = async (status: RunStatus, result?: BacktestResult, error?: unknown): Promise<number> => {
    bar?.stop();
    const elapsedMs = performance.now() - started;
    const message = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
    let summaryFile: string | undefined;
    // Tables first: the summary lists them, and finished days are written whatever the status.
    const tables = out ? await writeTables(out, days) : [];
    const stats = plan && days.length > 0 ? runStats(days, plan.calendar) : undefined;
    if (out && stats) tables.push(writeStats(out, stats));
    let reportFile: string | undefined;
    if (out && stats && options.report && plan) {
      const traded = [...new Set(days.flatMap((d) => ((d.tables.fills ?? []) as unknown as Array<{ symbol: string }>).map((f) => f.symbol)))].slice(0, REPORT_SYMBOLS);
      const prices = await loadReportPrices(plan, plan.reader, traded, days.map((d) => d.date));
      reportFile = join(out, 'report.html');
      // Indicator lines come from the exported SessionData (all days with --export all).
      const overlays = loadReportOverlays(out, traded, days.map((d) => d.date));
      writeFileSync(reportFile, renderReport(reportData({ name: plan.config.name, timezone: plan.calendar.timezone, stats, days, prices, overlays })));
    }
    if (out) summaryFile = writeSummary(out, { plan, days, status, elapsedMs, ...(message ? { error: message } : {}), exported: result?.exported ?? [], tables, ...(stats ? { stats } : {}) });
    if (options.json) {
      io.stdout.write(JSON.stringify({ status, ...(message ? { error: message } : {}), totals: totalsOf(days, elapsedMs), ...(stats ? { stats } : {}), days, summary: summaryFile }, nanAsNull, 2) + '\n');
    } else {
      if (days.length > 0) io.stdout.write(`${formatDays(days, totalsOf(days, elapsedMs), plan!.calendar.timezone)}\n`);
      const account = formatAccount(days);
      if (account) io.stdout.write(`${account}\n`);
      if (stats) io.stdout.write(`${formatStats(stats)}\n`);
      if (tables.some((f) => f.endsWith('.parquet'))) io.stdout.write(`tables: ${tables.filter((f) => f.endsWith('.parquet')).map((f) => basename(f, '.parquet')).join(', ')} (Parquet and CSV)${stats ? ' and stats.json' : ''} under ${out}\n`);
      if (result && result.exported.length > 0) io.stdout.write(`exported ${result.exported.length} Parquet file${result.exported.length === 1 ? '' : 's'} under ${out}/sessions\n`);
      if (summaryFile) io.stdout.write(`summary: ${summaryFile}\n`);
      if (reportFile) io.stdout.write(`report: ${reportFile}\n`);
    }
    result?.dispose();
    if (status === 'ok') return EXIT.ok;
    if (status === 'interrupted') {
      io.stderr.write(`interrupted after ${days.length} of ${plan!.sessions.length} sessions; the current day was torn down\n`);
      return EXIT.interrupted;
    }
    printError(error, io.stderr);
    return EXIT.runFailure;
  };

  if (options.signal?.aborted) {
    // Interrupted before the run started: it never takes the source over, so close it here.
    source.close?.();
    return finish('interrupted');
  }
  // takeUntil subscribes to the abort before the run starts, so even an abort raised while
  // the run is still inside subscribe() unsubscribes it (which tears the current day down).
  const interrupted$ = options.signal ? fromEvent(options.signal, 'abort').pipe(take(1)) : NEVER;
  return new Promise<number>((resolveCode) => {
    let ended = false;
    run.events$.pipe(takeUntil(interrupted$)).subscribe({
      next: (event) => {
        if (event.type === 'day') {
          days.push(event.result);
          bar?.update(event.index + 1, { date: event.result.date });
        } else if (event.type === 'run-end') {
          ended = true;
          resolveCode(finish('ok', event.result));
        }
      },
      error: (error: unknown) => {
        ended = true;
        resolveCode(finish('failed', undefined, error));
      },
      complete: () => {
        if (!ended) resolveCode(finish('interrupted'));
      },
    });
  });
}
