import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { nanAsNull } from '../../lib/cli/nan-as-null.ts';
import { wholeNumber } from './whole-number-option.ts';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { CliIo } from './cli-io.ts';
import { helpExamples } from './help-examples.ts';
import { printFailure } from './print-failure.ts';
import type { ParameterSetResult } from '../sweep/run-parameter-batch.ts';
import type { SweepObjective, SweepResult, SweepRow } from '../sweep/sweep.ts';

/** Options of `sessionflow sweep` as commander parses them. */
interface SweepCommandOptions {
  readonly grid: string[];
  readonly random?: number;
  readonly seed?: number;
  readonly objective: string;
  readonly minimize?: boolean;
  readonly workers?: number;
  readonly batchSize?: number;
  readonly queue?: string;
  readonly walkForward?: string;
  readonly report?: boolean;
  readonly heatmap?: string;
  readonly out?: string;
  readonly force?: boolean;
  readonly top: number;
  readonly json?: boolean;
  readonly progress: boolean;
}


/** The files a sweep writes into `--out`. */
const SWEEP_FILES = ['sweep.json', 'sweep.parquet', 'sweep.csv', 'walk-forward.json'];

/**
 * Add `sessionflow sweep CONFIG --grid path=values … [--random N --seed S] [--objective sharpe]
 * [--workers N] [--out DIR]` to `program`: every parameter set is checked before anything
 * runs, the sets run in batches on worker threads with their data shared, and the ranked
 * sets are printed (the top ones) and written to `OUT/sweep.parquet`, `OUT/sweep.csv` (one
 * row per set: rank, parameters, the objective, every statistic, and the `sessionflow run`
 * command that reproduces it) and `OUT/sweep.json`. Interrupted (Ctrl-C), the batches that
 * finished are still written, marked `interrupted`. Exit 0 ok, 1 invalid input, 2 a failed
 * batch, 130/143/129 interrupted.
 *
 * @example
 * ```ts
 * registerSweepCommand(program, processIo(), interruptible, () => imports, (c) => (code = c));
 * // sessionflow sweep s.json --grid 'strategies[0].params.fast=5..30:5' --grid 'strategies[0].params.slow=[50,100]' --out sweeps/a
 * ```
 */
export function registerSweepCommand(program: Command, io: CliIo, interruptible: (task: (signal: AbortSignal) => Promise<number>) => Promise<number>, imports: () => readonly string[], setCode: (code: number) => void): void {
  program
    .command('sweep')
    .description('run a config over a grid of parameter sets, ranked by a statistic (data shared, on all cores)')
    .argument('<config>', 'session config JSON file')
    .requiredOption('--grid <path=values>', 'a config path and its values: from..to:step, a JSON list [20,50,100] or one JSON value (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--random <n>', 'run this many distinct sets drawn from the grid instead of all', wholeNumber('--random', 1))
    .option('--seed <n>', 'seed of the --random draw (default 1)', wholeNumber('--seed', 0))
    .option('--objective <statistic>', 'statistic to rank by (sharpe, returnPct, maxDrawdownPct, profitFactor, …)', 'sharpe')
    .option('--minimize', 'rank the lowest value first (e.g. volatilityAnnPct)')
    .option('--workers <n>', 'worker threads (default: the cores; 0 = none, in this process)', wholeNumber('--workers', 0))
    .option('--batch-size <n>', 'parameter sets per batch (default: spread evenly over the workers, at most 250)', wholeNumber('--batch-size', 1))
    .option('--queue <url>', 'put the batches on the BullMQ queue at this Redis URL (redis://host:port) for sessionflow worker processes on any machine')
    .option('--walk-forward <windows>', 'walk-forward optimisation: train=N,test=M sessions (optimise on each training window, run the best set on the next test window)')
    .option('--out <dir>', 'write sweep.parquet, sweep.csv and sweep.json here (walk-forward: walk-forward.json, walk-forward.csv, walk-forward-equity.csv)')
    .option('--force', 'replace a previous sweep in --out')
    .option('--report', 'also write OUT/report.html: the top sets, a heatmap of the objective over two parameters (walk-forward: both equity curves)')
    .option('--heatmap <x,y>', 'the two grid paths of the heatmap (default: the first two --grid paths)')
    .addOption(new Option('--top <n>', 'sets to print').argParser(wholeNumber('--top', 1)).default(10))
    .option('--json', 'print the ranked sets as JSON')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', helpExamples(["sessionflow sweep s.json --grid 'strategies[0].params.fast=5..30:5' --grid 'strategies[0].params.slow=[20,50,100]'", "sessionflow sweep s.json --grid 'strategies[0].params.fast=5..30:5' --grid 'strategies[0].params.slow=[50,100]' --walk-forward train=120,test=20 --out wf", "sessionflow sweep s.json --grid 'strategies[0].params.fast=2..60' --grid 'strategies[0].params.slow=20..200:5' --random 200 --seed 7 --objective returnPct --out sweeps/fast-slow"]))
    .action(async (configPath: string, opts: SweepCommandOptions) => {
      setCode(await interruptible((signal) => sweepCommand(configPath, opts, io, imports(), signal)));
    });
}

async function sweepCommand(configPath: string, opts: SweepCommandOptions, io: CliIo, imports: readonly string[], signal: AbortSignal): Promise<number> {
  const [{ sweep, SWEEP_OBJECTIVES }, { rankSweepRows }, { default: cliProgress }] = await Promise.all([import('../sweep/sweep.ts'), import('../sweep/rank-sweep-rows.ts'), import('cli-progress')]);
  let out: string | undefined;
  try {
    if (!(SWEEP_OBJECTIVES as readonly string[]).includes(opts.objective)) throw ConfigError.at('--objective', opts.objective, `one of ${SWEEP_OBJECTIVES.join(', ')}`);
    out = opts.out === undefined ? undefined : checkOut(resolve(opts.out), opts.force ?? false);
  } catch (error) {
    printFailure(error, io, { json: opts.json });
    return EXIT.invalidInput;
  }
  if (opts.report && out === undefined) {
    printFailure(ConfigError.at('--report', true, '--out <dir> as well (the report is written there)'), io, { json: opts.json });
    return EXIT.invalidInput;
  }
  let heatmap: [string, string] | undefined;
  if (opts.heatmap !== undefined) {
    const axes = opts.heatmap.split(',').map((s) => s.trim());
    const grid = opts.grid.map((g) => g.slice(0, g.indexOf('=')).trim());
    if (axes.length !== 2 || !axes.every((a) => grid.includes(a))) {
      printFailure(ConfigError.at('--heatmap', opts.heatmap, `two paths of the grid, comma-separated (${grid.join(', ')})`), io, { json: opts.json });
      return EXIT.invalidInput;
    }
    heatmap = [axes[0]!, axes[1]!];
  }
  const objective = opts.objective as SweepObjective;
  const minimize = opts.minimize ?? false;
  if (opts.walkForward !== undefined) return walkForwardCommand(configPath, opts, objective, io, imports, signal, out);
  const finished: ParameterSetResult[] = [];
  const terminal = opts.progress && !opts.json ? io.terminal : undefined;
  const bar = terminal ? new cliProgress.SingleBar({ format: 'parameter sets {bar} {value}/{total}', stream: terminal, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  let started = false;
  let result: SweepResult | undefined;
  let failure: unknown;
  const began = performance.now();
  try {
    result = await sweep(configPath, {
      grid: opts.grid,
      ...(opts.random !== undefined ? { random: opts.random } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      objective,
      minimize,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
      imports,
      signal,
      onBatch: (rows, done, total) => {
        finished.push(...rows);
        if (!started) bar?.start(total, 0);
        started = true;
        bar?.update(done);
      },
    });
  } catch (error) {
    failure = error;
  } finally {
    bar?.stop();
  }
  // Nothing ran (a bad grid or parameter set): invalid input, nothing to write.
  if (failure !== undefined && finished.length === 0 && !(failure instanceof Error && failure.name === 'InterruptedError')) {
    printFailure(failure, io, { json: opts.json });
    return exitCodeFor(failure, { started: !(failure instanceof ConfigError) });
  }
  const rows = result?.rows ?? rankSweepRows(finished, objective, minimize);
  const status = failure === undefined ? 'finished' : failure instanceof Error && failure.name === 'InterruptedError' ? 'interrupted' : 'failed';
  const commandOf = reproduceCommand(configPath, imports);
  const table = rows.map((row) => flatRow(row, commandOf));
  const files: string[] = [];
  let writeError: unknown;
  if (out !== undefined) {
    try {
      const [{ writeTables }, { writeFileAtomic }] = await Promise.all([import('../../lib/cli/write-tables.ts'), import('../../lib/cli/write-file-atomic.ts')]);
      if (table.length > 0) await writeTables(out, [{ date: '', tables: { sweep: table } }], { dateColumn: false, written: files });
      const summary = { sessionflow: 'sweep', status, ...(result?.queue ? { queue: result.queue } : {}), config: resolve(configPath), grid: opts.grid, ...(opts.random !== undefined ? { random: opts.random, seed: opts.seed ?? 1 } : {}), objective, minimize, sets: rows.length, workers: result?.workers ?? null, batches: result?.batches ?? null, ms: Math.round(performance.now() - began), files: files.map((f) => f.slice(out!.length + 1)), top: table.slice(0, opts.top), ...(failure !== undefined && status === 'failed' ? { error: (failure as Error).message } : {}) };
      files.push(writeFileAtomic(join(out, 'sweep.json'), `${JSON.stringify(summary, nanAsNull, 2)}\n`));
      if (opts.report) {
        const { renderSweepReport } = await import('../../lib/cli/render-sweep-report.ts');
        const reportRows = rows.map((row) => ({ rank: row.rank, parameters: row.parameters, score: row.score, stats: row.stats as unknown as Record<string, number> | undefined, command: commandOf(row) }));
        files.push(writeFileAtomic(join(out, 'report.html'), renderSweepReport({ title: configPath, objective, minimize, paths: result?.paths ?? Object.keys(rows[0]?.parameters ?? {}), rows: reportRows, top: Math.max(opts.top, 20), ...(heatmap ? { heatmap } : {}) })));
      }
    } catch (error) {
      writeError = error;
    }
  }
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ ok: status === 'finished' && writeError === undefined, status, objective, minimize, sets: rows.length, files, rows: table }, nanAsNull, 2)}\n`);
  } else {
    io.stdout.write(topTable(rows.slice(0, opts.top), objective, result?.paths ?? Object.keys(rows[0]?.parameters ?? {}), io.color ?? false));
    const best = rows[0];
    if (best) io.stdout.write(`\nbest by ${objective}: ${commandOf(best)}\n`);
    const where = (r: SweepResult): string => (r.queue ? `queue ${r.queue.url} (${r.queue.stored} results stored by workers, ${r.queue.reused} already stored)` : r.workers === 0 ? 'this thread' : `${r.workers} worker thread${r.workers === 1 ? '' : 's'}`);
    io.stdout.write(`${rows.length} parameter set${rows.length === 1 ? '' : 's'}${result ? ` in ${(result.ms / 1000).toFixed(1)} s on ${where(result)}` : ''}${status !== 'finished' ? ` (${status})` : ''}\n`);
    for (const file of files) io.stdout.write(`wrote ${file}\n`);
  }
  if (failure !== undefined && status === 'failed') printFailure(failure, io, { json: false });
  if (writeError !== undefined) printFailure(writeError, io, { json: false });
  if (status === 'interrupted') return exitCodeFor(failure, { started: true });
  return failure !== undefined || writeError !== undefined ? EXIT.runFailure : EXIT.ok;
}

/** `--out` as a folder the sweep may write: created if missing; a previous sweep there is replaced only with `force`. */
function checkOut(out: string, force: boolean): string {
  if (existsSync(out) && !statSync(out).isDirectory()) throw ConfigError.at('--out', out, 'a folder (this is a file)');
  const previous = SWEEP_FILES.filter((f) => existsSync(join(out, f)));
  if (previous.length > 0 && !force) throw ConfigError.at('--out', out, `a folder without a previous sweep (it holds ${previous.join(', ')}); pass --force to replace it`);
  mkdirSync(out, { recursive: true });
  return out;
}

/** One row of `sweep.parquet`/`sweep.csv`: rank, set, parameters, objective, every scalar statistic, the command. */
function flatRow(row: SweepRow, commandOf: (row: ParameterSetResult) => string): Record<string, number | string> {
  const flat: Record<string, number | string> = { rank: row.rank, set: row.index };
  for (const [path, value] of Object.entries(row.parameters)) flat[path] = typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value);
  flat.score = row.score;
  for (const [key, value] of Object.entries(row.stats ?? {})) if (typeof value === 'number') flat[key] = value;
  flat.command = commandOf(row);
  return flat;
}

/** The `sessionflow run` command line that reproduces a set's statistics (from the folder the sweep ran in). */
function reproduceCommand(configPath: string, imports: readonly string[]): (row: ParameterSetResult) => string {
  const prefix = ['sessionflow', 'run', ...imports.flatMap((m) => ['--import', m]), configPath].map(shellWord).join(' ');
  return (row) => `${prefix}${Object.entries(row.parameters).map(([path, value]) => ` --set ${shellWord(`${path}=${JSON.stringify(value)}`)}`).join('')}`;
}

/** A word for a POSIX shell: as it is when it is safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The top sets as a table: rank, the parameters, the objective and the headline figures. */
function topTable(rows: readonly SweepRow[], objective: SweepObjective, paths: readonly string[], color: boolean): string {
  if (rows.length === 0) return 'no parameter set finished\n';
  const figures = ['returnPct', 'maxDrawdownPct', 'sharpe', 'trades'].filter((k) => k !== objective);
  const short = (path: string): string => path.replace(/^strategies\[\d+\]\.params\./, '');
  const format = (value: unknown): string => (typeof value !== 'number' ? String(value) : Number.isNaN(value) ? 'NaN' : Number.isInteger(value) ? String(value) : value.toFixed(3));
  const lines = [['rank', ...paths.map(short), objective, ...figures], ...rows.map((row) => [String(row.rank), ...paths.map((p) => format(row.parameters[p])), format(row.score), ...figures.map((k) => format(row.stats?.[k as keyof typeof row.stats]))])];
  const text = aligned(lines);
  return `${color ? `\u001b[1m${text.split('\n')[0]}\u001b[0m\n${text.split('\n').slice(1).join('\n')}` : text}\n`;
}

/** `sessionflow sweep --walk-forward train=N,test=M`: the steps printed, and written with both equity curves into `--out`. */
async function walkForwardCommand(configPath: string, opts: SweepCommandOptions, objective: SweepObjective, io: CliIo, imports: readonly string[], signal: AbortSignal, out: string | undefined): Promise<number> {
  const { walkForward, parseWalkForward } = await import('../sweep/walk-forward.ts');
  let result;
  try {
    const windows = parseWalkForward(opts.walkForward!);
    result = await walkForward(configPath, windows, {
      grid: opts.grid,
      ...(opts.random !== undefined ? { random: opts.random } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      objective,
      minimize: opts.minimize ?? false,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
      imports,
      signal,
    });
  } catch (error) {
    printFailure(error, io, { json: opts.json });
    return exitCodeFor(error, { started: !(error instanceof ConfigError) });
  }
  const steps = result.steps.map((step, i) => ({
    step: i + 1,
    trainStart: step.train.start,
    trainEnd: step.train.end,
    testStart: step.test.start,
    testEnd: step.test.end,
    ...Object.fromEntries(Object.entries(step.parameters).map(([path, value]) => [path, typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value)])),
    inSampleScore: step.inSample.score,
    inSampleReturnPct: step.inSample.returnPct,
    outOfSampleScore: step.outOfSample.score,
    outOfSampleReturnPct: step.outOfSample.returnPct,
    outOfSampleTrades: step.outOfSample.trades,
  }));
  const equity = [...result.inSample.map((p) => ({ date: p.date, sample: 'in', equity: p.equity })), ...result.outOfSample.map((p) => ({ date: p.date, sample: 'out', equity: p.equity }))];
  const files: string[] = [];
  try {
    if (out !== undefined) {
      const [{ writeTables }, { writeFileAtomic }] = await Promise.all([import('../../lib/cli/write-tables.ts'), import('../../lib/cli/write-file-atomic.ts')]);
      await writeTables(out, [{ date: '', tables: { 'walk-forward': steps, 'walk-forward-equity': equity } }], { dateColumn: false, written: files });
      files.push(writeFileAtomic(join(out, 'walk-forward.json'), `${JSON.stringify({ sessionflow: 'walk-forward', config: resolve(configPath), grid: opts.grid, ...result }, nanAsNull, 2)}\n`));
      if (opts.report) {
        const { renderSweepReport } = await import('../../lib/cli/render-sweep-report.ts');
        files.push(writeFileAtomic(join(out, 'report.html'), renderSweepReport({ title: `${configPath} (walk-forward)`, objective, minimize: opts.minimize ?? false, paths: [], rows: [], walkForward: result })));
      }
    }
  } catch (error) {
    printFailure(error, io, { json: opts.json });
    return EXIT.runFailure;
  }
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ ok: true, ...result, files }, nanAsNull, 2)}\n`);
    return EXIT.ok;
  }
  const paths = Object.keys(result.steps[0]?.parameters ?? {});
  const short = (path: string): string => path.replace(/^strategies\[\d+\]\.params\./, '');
  const fmt = (x: number): string => (Number.isNaN(x) ? 'NaN' : x.toFixed(3));
  const lines = [['step', 'train', 'test', ...paths.map(short), `in ${objective}`, 'in return %', `out ${objective}`, 'out return %'], ...result.steps.map((s, i) => [String(i + 1), `${s.train.start}..${s.train.end}`, `${s.test.start}..${s.test.end}`, ...paths.map((p) => String(s.parameters[p])), fmt(s.inSample.score), fmt(s.inSample.returnPct), fmt(s.outOfSample.score), fmt(s.outOfSample.returnPct)])];
  io.stdout.write(`${aligned(lines)}\n`);
  io.stdout.write(`\nout of sample (test windows stitched): ${fmt(result.outOfSampleReturnPct)} %; in sample (the ${result.windows.test} sessions before each choice): ${fmt(result.inSampleReturnPct)} %; walk-forward efficiency ${fmt(result.efficiency)}\n`);
  io.stdout.write(`${result.steps.length} step${result.steps.length === 1 ? '' : 's'} of train=${result.windows.train},test=${result.windows.test} sessions in ${(result.ms / 1000).toFixed(1)} s\n`);
  for (const file of files) io.stdout.write(`wrote ${file}\n`);
  return EXIT.ok;
}

/** Rows of cells as text columns, right-aligned, two spaces apart. */
function aligned(lines: readonly (readonly string[])[]): string {
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) => l.map((cell, i) => cell.padStart(widths[i]!)).join('  ')).join('\n');
}
