import { Subscription } from 'rxjs';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { InterruptedError } from '../../lib/errors.ts';
import { RunStatsAccumulator } from '../../lib/metrics/run-stats.ts';
import type { BacktestStats } from '../../lib/metrics/compute-stats.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import type { ParameterSet } from './expand-grid.ts';
import { parameterSetComponents } from './parameter-set-components.ts';
import { prepareParameterSet, type PreparedSet } from './prepare-parameter-set.ts';
import { sharingKey } from './sharing-key.ts';

/** A parameter set with its place in the sweep (rows and result keys use the index). */
export interface IndexedParameterSet {
  readonly index: number;
  readonly parameters: ParameterSet;
}

/** One job of a sweep: a config and the parameter sets to run over it. */
export interface ParameterBatch {
  /** The session config as read from its file (JSON), before validation: each set is applied to a copy. */
  readonly config: SessionConfigInput | Readonly<Record<string, unknown>>;
  /** Folder the config's relative paths resolve against (the config file's folder). */
  readonly baseDir: string;
  /** The config file, for error messages. */
  readonly file?: string;
  readonly sets: readonly IndexedParameterSet[];
}

/** What a parameter set's backtest gave. */
export interface ParameterSetResult {
  readonly index: number;
  readonly parameters: ParameterSet;
  /** The run's statistics, as `sessionflow run` computes them; undefined when nothing traded through a broker. */
  readonly stats: BacktestStats | undefined;
}

/** Options of {@link runParameterBatch}. */
export interface ParameterBatchOptions {
  /** Aborting stops the batch at once (the current day is torn down); the promise rejects with an InterruptedError. */
  readonly signal?: AbortSignal;
  /** Called as each day of each group of sets finishes. */
  readonly onDay?: (date: string) => void;
}

/** What the statistics read of a set's tables (the broker reports its exposure counts). */
const STATS_TABLES = ['trades'];

/** Components that are a parameter set's own: what it trades with. The others are the same for every set of a group. */
const PER_SET_KINDS = new Set(['broker', 'strategy']);

/**
 * Backtest every parameter set of `batch` with the data shared (issue "Parameter sweeps",
 * point 2): days outer, sets inner. Sets whose configs differ only in their strategies and
 * broker, and load the same history, run as one backtest: each day is loaded and decoded
 * once, its bars derived and its indicators computed once (strategies reading the same
 * column share one computation), and every set trades through a broker of its own
 * ({@link parameterSetComponents}). Each set's statistics are those `sessionflow run` gives
 * for the config with its parameters. Sets that differ in anything else (symbols, dates,
 * streams, configured indicators, warm-up length) run as separate groups. With scanners, each
 * set runs alone: a symbol one set's broker carries into the day would reach every set's
 * strategies. Runs are data-driven (`speed` 0); results are the same at any speed.
 *
 * @throws ConfigError naming the parameter set and the JSON path, for a set the strategy's schema refuses.
 *
 * @example
 * ```ts
 * const rows = await runParameterBatch({ config: JSON.parse(readFileSync('s.json', 'utf8')), baseDir: '.', sets: [{ index: 0, parameters: { 'strategies[0].params.fast': 5 } }] });
 * ```
 */
export async function runParameterBatch(batch: ParameterBatch, options: ParameterBatchOptions = {}): Promise<ParameterSetResult[]> {
  const prepared: PreparedSet[] = [];
  for (const set of batch.sets) prepared.push(await prepareParameterSet(batch, set));
  const groups = new Map<string, PreparedSet[]>();
  for (const set of prepared) {
    const key = sharingKey(set);
    const group = groups.get(key);
    if (group) group.push(set);
    else groups.set(key, [set]);
  }
  const results = new Map<number, ParameterSetResult>();
  for (const group of groups.values()) {
    for (const result of await runGroup(group, options)) results.set(result.index, result);
  }
  return batch.sets.map((set) => results.get(set.index)!);
}


/** One backtest for the sets of a group, each set's statistics accumulated from its own reports and tables. */
function runGroup(group: readonly PreparedSet[], options: ParameterBatchOptions): Promise<ParameterSetResult[]> {
  const first = group[0]!;
  const shared = first.components.filter((c) => !PER_SET_KINDS.has(c.kind ?? ''));
  // Each set's reports and tables of the day, handed over by its components (see below).
  let ended = group.map(() => emptySetDay());
  const components = [
    ...shared,
    ...group.flatMap((set, i) =>
      parameterSetComponents(
        `set${set.index}/`,
        set.components.filter((c) => PER_SET_KINDS.has(c.kind ?? '')),
        {
          tables: STATS_TABLES,
          onEnd: (day) => {
            const mine = ended[i]!;
            if (day.report !== undefined) mine.components[day.name] = day.report;
            Object.assign(mine.tables, day.tables);
          },
        },
      ),
    ),
  ];
  const calendar = getCalendar(first.config.calendar);
  const sums = group.map(() => new RunStatsAccumulator(calendar));
  const run = createBacktest(first.config, { components, retainDays: false, export: 'none', speed: 0 });
  return new Promise<ParameterSetResult[]>((resolve, reject) => {
    const subscription = new Subscription();
    const abort = (): void => {
      subscription.unsubscribe();
      reject(new InterruptedError('the sweep batch was interrupted', { phase: 'active' }));
    };
    if (options.signal?.aborted) return abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    subscription.add(() => options.signal?.removeEventListener('abort', abort));
    subscription.add(
      run.events$.subscribe({
        next: (event) => {
          if (event.type === 'day') {
            // The day as the set's own run would have it: its components' reports with the
            // shared components' (the benchmark), which are all the day's result holds.
            const { date, open, close, components: sharedReports } = event.result;
            group.forEach((_set, i) => {
              const mine = ended[i]!;
              sums[i]!.add({ date, open, close, components: Object.assign(mine.components, sharedReports), tables: mine.tables });
            });
            ended = group.map(() => emptySetDay());
            options.onDay?.(date);
          } else if (event.type === 'run-end') {
            event.result.dispose();
          }
        },
        error: (error: unknown) => {
          subscription.unsubscribe();
          reject(error);
        },
        complete: () => {
          subscription.unsubscribe();
          resolve(group.map((set, i) => ({ index: set.index, parameters: set.parameters, stats: sums[i]!.stats() })));
        },
      }),
    );
  });
}

/** A set's day as its components end it: reports and tables by their own names. */
function emptySetDay(): { components: Record<string, unknown>; tables: Record<string, ReadonlyArray<unknown>> } {
  return { components: {}, tables: {} };
}
