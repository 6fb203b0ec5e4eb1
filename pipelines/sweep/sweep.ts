import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Piscina } from 'piscina';
import { isLogEnabled, log, LOG_LEVELS, type LogLevel } from '../../lib/log.ts';
import { prepareRun } from '../prepare-run.ts';
import { ConfigError, InterruptedError } from '../../lib/errors.ts';
import type { BacktestStats } from '../../lib/metrics/compute-stats.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { expandGrid, type ParameterSet } from './expand-grid.ts';
import { prepareParameterSet } from './prepare-parameter-set.ts';
import { runParameterBatch, type IndexedParameterSet, type ParameterBatch, type ParameterSetResult } from './run-parameter-batch.ts';
import type { SweepTask } from './sweep-thread-main.ts';
import { rankSweepRows } from './rank-sweep-rows.ts';
import { sweepConfig } from './sweep-config.ts';
import { sweepThreadFile } from './sweep-thread-file.ts';
import { sweepOnQueue } from './sweep-on-queue.ts';
import { sharedFilesOf } from './shared-files.ts';
import { sharingKey } from './sharing-key.ts';
import { packageVersion } from '../../lib/cli/package-version.ts';

/** The statistics a sweep can rank by (`--objective`): every scalar of the run's statistics. */
export const SWEEP_OBJECTIVES = [
  'returnPct', 'returnAnnPct', 'cagrPct', 'sharpe', 'sortino', 'calmar', 'alphaPct', 'beta', 'volatilityAnnPct',
  'maxDrawdownPct', 'avgDrawdownPct', 'maxDrawdownDurationMs', 'avgDrawdownDurationMs', 'equityFinal', 'equityPeak',
  'exposureTimePct', 'buyHoldReturnPct', 'trades', 'winRatePct', 'bestTradePct', 'worstTradePct', 'avgTradePct',
  'maxTradeDurationMs', 'avgTradeDurationMs', 'profitFactor', 'expectancyPct', 'sqn', 'kelly', 'commissions',
  'probabilisticSharpe', 'turnover',
] as const satisfies ReadonlyArray<keyof BacktestStats>;

export type SweepObjective = (typeof SWEEP_OBJECTIVES)[number];

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** `path=values` specs (see expandGrid): `strategies[0].params.fast=5..30:5`, `strategies[0].params.slow=[20,50,100]`. */
  readonly grid: readonly string[];
  /** Draw this many distinct sets from the grid (seeded) instead of running all of them. */
  readonly random?: number;
  readonly seed?: number;
  /** The statistic the sets are ranked by (default `sharpe`), best first. */
  readonly objective?: SweepObjective;
  /** Rank the lowest first (a volatility, a drawdown duration). */
  readonly minimize?: boolean;
  /** Worker threads (default: the machine's cores); 0 runs the batches in this thread. */
  readonly workers?: number;
  /** Parameter sets per batch (default: the sets spread evenly over the workers, at most 250 per batch). */
  readonly batchSize?: number;
  /**
   * A Redis URL (`redis://host:port`): put the batches on its BullMQ queue for
   * `sessionflow worker` processes on any machine instead of running them here (`workers`
   * is then theirs to choose). Results are stored there once per set and reused.
   */
  readonly queue?: string;
  /** Folder an object config's relative paths resolve against (default: cwd). */
  readonly baseDir?: string;
  /** Modules that register strategies, indicators or scanners, imported by every worker thread. */
  readonly imports?: readonly string[];
  /** Aborting stops the sweep: running batches are stopped, and it rejects with an InterruptedError. */
  readonly signal?: AbortSignal;
  /**
   * Called as each batch finishes, with its rows (unranked) and the parameter sets done and
   * in all: a caller keeps what finished when the sweep is interrupted later.
   */
  readonly onBatch?: (rows: readonly ParameterSetResult[], done: number, total: number) => void;
}

/** One parameter set's row of a sweep. */
export interface SweepRow extends ParameterSetResult {
  /** 1 for the best set by the objective. */
  readonly rank: number;
  /** The objective's value (NaN when undefined for the set, e.g. a Sharpe without trades). */
  readonly score: number;
}

/** What a sweep found, best set first. */
export interface SweepResult {
  readonly objective: SweepObjective;
  readonly minimize: boolean;
  /** The config paths the sweep varied, in grid order. */
  readonly paths: readonly string[];
  readonly rows: readonly SweepRow[];
  readonly workers: number;
  readonly batches: number;
  readonly ms: number;
  /** With `queue`: where the batches ran, and how many results workers stored for this sweep (each once) or found stored already. */
  readonly queue?: { readonly url: string; readonly stored: number; readonly reused: number };
}

/**
 * Sets per batch at most: a batch's memory grows with its sets (each keeps its trades until the
 * batch ends), and past a few hundred sets a tick's per-set state no longer stays in cache
 * (1,000 sets of the sweep bench on 2 workers: batches of 250 took 19.1–19.5 s, of 100
 * 20.4–21.1 s, of 500 23.7–24.5 s).
 */
const MAX_BATCH = 250;

/**
 * The default batch size: as few batches as {@link MAX_BATCH} allows, in a whole multiple of
 * the workers so every worker gets the same number of sets (batches of 200 or 300 left one
 * worker a batch behind and took 21–22 s).
 */
function defaultBatchSize(sets: number, workers: number): number {
  const lanes = Math.max(1, workers);
  const batches = Math.ceil(Math.ceil(sets / MAX_BATCH) / lanes) * lanes;
  return Math.max(1, Math.ceil(sets / batches));
}

/**
 * Run a parameter sweep (issue "Parameter sweeps", point 1–2): the grid's parameter sets are
 * checked against the config's schema and the strategies' own (every set, with JSON paths)
 * before anything runs; then they run in batches on worker threads, each batch with its data
 * shared (days outer, sets inner: see runParameterBatch), and come back ranked by the
 * objective. Every row's statistics equal `sessionflow run CONFIG --set path=value …` for its
 * parameters.
 *
 * @throws ConfigError for a bad grid, objective or parameter set (naming it), before any batch runs.
 * @example
 * ```ts
 * const result = await sweep('sessions/spy.json', ['strategies[0].params.fast=5..30:5', 'strategies[0].params.slow=[50,100]'], { objective: 'sharpe' });
 * console.log(result.rows[0].parameters, result.rows[0].score);
 * ```
 */
export async function sweep(config: string | SessionConfigInput | Readonly<Record<string, unknown>>, options: SweepOptions): Promise<SweepResult>;
/** `sweep(config, grid, options)`: the grid's specs as their own argument. */
export async function sweep(config: string | SessionConfigInput | Readonly<Record<string, unknown>>, grid: readonly string[], options?: Omit<SweepOptions, 'grid'>): Promise<SweepResult>;
export async function sweep(config: string | SessionConfigInput | Readonly<Record<string, unknown>>, gridOrOptions: readonly string[] | SweepOptions, more: Omit<SweepOptions, 'grid'> = {}): Promise<SweepResult> {
  const options: SweepOptions = Array.isArray(gridOrOptions) ? { ...more, grid: gridOrOptions } : (gridOrOptions as SweepOptions);
  const started = performance.now();
  const objective = options.objective ?? 'sharpe';
  if (!(SWEEP_OBJECTIVES as readonly string[]).includes(objective)) throw ConfigError.at('objective', objective, `one of ${SWEEP_OBJECTIVES.join(', ')}`);
  const base = sweepConfig(config, options.baseDir);
  const sets: IndexedParameterSet[] = expandGrid(options.grid, { ...(options.random !== undefined ? { random: options.random } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) }).map((parameters, index) => ({ index, parameters }));
  const paths = Object.keys(sets[0]!.parameters);
  const workers = Math.max(0, Math.floor(options.workers ?? availableParallelism()));
  const size = options.batchSize ?? defaultBatchSize(sets.length, workers);
  if (!Number.isInteger(size) || size < 1) throw ConfigError.at('batchSize', options.batchSize, 'a whole number of sets >= 1');
  // The worker threads start now and load the engine while this thread checks the sets.
  const pool = options.queue === undefined && workers > 0 ? sweepPool(Math.min(workers, Math.ceil(sets.length / size))) : undefined;
  try {
    // Every set checked before the first batch: a typo in the 900th set must not cost the first 899.
    const keys = new Map<number, string>();
    for (const set of sets) keys.set(set.index, sharingKey(await prepareParameterSet({ ...base, sets: [] }, set)));
    // The store checked once, with the first set (missing root, unknown symbols; missing days
    // warned here once, not by every batch).
    const { plan, source } = await prepareRun(base.file ?? (base.config as SessionConfigInput), { baseDir: base.baseDir, set: sets[0]!.parameters }).plan();
    source.close?.();
    for (const warning of plan.warnings) log.warn(warning);
    // Sets that can share a backtest next to each other, so a batch runs as few backtests as it
    // can: in the bench's grid, the 75 sets whose slow SMA outlasts an early close (two trailing
    // sessions) were spread over all four batches, and each ran its year a second time for them.
    const ordered = byKey(sets, keys);
    const batches: ParameterBatch[] = [];
    for (let i = 0; i < ordered.length; i += size) batches.push({ ...base, sets: ordered.slice(i, i + size) });
    let done = 0;
    const finished = (rows: ParameterSetResult[]): ParameterSetResult[] => {
      done += rows.length;
      options.onBatch?.(rows, done, sets.length);
      return rows;
    };
    let results: ParameterSetResult[][];
    let queued: SweepResult['queue'];
    if (options.queue !== undefined) {
      const imports = (options.imports ?? []).map((m) => resolve(m));
      const outcome = await sweepOnQueue(options.queue, batches, { version: packageVersion(), imports, shared: sharedFilesOf(plan.config, imports), logLevel: threadLogLevel(), ...(options.signal ? { signal: options.signal } : {}), onBatch: finished });
      results = outcome.results;
      queued = { url: options.queue, stored: outcome.stored, reused: outcome.reused };
    } else {
      results = pool ? await onWorkers(pool, batches, options, finished) : await inThisThread(batches, options.signal, finished);
    }
    return { objective, minimize: options.minimize ?? false, paths, rows: rankSweepRows(results.flat(), objective, options.minimize ?? false), workers: options.queue !== undefined ? 0 : workers, batches: batches.length, ms: performance.now() - started, ...(queued ? { queue: queued } : {}) };
  } finally {
    await pool?.destroy();
  }
}


/** `sets` grouped by their key (groups in order of first appearance; in their order within a group). */
function byKey(sets: readonly IndexedParameterSet[], keys: ReadonlyMap<number, string>): IndexedParameterSet[] {
  const groups = new Map<string, IndexedParameterSet[]>();
  for (const set of sets) {
    const key = keys.get(set.index)!;
    const group = groups.get(key);
    if (group) group.push(set);
    else groups.set(key, [set]);
  }
  return [...groups.values()].flat();
}

/**
 * The log level of batch threads: errors only, unless info or more was asked for (their
 * per-day warnings repeat for every batch what the store check said once).
 */
function threadLogLevel(): LogLevel {
  return (Object.keys(LOG_LEVELS) as LogLevel[]).find((level) => isLogEnabled(level) && LOG_LEVELS[level] <= LOG_LEVELS.info) ?? 'error';
}

async function inThisThread(batches: readonly ParameterBatch[], signal: AbortSignal | undefined, finished: (rows: ParameterSetResult[]) => ParameterSetResult[]): Promise<ParameterSetResult[][]> {
  const out: ParameterSetResult[][] = [];
  for (const batch of batches) out.push(finished(await runParameterBatch(batch, signal ? { signal } : {})));
  return out;
}


/** `threads` worker threads for sweep batches, started at once (each loads the engine as it starts). */
function sweepPool(threads: number): Piscina<SweepTask, ParameterSetResult[]> {
  return new Piscina<SweepTask, ParameterSetResult[]>({ filename: sweepThreadFile(), minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: 1, idleTimeout: 1_000 });
}

async function onWorkers(pool: Piscina<SweepTask, ParameterSetResult[]>, batches: readonly ParameterBatch[], options: SweepOptions, finished: (rows: ParameterSetResult[]) => ParameterSetResult[]): Promise<ParameterSetResult[][]> {
  const imports = (options.imports ?? []).map((m) => resolve(m));
  const logLevel = threadLogLevel();
  try {
    return await Promise.all(batches.map((batch) => pool.run({ ...batch, imports, logLevel }, options.signal ? { signal: options.signal } : {}).then(finished)));
  } catch (error) {
    if (options.signal?.aborted) throw new InterruptedError('the sweep was interrupted', { phase: 'active' }, { cause: error });
    throw error;
  }
}


export type { ParameterSet };
