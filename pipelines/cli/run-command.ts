import cliProgress from 'cli-progress';
import { fromEvent, NEVER, take, takeUntil } from 'rxjs';
import { basename, join } from 'node:path';
import { CoverageCheck, type CoverageReport } from '../../lib/cli/check-coverage.ts';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { ConfigError } from '../../lib/errors.ts';
import { loadReportOverlays } from '../../lib/cli/load-report-overlays.ts';
import { loadReportPrices } from '../../lib/cli/load-report-prices.ts';
import { prepareOutDir } from '../../lib/cli/prepare-out-dir.ts';
import { packageVersion } from '../../lib/cli/package-version.ts';
import { checkJournalMatches, JOURNAL_FILE, RunJournal, type JournalScan } from '../../lib/cli/run-journal.ts';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { renderReport } from '../../lib/cli/render-report.ts';
import { reportData, reportDayOf, type ReportDay } from '../../lib/cli/report-data.ts';
import { formatAccount } from '../../lib/cli/format-account.ts';
import { DayTable } from '../../lib/cli/format-report.ts';
import { writeTables } from '../../lib/cli/write-tables.ts';
import { formatStats } from '../../lib/cli/format-stats.ts';
import { prettyJsonChunks } from '../../lib/cli/pretty-json.ts';
import { writeFileAtomic, type OutputFs } from '../../lib/cli/write-file-atomic.ts';
import { RunStatsAccumulator } from '../../lib/metrics/run-stats.ts';
import { writeStats } from '../../lib/cli/write-stats.ts';
import { writeSummary, type RunStatus } from '../../lib/cli/write-summary.ts';
import type { RunPlan } from '../../lib/config/plan-run.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import type { BacktestResult, DayResult } from '../../lib/session/results.ts';
import { TotalsAccumulator } from '../../lib/session/results.ts';
import { prepareRun, type RunSetup } from '../prepare-run.ts';
import type { ParameterSet } from '../sweep/expand-grid.ts';
import { recordReportOverlays } from '../record-report-overlays.ts';
import type { BarLoader } from '../../lib/store/threaded-bar-loader.ts';
import type { CliIo } from './cli-io.ts';
import { printError } from './print-error.ts';
import { printFailure } from './print-failure.ts';

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
  /** Replace a previous run in `out` (only the files a run writes; see prepareOutDir). */
  readonly force?: boolean;
  /**
   * Continue the run recorded in `out`'s journal from its last finished day (the components'
   * carry), instead of starting over: the final results equal an uninterrupted run's.
   */
  readonly resume?: boolean;
  /** Do not say what `force` removed (`sessionflow start` replacing its own previous demo run). */
  readonly quietForce?: boolean;
  /** Accept a run that read no bars or too few (see checkCoverage): exit 0, findings printed as warnings. */
  readonly allowEmpty?: boolean;
  /** Share (0–1) of its expected base bars below which a (symbol, session) pair fails the run; default 0 (only pairs with no bar). */
  readonly minCoverage?: number;
  /** The file-system calls of the output writers (a test injects a full disk); default `node:fs`. */
  readonly outputFs?: OutputFs;
  /**
   * Aborting it interrupts the run like Ctrl-C: the current day is torn down and the finished
   * days are still reported and written. An abort `reason` of `'SIGTERM'` or `'SIGHUP'` (what
   * `main` gives on those signals) makes the exit code 143 or 129 instead of 130.
   */
  readonly signal?: AbortSignal;
  /**
   * Called as each day finishes, after it is in the journal (a caller's own progress display,
   * or the memory benchmark sampling the heap): the day's result and its index in the plan.
   */
  readonly onDay?: (day: DayResult, index: number) => void;
  /** Values assigned at config paths before validation (`--set strategies[0].params.fast=10`; a sweep row's command). */
  readonly set?: ParameterSet;
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hangup };

/**
 * `sessionflow run CONFIG`: validate, check `--out` (see prepareOutDir), backtest every
 * session, check that the run read enough data (see checkCoverage), print the per-day table
 * (or JSON) to `io.stdout` and write `OUT/summary.json`, the tables, `stats.json` and
 * `report.html`, each atomically. Aborting `options.signal` (Ctrl-C, SIGTERM, SIGHUP) tears
 * the current day down and still writes what finished. An output that cannot be written is
 * reported with its path and what was kept; the other outputs are still attempted. Resolves
 * with the exit code: 0 ok, 1 invalid input (config, data found before the run, `--out`),
 * 2 run failure (an error during the run, too little data, an output not written), 130/143/129
 * interrupted by SIGINT/SIGTERM/SIGHUP.
 *
 * @example
 * ```ts
 * process.exitCode = await untilSignal((signal) => runCommand('session.json', { out: 'runs/jan', signal }, processIo()));
 * ```
 */
export async function runCommand(configPath: string, options: RunCommandOptions, io: CliIo): Promise<number> {
  const started = performance.now();
  let plan: RunPlan | undefined;
  let setup: RunSetup;
  let source: BarLoader;
  try {
    // Component problems wait for the plan, so they are listed with the store's in one error.
    setup = prepareRun(configPath, { deferProblems: true, ...(options.strict ? { strict: true } : {}), ...(options.set ? { set: options.set } : {}) });
    ({ plan, source } = await setup.plan());
  } catch (error) {
    printFailure(error, io, { json: options.json });
    return exitCodeFor(error, { started: false });
  }
  const out = options.out;
  // Every finished day goes to the journal as it ends (OUT/days.ndjson, or a temporary folder
  // without --out) and is read back from there for the outputs: the run's memory is bounded
  // by the day, not the run (the engine keeps no days either: retainDays false).
  let journalDir: string | undefined;
  let journal: RunJournal | undefined;
  /** Days finished so far (the journal's, on resume, then this run's). */
  let count = 0;
  let last: DayResult | undefined;
  const dates: string[] = [];
  /** With --export all: every day's exported files, as days finish. */
  const exportedAll: string[] = [];
  /** When the journal cannot be written any more: the days from there on are kept in memory. */
  let memoryDays: DayResult[] | undefined;
  /** Finished days that could not be read back when the journal failed (its folder gone). */
  let lostDays: { count: number; reason: string } | undefined;
  const noteDay = (day: DayResult): void => {
    count++;
    last = day;
    dates.push(day.date);
    exportedAll.push(...((day as { exported?: readonly string[] }).exported ?? []));
  };
  try {
    if (out) {
      // After validation (a config error must not cost the previous run its files under
      // --force), before the first day (an unusable folder must not cost the backtest).
      if (options.resume) {
        const finished = resumeJournal(out, plan);
        prepareOutDir(out, { resume: true });
        journal = RunJournal.reopen(out);
        const lastDate = finished.dates.at(-1);
        let rerun = false;
        if (finished.dates.length === plan.sessions.length && (options.export ?? 'last') === 'last') {
          // Every day is in the journal, but the last day's SessionData is exported only when
          // the run ends, which it may not have reached: that day runs again (same carry, same
          // result) and exports it.
          journal.dropLastDay();
          rerun = true;
        }
        // The days kept, read again one at a time (the last one's carry continues the run).
        for (const day of RunJournal.days(out)) noteDay(day);
        io.stderr.write(`resuming ${out}: ${finished.dates.length} of ${plan.sessions.length} sessions finished${lastDate ? ` (last ${lastDate})` : ''}${rerun ? `; ${lastDate} runs again to export its SessionData` : ''}\n`);
      } else {
        const { removed } = prepareOutDir(out, { force: options.force ?? false });
        if (removed.length > 0 && !options.quietForce) io.stderr.write(`--force: removed ${removed.length} file${removed.length === 1 ? '' : 's'} of the previous run in ${out}\n`);
        // Every finished day goes here as it ends, so a killed run loses nothing (--resume).
        mkdirSync(out, { recursive: true });
        journal = RunJournal.create(out, { package: packageVersion(), config: plan.config, sessions: plan.sessions.map((s) => s.date) });
      }
      journalDir = out;
    } else {
      journalDir = mkdtempSync(join(tmpdir(), 'sessionflow-run-'));
      journal = RunJournal.create(journalDir, { package: packageVersion(), config: plan.config, sessions: plan.sessions.map((s) => s.date) });
    }
  } catch (error) {
    source.close?.();
    if (journalDir && !out) rmSync(journalDir, { recursive: true, force: true });
    printFailure(error, io, { json: options.json });
    return exitCodeFor(error, { started: false });
  }
  const journalFolder = journalDir;
  const temporaryJournal = out ? undefined : journalFolder;
  /** The finished days, read back in order (each pass reads the journal again). */
  const finishedDays: Iterable<DayResult> = { [Symbol.iterator]: () => (memoryDays ?? RunJournal.days(journalFolder))[Symbol.iterator]() };
  const fs = options.outputFs;
  // Sessions still to run: all of them, or those after the journal's last finished day.
  const remaining = plan.sessions.slice(count).map((s) => s.date);
  const terminal = (options.progress ?? !options.json) ? io.terminal : undefined;
  const bar = terminal ? new cliProgress.SingleBar({ format: 'sessions {bar} {value}/{total} {date}', stream: terminal, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(plan.sessions.length, count, { date: last?.date ?? '' });
  // The run takes over the source validation opened (threads with their footers) and closes it.
  // A resumed run starts after the last finished day, with the carry that day recorded.
  const resumed = last ? { dates: remaining, carry: last.carry } : {};
  // With --report, the charted symbols' indicator lines are kept for every day (small files).
  const components = options.report && out ? [...setup.components, recordReportOverlays({ out, limit: REPORT_SYMBOLS })] : setup.components;
  const run = createBacktest(plan.config, { plan, components, source, closeSource: true, ...(out ? { out } : {}), export: out ? (options.export ?? 'last') : 'none', retainDays: false, ...(options.speed !== undefined ? { speed: options.speed } : {}), ...resumed });
  const journalErrors: Error[] = [];
  const record = (day: DayResult): void => {
    noteDay(day);
    if (memoryDays) return void memoryDays.push(day);
    try {
      journal!.append(day);
    } catch (error) {
      // The run goes on with its days in memory from here (its results are still written at
      // the end), but it can no longer be resumed. A line half written is skipped on reading.
      let finished: DayResult[] = [];
      try {
        finished = [...RunJournal.days(journalFolder)].slice(0, count - 1);
      } catch (readError) {
        // The folder itself is gone (replaced, unmounted): those days are said lost, never silently missing.
        lostDays = { count: count - 1, reason: (readError as Error).message };
      }
      memoryDays = [...finished, day];
      journalErrors.push(new Error(`cannot write the run journal ${journal!.file}: ${(error as Error).message}; the run goes on, but cannot be resumed`));
      io.stderr.write(`warning: ${journalErrors[0]!.message}\n`);
      journal = undefined;
    }
  };

  const finish = async (ended: Exclude<RunStatus, 'insufficient-data'>, result?: BacktestResult, error?: unknown): Promise<number> => {
    bar?.stop();
    const elapsedMs = performance.now() - started;
    const reason: unknown = options.signal?.reason;
    const signalName = ended === 'interrupted' && typeof reason === 'string' && reason in SIGNAL_EXIT ? reason : undefined;
    // One pass over the finished days for everything but the tables: totals, coverage,
    // statistics, the printed table and account, and (with --report) what the report shows.
    const totalsSum = new TotalsAccumulator();
    const coverageCheck = ended === 'ok' && plan ? new CoverageCheck(plan, { minCoverage: options.minCoverage ?? 0 }) : undefined;
    const statsSum = plan ? new RunStatsAccumulator(plan.calendar) : undefined;
    const dayTable = options.json ? undefined : new DayTable(plan?.calendar.timezone);
    const reportDays: ReportDay[] | undefined = options.report && out ? [] : undefined;
    let withTables = false;
    let readError: unknown;
    try {
      for (const day of finishedDays) {
        totalsSum.add(day);
        coverageCheck?.add(day);
        statsSum?.add(day);
        dayTable?.add(day);
        // What the report reads of a day: the broker's tables and a quality summary.
        reportDays?.push(reportDayOf(day));
        withTables ||= Object.values(day.tables ?? {}).some((rows) => rows.length > 0);
      }
    } catch (e) {
      // The journal could not be read back (a disk error): the outputs are incomplete, said so below.
      readError = e;
    }
    const totals = totalsSum.totals(elapsedMs);
    // A run that ended normally is still not a success when it read nothing or too little.
    const coverage: CoverageReport | undefined = coverageCheck?.report();
    const short = coverage !== undefined && !coverage.ok;
    let status: RunStatus = short && !options.allowEmpty ? 'insufficient-data' : ended;
    let message = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
    if (status === 'insufficient-data') message = coverage!.message;

    // Every output is attempted even when an earlier one failed: a full disk for the report
    // must not cost the summary. Failures are collected and reported together, with what was kept.
    const outputErrors: Error[] = [];
    if (readError) outputErrors.push(new Error(`cannot read the finished days back from ${join(journalFolder, JOURNAL_FILE)}: ${(readError as Error).message}`));
    if (lostDays) outputErrors.push(new Error(`the first ${lostDays.count} finished days could not be read back from the run journal (${lostDays.reason}): the outputs cover only the days after them`));
    const kept: string[] = [];
    const attempt = async <T>(write: () => T | Promise<T>): Promise<T | undefined> => {
      try {
        return await write();
      } catch (e) {
        outputErrors.push(e instanceof Error ? e : new Error(String(e)));
        return undefined;
      }
    };
    // Tables first: the summary lists them, and finished days are written whatever the status.
    const tables: string[] = [];
    if (out && withTables) await attempt(() => writeTables(out, finishedDays, { ...(fs ? { fs } : {}), written: tables }));
    const stats = count > 0 ? statsSum?.stats() : undefined;
    if (out && stats) {
      const file = await attempt(() => writeStats(out, stats, fs));
      if (file) tables.push(file);
    }
    kept.push(...tables);
    let reportFile: string | undefined;
    if (out && stats && options.report && plan) {
      const p = plan;
      reportFile = await attempt(async () => {
        const days = reportDays!;
        const traded = [...new Set(days.flatMap((d) => ((d.tables.fills ?? []) as unknown as Array<{ symbol: string }>).map((f) => f.symbol)))].slice(0, REPORT_SYMBOLS);
        const prices = await loadReportPrices(p, source, traded, dates);
        // Indicator lines: what recordReportOverlays kept for the charted symbols, or exported SessionData.
        const overlays = loadReportOverlays(out, traded, dates);
        return writeFileAtomic(join(out, 'report.html'), renderReport(reportData({ name: p.config.name, timezone: p.calendar.timezone, stats, days, prices, overlays })), fs);
      });
      if (reportFile) kept.push(reportFile);
    }
    // With --export all, every day's files: a resumed run lists those of the days before it too.
    const exported = options.export === 'all' ? exportedAll : (result?.exported ?? []);
    kept.push(...exported);
    const outputMessages = outputErrors.map((e) => e.message);
    // The backtest may have succeeded, but a result that is not on disk is not a success.
    if (outputErrors.length > 0 && (status === 'ok' || status === 'insufficient-data')) {
      status = 'failed';
      message = [message, ...outputMessages].filter(Boolean).join('; ');
    }
    let summaryFile: string | undefined;
    if (out) {
      const daysPointer = { file: join(out, JOURNAL_FILE), count, ...(dates.length > 0 ? { first: dates[0], last: dates.at(-1) } : {}) };
      summaryFile = await attempt(() => writeSummary(out, { plan, totals, days: daysPointer, status, ...(message ? { error: message } : {}), ...(signalName ? { signal: signalName } : {}), exported, tables, ...(stats ? { stats } : {}), ...(coverage ? { coverage } : {}), outputErrors: outputMessages }, fs));
      if (summaryFile) kept.push(summaryFile);
      else status = 'failed';
    }
    // Now including the summary's own failure, if any.
    const allOutputErrors = outputErrors.map((e) => e.message);

    if (options.json) {
      // The days streamed from the journal, one at a time: the document can be longer than a string may be.
      const body = { ok: status === 'ok', status, ...(message ? { error: message } : {}), ...(signalName ? { signal: signalName } : {}), ...(coverage ? { coverage } : {}), ...(allOutputErrors.length > 0 ? { outputErrors: allOutputErrors, kept } : {}), totals, ...(stats ? { stats } : {}), days: readError ? [] : finishedDays, summary: summaryFile };
      for (const chunk of prettyJsonChunks(body)) io.stdout.write(chunk);
    } else {
      if (count > 0) io.stdout.write(`${dayTable!.format(totals)}\n`);
      const account = statsSum ? formatAccount(statsSum.accountDays) : undefined;
      if (account) io.stdout.write(`${account}\n`);
      if (stats) io.stdout.write(`${formatStats(stats)}\n`);
      const parquet = tables.filter((f) => f.endsWith('.parquet'));
      if (parquet.length > 0) io.stdout.write(`tables: ${parquet.map((f) => basename(f, '.parquet')).join(', ')} (Parquet and CSV)${tables.some((f) => f.endsWith('stats.json')) ? ' and stats.json' : ''} under ${out}\n`);
      if (exported.length > 0) io.stdout.write(`exported ${exported.length} Parquet file${exported.length === 1 ? '' : 's'} under ${out}/sessions\n`);
      if (summaryFile) io.stdout.write(`summary: ${summaryFile}\n`);
      if (reportFile) io.stdout.write(`report: ${reportFile}\n`);
    }
    result?.dispose();
    if (temporaryJournal) rmSync(temporaryJournal, { recursive: true, force: true });
    // With --allow-empty the findings are still said, as a warning.
    if (short && options.allowEmpty) io.stderr.write(`warning: ${coverage!.message!.replace(/\n\(pass --allow-empty[^)]*\)$/, '')}\n(accepted: --allow-empty)\n`);
    if (outputErrors.length > 0) {
      for (const e of outputErrors) io.stderr.write(`error: ${e.message}\n`);
      io.stderr.write(kept.length > 0 ? `kept: ${kept.join(', ')}\n` : `kept: nothing under ${out}\n`);
    }
    if (ended === 'interrupted') {
      io.stderr.write(`interrupted${signalName ? ` by ${signalName}` : ''} after ${count} of ${plan!.sessions.length} sessions; the current day was torn down\n`);
      return signalName ? SIGNAL_EXIT[signalName]! : EXIT.interrupted;
    }
    if (ended === 'failed') {
      if (!options.json) printError(error, io.stderr);
      return EXIT.runFailure;
    }
    if (short && !options.allowEmpty && !options.json) io.stderr.write(`error: ${coverage!.message}\n`);
    return status === 'ok' ? EXIT.ok : EXIT.runFailure;
  };

  if (remaining.length === 0) {
    // Every session had finished before the run was stopped: only the outputs are missing.
    source.close?.();
    return finish('ok');
  }
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
          record(event.result);
          options.onDay?.(event.result, count - 1);
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

/**
 * The finished days of the run journaled in `out` (their dates and the last one), after
 * checking that it is this run (same config and sessions) and that its days are the plan's
 * first sessions, in order. Read one day at a time.
 */
function resumeJournal(out: string, plan: RunPlan): JournalScan {
  const file = join(out, JOURNAL_FILE);
  const scan = RunJournal.scan(out);
  const sessions = plan.sessions.map((s) => s.date);
  checkJournalMatches(scan.header, plan.config, sessions, file);
  scan.dates.forEach((date, i) => {
    if (date !== sessions[i]) throw new ConfigError(`${file}: day ${i + 1} of the journal is ${date}, but the plan's session ${i + 1} is ${sessions[i] ?? '(none)'}; the journal does not belong to this plan`, [], file);
  });
  return scan;
}
