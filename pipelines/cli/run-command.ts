import cliProgress from 'cli-progress';
import type { Subscription } from 'rxjs';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { formatDays } from '../../lib/cli/format-report.ts';
import { writeSummary, type RunStatus } from '../../lib/cli/write-summary.ts';
import { planRun, type RunPlan } from '../../lib/config/plan-run.ts';
import { readConfigFile } from '../../lib/config/parse-config.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import type { BacktestResult, DayResult } from '../../lib/session/results.ts';
import { totalsOf } from '../../lib/session/results.ts';
import { pipelineFromConfig } from '../pipeline-from-config.ts';
import { printError } from './print-error.ts';

/** Options of `sessionflow run`. */
export interface RunCommandOptions {
  readonly out?: string;
  readonly export?: 'last' | 'all' | 'none';
  readonly json?: boolean;
  readonly speed?: number;
  readonly strict?: boolean;
  /** Show a progress bar (default: when stderr is a TTY and output is not JSON). */
  readonly progress?: boolean;
}

/**
 * `sessionflow run CONFIG`: validate, backtest every session, print the per-day table
 * (or JSON) and write `OUT/summary.json`. Ctrl-C tears the current day down and still
 * writes what finished. Resolves with the exit code (0 ok, 1 invalid input, 2 run
 * failure, 130 interrupted).
 *
 * @example
 * ```ts
 * process.exitCode = await runCommand('session.json', { out: 'runs/jan' });
 * ```
 */
export async function runCommand(configPath: string, options: RunCommandOptions): Promise<number> {
  const started = performance.now();
  let plan: RunPlan | undefined;
  let pipeline;
  try {
    const loaded = readConfigFile(configPath);
    const config = options.strict ? { ...loaded, strict: true } : loaded;
    pipeline = pipelineFromConfig(config);
    plan = await planRun(config, { history: pipeline.history });
  } catch (error) {
    printError(error);
    return exitCodeFor(error, { started: false });
  }
  const out = options.out;
  const days: DayResult[] = [];
  const showProgress = options.progress ?? (process.stderr.isTTY === true && !options.json);
  const bar = showProgress ? new cliProgress.SingleBar({ format: 'sessions {bar} {value}/{total} {date}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(plan.sessions.length, 0, { date: '' });
  const run = createBacktest(plan.config, { plan, pipeline, ...(out ? { out } : {}), export: out ? (options.export ?? 'last') : 'none', ...(options.speed !== undefined ? { speed: options.speed } : {}) });

  const finish = (status: RunStatus, result?: BacktestResult, error?: unknown): number => {
    bar?.stop();
    const elapsedMs = performance.now() - started;
    const message = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
    let summaryFile: string | undefined;
    if (out) summaryFile = writeSummary(out, { plan, days, status, elapsedMs, ...(message ? { error: message } : {}), exported: result?.exported ?? [] });
    if (options.json) {
      process.stdout.write(JSON.stringify({ status, ...(message ? { error: message } : {}), totals: totalsOf(days, elapsedMs), days, summary: summaryFile }, null, 2) + '\n');
    } else {
      if (days.length > 0) console.log(formatDays(days, totalsOf(days, elapsedMs)));
      if (result && result.exported.length > 0) console.log(`exported ${result.exported.length} Parquet file${result.exported.length === 1 ? '' : 's'} under ${out}/sessions`);
      if (summaryFile) console.log(`summary: ${summaryFile}`);
    }
    result?.dispose();
    if (status === 'ok') return EXIT.ok;
    if (status === 'interrupted') {
      console.error(`interrupted after ${days.length} of ${plan!.sessions.length} sessions; the current day was torn down`);
      return EXIT.interrupted;
    }
    printError(error);
    return EXIT.runFailure;
  };

  return new Promise<number>((resolveCode) => {
    let subscription: Subscription | undefined = undefined;
    const onSigint = (): void => {
      subscription?.unsubscribe();
      process.off('SIGINT', onSigint);
      resolveCode(finish('interrupted'));
    };
    process.on('SIGINT', onSigint);
    subscription = run.events$.subscribe({
      next: (event) => {
        if (event.type === 'day') {
          days.push(event.result);
          bar?.update(event.index + 1, { date: event.result.date });
        } else if (event.type === 'run-end') {
          process.off('SIGINT', onSigint);
          resolveCode(finish('ok', event.result));
        }
      },
      error: (error: unknown) => {
        process.off('SIGINT', onSigint);
        resolveCode(finish('failed', undefined, error));
      },
    });
  });
}
