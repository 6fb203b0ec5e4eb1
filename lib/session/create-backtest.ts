import { arquero } from './arquero.ts';
import type { DataTable } from './data-table.ts';
import { asyncScheduler, defer, filter, from, concatMap, lastValueFrom, map, Observable, share, Subscriber, Subscription, type SchedulerLike } from 'rxjs';
import type { Session } from '../calendar/types.ts';
import { driveTicks } from '../clock/drive-ticks.ts';
import { RunControl } from '../clock/run-control.ts';
import { parseScanSchedule, type ScanSchedule } from '../clock/scan-schedule.ts';
import { planRun, type HistoryRequirement, type RunPlan } from '../config/plan-run.ts';
import { storeProblems } from '../config/store-problems.ts';
import type { SessionConfig } from '../config/schema.ts';
import { ConfigError, InterruptedError, LifecycleError, SessionflowError } from '../errors.ts';
import { isLogEnabled, log } from '../log.ts';
import { seriesQuality } from '../metrics/quality.ts';
import { StageContract } from './stage-contract.ts';
import { countPendingLoads, type CountedLoader } from './count-pending-loads.ts';
import { flagOutliers, type OutlierOptions } from '../store/outlier-flags.ts';
import { runStats } from '../metrics/run-stats.ts';
import { openBarLoader, type BarLoader } from '../store/threaded-bar-loader.ts';
import type { Json, SessionComponent, SessionContext, TableRows } from './component.ts';
import { asJson } from './as-json.ts';
import { exportSessionData } from './export-session-data.ts';
import { SessionBarsCache } from './load-session-data.ts';
import type { BacktestResult, DayResult, Phase, RunEvent, SymbolDayQuality } from './results.ts';
import { TotalsAccumulator } from './results.ts';
import { RunMemory } from './run-memory.ts';
import { SessionDay } from './session-day.ts';
import type { SessionData } from './session-data.ts';
import type { Signal, SlicePipeline, TimeSlice } from './time-slice.ts';
import { decodeThreadsFor } from '../config/decode-threads-for.ts';

export type { SessionComponent, SessionContext } from './component.ts';

/** Options of {@link createBacktest}. */
export interface BacktestOptions {
  /**
   * The day's pipeline as one function (built in Phase 2 of every day, so operator state is
   * per day). It runs first, before the components' stages.
   */
  readonly pipeline?: (ctx: SessionContext) => SlicePipeline;
  /** Per-day components, in order: their stages run in this order, their teardowns in reverse. */
  readonly components?: readonly SessionComponent[];
  /** Time source for clock-driven mode (inject a TestScheduler/VirtualTimeScheduler in tests). */
  readonly scheduler?: SchedulerLike;
  /** Override `config.backtest.speed`. */
  readonly speed?: number;
  /** Write SessionData as Parquet: the last day (default when `out` is set), every day, or none. */
  readonly export?: 'last' | 'all' | 'none';
  /** Output folder for exports. */
  readonly out?: string;
  /** A plan computed earlier (e.g. by `prepareRun`), to avoid checking the data twice. */
  readonly plan?: RunPlan;
  /** Warm-up history needed beyond what the components declare; ignored when `plan` is given. */
  readonly history?: readonly HistoryRequirement[];
  /** Only these dates of the plan (e.g. to re-run one day). */
  readonly dates?: readonly string[];
  /**
   * Read bars through this source, which the caller opened and will close (e.g. shared by
   * the runs of a sweep). Without it the run opens its own from the config (decode threads
   * per `store.decodeThreads`) when it starts and closes it at `dispose()`, on failure or
   * when interrupted.
   */
  readonly source?: BarLoader;
  /** Close `source` when the run ends, like a source the run opened itself (hand a validated source over to the run). */
  readonly closeSource?: boolean;
  /**
   * Components' carry at the start (by component name): resume a run from a day boundary
   * with the `carry` recorded in the previous day's result.
   */
  readonly carry?: Readonly<Record<string, Json>>;
  /**
   * Real milliseconds a slice may stay inside the pipeline, with no bar load pending, before
   * the day fails naming the stage that holds it (a stage that dropped it, or async work
   * that never finishes); default 60 000, 0 = never. When the process runs out of work the
   * stage is named at once, whatever this says.
   */
  readonly stallTimeoutMs?: number;
  /**
   * Keep every day's result for the final BacktestResult (default true). With `false` the
   * run's memory is bounded by the day, not the run: each DayResult goes out only as a `day`
   * event (write it somewhere, as `sessionflow run` does into `OUT/days.ndjson`), the result
   * has its totals, carry and last day but no `days`, and `table()`, `trades` and `stats`
   * say so instead of answering from nothing.
   */
  readonly retainDays?: boolean;
}

/** A backtest that has not started yet: cold until `events$` is subscribed or `result()` called. */
export interface BacktestRun {
  /** Phase events and per-day results. Shared: subscribers join one execution. */
  readonly events$: Observable<RunEvent>;
  /** Runs the backtest (or joins the running one) and resolves with its result. */
  result(): Promise<BacktestResult>;
  /** Hold the clock between ticks. */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
}

/**
 * The session loop (DESIGN §2, §7): validate once, then for each trading day tear down the
 * previous day, load everything the day needs, warm the stages, set the components up, run
 * pre-session scans, stream the day through the clock and the pipeline, and stop exactly at
 * the close, keeping that day's data intact.
 *
 * @example
 * ```ts
 * const run = createBacktest(readConfigFile('session.json'), { pipeline: () => (s) => s });
 * const result = await run.result();
 * console.log(result.totals.barsIn, result.sessionData?.symbols());
 * result.dispose();
 * ```
 */
export function createBacktest(config: SessionConfig, options: BacktestOptions = {}): BacktestRun {
  const control = new RunControl();
  const events$ = defer(() => runAll(config, options, control)).pipe(share());
  let pending: Promise<BacktestResult> | undefined;
  return {
    events$,
    result() {
      pending ??= lastValueFrom(
        events$.pipe(
          filter((e): e is Extract<RunEvent, { type: 'run-end' }> => e.type === 'run-end'),
          map((e) => e.result),
        ),
      );
      return pending;
    },
    pause: () => control.pause(),
    resume: () => control.resume(),
    get paused() {
      return control.paused;
    },
  };
}

/** The components of a run: the `pipeline` function first (as a component), then `components`. */
function componentsOf(options: BacktestOptions): SessionComponent[] {
  const list: SessionComponent[] = [];
  if (options.pipeline) {
    const build = options.pipeline;
    list.push({ name: 'pipeline', kind: 'pipeline', stage: (ctx) => build(ctx) });
  }
  list.push(...(options.components ?? []));
  // Brokers first (stable): their stage matches the tick's bars before any strategy runs (DESIGN §8).
  list.sort((a, b) => Number(b?.kind === 'broker') - Number(a?.kind === 'broker'));
  const names = new Set<string>();
  list.forEach((c, i) => {
    if (!c || typeof c.name !== 'string' || c.name === '') throw ConfigError.at(`components[${i}].name`, c?.name, 'a non-empty component name');
    if (names.has(c.name)) throw ConfigError.at(`components[${i}].name`, c.name, 'a component name not used by another component of the run (it keys reports and carry)');
    names.add(c.name);
  });
  return list;
}

/**
 * The components with the stages they share ({@link SessionComponent.uses}) inserted, each
 * once, just before the first component that uses it. A column two different computations
 * would write (`5m/ema_9` as an EMA of the close and of the open) is refused, naming both:
 * the later write would silently replace the values the other component reads.
 */
function withSharedStages(list: readonly SessionComponent[]): SessionComponent[] {
  if (!list.some((c) => c.uses !== undefined && c.uses.length > 0)) return [...list];
  const out: SessionComponent[] = [];
  const placed = new Set<string>();
  const writers = new Map<string, { key: string; by: string }>();
  for (const [i, c] of list.entries()) {
    for (const shared of c.uses ?? []) {
      if (placed.has(shared.key)) continue;
      for (const column of shared.columns) {
        const other = writers.get(column);
        if (other && other.key !== shared.key) {
          throw ConfigError.at(`components[${i}](${c.name}).uses`, shared.name, `a computation of its own for column ${column}, which ${other.by} computes differently (${other.key} vs ${shared.key}); name one column differently ("as")`);
        }
        writers.set(column, { key: shared.key, by: c.name });
      }
      placed.add(shared.key);
      out.push({ name: `${c.name}/${shared.name}`, kind: 'indicator', trustedStage: true, stage: () => shared.stage() });
    }
    out.push(c);
  }
  return out;
}

/** Everything the components need from the plan: their history requirements, in one list. */
export function historyNeedsOf(components: readonly SessionComponent[]): HistoryRequirement[] {
  return components.flatMap((c) => [...(c.needs?.history ?? [])]);
}

/** Every interval a component reads must be a stream of the plan (or `1d`): refused before the first day, not silently never updated. */
function checkNeeds(components: readonly SessionComponent[], plan: RunPlan): void {
  const streams = new Set(plan.intervals.map((i) => i.name));
  const problems = components.flatMap((c, i) =>
    (c.needs?.intervals ?? [])
      .filter((name) => name !== '1d' && !streams.has(name))
      .map((name) => ({ path: `components[${i}](${c.name}).needs.intervals`, value: name, expected: `one of the streams (${[...streams].join(', ')})`, message: `expected one of the streams (${[...streams].join(', ')}), got ${JSON.stringify(name)}` })),
  );
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${p.path}: ${p.message}`).join('\n'), problems);
}

/** State shared by the days of one run. */
interface RunState {
  /** The day being run, or the last finished day (intact until dispose). */
  day?: SessionDay;
  finished: boolean;
  /** Carry by component name, handed to the next day's setup. */
  carry: Map<string, Json>;
  /** When the run last let the event loop turn (performance.now()). */
  yieldedAt: number;
}

/**
 * Phase 1: tear the previous day down and forget it. A function of its own, not a local of
 * the day's function: a data-driven day runs its ticks inside that function's frame, and a
 * local there kept the whole previous day (its scope, and through it the stages' and
 * components' per-day state: brokers, orders) reachable until this day ended.
 */
function closeDay(state: RunState): void {
  const previous = state.day;
  state.day = undefined;
  previous?.close();
}

/** Longest stretch of days a run goes without letting the event loop turn. */
const YIELD_MS = 20;

function runAll(config: SessionConfig, options: BacktestOptions, control: RunControl): Observable<RunEvent> {
  return new Observable<RunEvent>((subscriber) => {
    const started = performance.now();
    const retainDays = options.retainDays ?? true;
    const days: DayResult[] = [];
    const totals = new TotalsAccumulator();
    const exported: string[] = [];
    const state: RunState = { finished: false, carry: new Map(Object.entries(options.carry ?? {})), yieldedAt: performance.now() };
    let loop: Subscription | undefined;
    let cancelled = false;
    let source: BarLoader | undefined;
    let ownsSource = false;
    // The memory the days recycle (DESIGN §7): lives exactly as long as the run.
    const memory = new RunMemory();
    // The run is over (disposed, failed or interrupted): its source and memory go with it.
    const closeSource = (): void => {
      memory.release();
      if (ownsSource) source?.close?.();
      source = undefined;
    };

    const exportMode = options.export ?? (options.out ? 'last' : 'none');
    const scheduler = options.scheduler ?? asyncScheduler;

    const start = async (): Promise<void> => {
      const declared = componentsOf(options);
      for (const c of declared) await c.prepare?.();
      // After prepare(): a strategy module declares its shared indicators once it is loaded.
      const components = withSharedStages(declared);
      const history = [...historyNeedsOf(components), ...(options.history ?? [])];
      // The run owns its data source from start to dispose (DESIGN §7), unless given one.
      ownsSource = options.source === undefined || options.closeSource === true;
      source = options.source;
      // Whole-run mistakes (a missing store root, unknown symbols, wrong columns or timestamp
      // unit) fail here, listed together, as `validate` lists them: a run that would read
      // nothing must not look like a quiet success. A given plan was checked by its maker; a
      // run continued from a carry was checked when it began (and its carried positions may
      // bring symbols the config does not list).
      if (!options.plan && !options.carry) {
        const problems = await storeProblems(config);
        if (problems.length > 0) throw new ConfigError(`invalid store for this run (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`, problems);
      }
      // Validation through the run's own source: decode threads parse the footers where they will decode.
      const plan =
        options.plan ??
        (await planRun(config, {
          ...(history.length > 0 ? { history } : {}),
          source: source ?? ((store, reader) => (source = openBarLoader(store, reader, decodeThreadsFor(config)))),
        }));
      if (cancelled) {
        closeSource();
        return;
      }
      source ??= openBarLoader(plan.store, plan.reader, decodeThreadsFor(config));
      checkNeeds(components, plan);
      const schedules = components.map((c, i) => (c.needs?.schedule?.length ? parseScanSchedule(c.needs.schedule, plan.calendar.timezone, `components[${i}](${c.name}).schedule`) : undefined));
      for (const w of plan.warnings) log.warn(w);
      subscriber.next({ type: 'run-start', plan });
      const cache = new SessionBarsCache();
      const sessions = options.dates ? plan.sessions.filter((s) => options.dates!.includes(s.date)) : plan.sessions;
      const speed = options.speed ?? config.backtest.speed;
      // Counted, so the stall check knows a slice held during a load is work under way.
      const reader = countPendingLoads(source);
      // Assigned before subscribing: the first day emits its 'teardown' phase event inside
      // subscribe(), and a consumer that unsubscribes right there (take, takeWhile) must find
      // `loop` to stop, or the day ran on unobserved. (spec/session/session-lifecycle.spec.ts)
      const days$ = new Subscriber<RunEvent>({
        next: (event) => {
          if (event.type === 'day') {
            totals.add(event.result);
            if (exportMode === 'all') exported.push(...(event.result as DayResultWithFiles).exported);
            if (retainDays) days.push(event.result);
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          finish().catch((error: unknown) => subscriber.error(error));
        },
      });
      loop = days$;
      from(sessions)
        .pipe(concatMap((session, index) => runSession({ plan, session, index, total: sessions.length, isLast: index === sessions.length - 1, reader, cache, memory, state, components, schedules, options, control, scheduler, speed, exportMode })))
        .subscribe(days$);
      async function finish(): Promise<void> {
        if (exportMode === 'last' && options.out && state.day) exported.push(...(await exportSessionData(state.day.data, options.out)));
        if (cancelled) return;
        state.finished = true;
        const lastDay = state.day;
        let disposed = false;
        const finished = days.map(stripExported);
        let stats: { value: BacktestResult['stats'] } | undefined;
        // Without the days there is nothing to answer from: say so rather than return nothing.
        const notRetained = (what: string): LifecycleError => new LifecycleError(`${what} needs the days, which this run did not keep (retainDays: false): read them from its 'day' events, or from OUT/days.ndjson of sessionflow run`, { phase: 'end' });
        const tableOf = (name: string): DataTable => {
          if (!retainDays) throw notRetained(`table('${name}')`);
          return arquero().from(finished.flatMap((d) => (d.tables[name] ?? []).map((row) => ({ date: d.date, ...row }))));
        };
        const result: BacktestResult = {
          name: config.name,
          plan,
          days: finished,
          totals: totals.totals(performance.now() - started),
          get stats() {
            if (!retainDays) throw notRetained('stats');
            stats ??= { value: runStats(finished, plan.calendar) };
            return stats.value;
          },
          table: tableOf,
          get trades() {
            return tableOf('trades');
          },
          sessionData: lastDay?.data,
          exported,
          carry: Object.fromEntries(state.carry),
          get disposed() {
            return disposed;
          },
          dispose: () => {
            if (disposed) return;
            disposed = true;
            try {
              lastDay?.close();
            } finally {
              closeSource();
            }
          },
        };
        subscriber.next({ type: 'run-end', result });
        subscriber.complete();
      }
    };
    start().catch((error: unknown) => {
      closeSource();
      subscriber.error(error);
    });
    return () => {
      cancelled = true;
      loop?.unsubscribe();
      // Interrupted (unsubscribe, take, error): tear the current day down now. After a
      // normal finish the last day stays intact until the result is disposed.
      if (!state.finished) {
        try {
          state.day?.close();
        } finally {
          closeSource();
        }
      }
    };
  });
}

interface DayInput {
  readonly plan: RunPlan;
  readonly session: Session;
  readonly index: number;
  readonly total: number;
  readonly isLast: boolean;
  readonly reader: CountedLoader;
  readonly cache: SessionBarsCache;
  readonly memory: RunMemory;
  readonly state: RunState;
  readonly components: readonly SessionComponent[];
  readonly schedules: ReadonlyArray<ScanSchedule | undefined>;
  readonly options: BacktestOptions;
  readonly control: RunControl;
  readonly scheduler: SchedulerLike;
  readonly speed: number;
  readonly exportMode: 'last' | 'all' | 'none';
}

type DayResultWithFiles = DayResult & { exported: string[] };

function stripExported(day: DayResult): DayResult {
  const { exported: _ignored, ...rest } = day as DayResultWithFiles;
  return rest;
}

/** Where Phase 2 is once the pipeline runs: the warm-up slice, the setups and the pre-session slice. */
type OpenStep = 'warmup' | 'setup' | 'pre' | 'catchup' | 'live';

function runSession(input: DayInput): Observable<RunEvent> {
  const { plan, session, state, components } = input;
  return new Observable<RunEvent>((subscriber) => {
    let phase: Phase = 'teardown';
    let finished = false;
    let cancelled = false;
    let active: Subscription | undefined;
    const phaseMs: Record<Phase, number> = { teardown: 0, init: 0, active: 0, end: 0 };
    let clockStart = performance.now();
    const endPhase = (): void => {
      const now = performance.now();
      phaseMs[phase] = now - clockStart;
      clockStart = now;
      if (isLogEnabled('info')) log.info(`${session.date} phase ${phaseNumber(phase)} ${phase}: ${phaseMs[phase].toFixed(1)} ms`);
      subscriber.next({ type: 'phase', phase, date: session.date, ms: phaseMs[phase] });
    };
    let day: SessionDay | undefined;
    const fail = (error: unknown): void => {
      const wrapped = inPhase(error, phase, session.date);
      try {
        day?.close();
      } catch (teardownError) {
        log.error(`${session.date}: teardown after a failure also failed: ${teardownError instanceof Error ? teardownError.message : String(teardownError)}`);
      }
      subscriber.error(wrapped);
    };

    const run = async (): Promise<void> => {
      // Between days, a turn of the event loop for what waits on it (Ctrl-C, a progress bar,
      // an abort): decoding on the main thread, a data-driven run otherwise never yields. At
      // most every YIELD_MS: a turn costs ~0.15 ms (V8's deferred tasks run), which a
      // one-symbol day of ~1 ms felt. Not with a caller's scheduler (virtual time in tests
      // drives every day synchronously).
      if (input.options.scheduler === undefined && input.index > 0 && performance.now() - state.yieldedAt >= YIELD_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        state.yieldedAt = performance.now();
        if (cancelled) return;
      }
      // Phase 1: teardown of the previous day (skipped on the first), clock to the open.
      if (isLogEnabled('info')) log.info(`${'='.repeat(20)} ${session.date} ${'='.repeat(20)}`);
      closeDay(state);
      endPhase();

      // Phase 2: load everything in one step, build the stages, warm them, set components up,
      // run pre-session scans.
      phase = 'init';
      day = new SessionDay({ plan, session, index: input.index, isLastSession: input.isLast, source: input.reader, cache: input.cache, mode: input.speed > 0 ? 'clock' : 'data', memory: input.memory });
      const today = day;
      state.day = today;
      today.begin();
      await today.load(plan.config.symbols);
      if (cancelled) return;
      const byName = new Map(components.map((c) => [c.name, c]));
      const component = (name: string): SessionComponent | undefined => byName.get(name);
      // The day's index in the plan, not in this run: a run resumed from a later day (dates,
      // carry) gives its components the same index the uninterrupted run did.
      const dayIndex = plan.sessions.indexOf(session);
      const contexts = components.map((c): SessionContext => ({ session, data: today.data, plan, scope: today.scope, dayIndex, isLastSession: input.isLast, carried: state.carry.get(c.name), day: today, component }));
      // Every stage's boundary is checked (StageContract): a stage that drops, copies or
      // repeats a slice is named with its position, not found by its symptoms.
      const contract = new StageContract(session.date, () => ({ name: phase, label: `${phaseNumber(phase)} (${phase})` }));
      const stages: Array<{ stage: SlicePipeline; label: { position: number; name: string }; trusted: boolean }> = [];
      components.forEach((c, i) => {
        const stage = c.stage?.(contexts[i]!);
        if (stage) stages.push({ stage, label: { position: stages.length + 1, name: c.name }, trusted: c.trustedStage === true });
      });
      const pipeline: SlicePipeline = stages.length === 0 ? (s) => s : contract.compose(stages);
      // What sessionflow's own bars stage derives today: its windows become tomorrow's history.
      const derivedBySessionflow = new Set(components.filter((c) => c.kind === 'bars' && c.trustedStage === true).flatMap((c) => [...(c.needs?.intervals ?? [])]));
      const timers = new Set<number>();
      for (const schedule of input.schedules) for (const t of schedule?.instants(session) ?? []) timers.add(t);

      const signals: Signal[] = [];
      let tickCount = 0;
      let releaseBackground: (() => void) | undefined;
      let step: OpenStep = 'warmup';
      // Phase 2 runs through the pipeline too: a warm-up slice (stages set up every symbol's
      // state from its history), the components' setup() (they see warmed values), the
      // pre-session slice (pre-session scans), the catch-up of symbols those scans added; then
      // the day is activated and the clock starts.
      const inject = (): TimeSlice | undefined => {
        switch (step) {
          case 'warmup':
            step = 'setup';
            return today.openSlice('warmup');
          case 'setup':
            components.forEach((c, i) => {
              const teardown = c.setup ? inHook(c.name, 'setup', phase, session.date, () => c.setup!(contexts[i]!)) : undefined;
              if (teardown) {
                const holder = new Subscription();
                holder.add(teardown);
                today.addTeardown(() => holder.unsubscribe());
              }
            });
            step = 'pre';
            return today.openSlice('pre');
          case 'pre':
          case 'catchup': {
            const catchup = today.nextCatchupSlice();
            if (catchup) {
              step = 'catchup';
              return catchup;
            }
            today.activate([...timers]);
            step = 'live';
            endPhase();
            // Phase 3: the clock drives ticks through the pipeline until the close.
            phase = 'active';
            // A data-driven replay is CPU-bound: keep read-ahead decoding off the second core
            // until the day ends (or fails, or is torn down).
            releaseBackground = input.speed === 0 ? input.reader.holdBackground?.() : undefined;
            if (releaseBackground) today.addTeardown(releaseBackground);
            return undefined;
          }
          case 'live':
            return today.catchingUp ? today.nextCatchupSlice() : undefined;
        }
      };
      // The subscriber joins the scope BEFORE subscribing: a data-driven day runs synchronously
      // inside subscribe(), so adding the returned Subscription afterwards meant an unsubscribe
      // during the day (from a stage, or at a phase event) could not stop it and the remaining
      // ticks ran on the cleared SessionData. (spec/session/session-lifecycle.spec.ts)
      const activeSubscriber = new Subscriber<TimeSlice>({
        next: (slice) => {
          if (slice.kind !== 'tick') return;
          tickCount++;
          if (slice.signals.length > 0) signals.push(...slice.signals);
        },
        error: fail,
        complete: () => {
          endSession().catch(fail);
        },
      });
      active = activeSubscriber;
      today.scope.add(activeSubscriber);
      if (cancelled) return;
      driveTicks<TimeSlice>({ ticks: () => today.ticks, start: session.open, speed: input.speed, scheduler: input.scheduler, control: input.control, pipeline, makeSlice: (time, index) => today.tickSlice(time, index), inject, date: session.date, stalled: () => contract.stalled(), stallTimeoutMs: input.options.stallTimeoutMs ?? 60_000, busy: () => input.reader.pending > 0 }).subscribe(activeSubscriber);

      async function endSession(): Promise<void> {
        releaseBackground?.();
        endPhase();
        // Phase 4: record metrics, notify components, keep the data intact.
        phase = 'end';
        today.end(derivedBySessionflow);
        components.forEach((c, i) => c.onSessionEnd && inHook(c.name, 'onSessionEnd', phase, session.date, () => c.onSessionEnd!(contexts[i]!)));
        const reports: Record<string, Json> = {};
        components.forEach((c, i) => {
          const report = c.report ? inHook(c.name, 'report', phase, session.date, () => c.report!(contexts[i]!)) : undefined;
          if (report !== undefined) reports[c.name] = asJson(report, `${c.name}.report()`, session.date, c.freshReport === true);
        });
        const tables: Record<string, TableRows> = {};
        const tableOwners = new Map<string, string>();
        components.forEach((c, i) => {
          const made = c.tables ? inHook(c.name, 'tables', phase, session.date, () => c.tables!(contexts[i]!)) : undefined;
          for (const table of Object.keys(made ?? {})) {
            const owner = tableOwners.get(table);
            if (owner !== undefined) throw new ConfigError(`components ${JSON.stringify(owner)} and ${JSON.stringify(c.name)} both record a table named ${JSON.stringify(table)} (${session.date}); table names must be unique in a run`);
            tableOwners.set(table, c.name);
            const rowsOf = (rows: unknown): TableRows => {
              if (!Array.isArray(rows)) throw new TypeError(`${c.name}.tables(): table ${JSON.stringify(table)} must be an array of rows, got ${typeof rows} (${session.date})`);
              return rows as TableRows;
            };
            const getter = Object.getOwnPropertyDescriptor(made, table)!.get;
            if (getter === undefined) tables[table] = rowsOf(made![table]);
            // A table a component makes on demand (a getter: the broker's equity points) stays so
            // until someone reads it: most runs never read most days' tables.
            else {
              const once = (): TableRows => {
                const rows = rowsOf(getter.call(made));
                Object.defineProperty(tables, table, { value: rows, enumerable: true, configurable: true, writable: true });
                return rows;
              };
              Object.defineProperty(tables, table, { get: once, enumerable: true, configurable: true });
            }
          }
        });
        const carried: Record<string, Json> = {};
        components.forEach((c, i) => {
          if (!c.carry) return;
          const value = inHook(c.name, 'carry', phase, session.date, () => c.carry!(contexts[i]!));
          if (value === undefined) state.carry.delete(c.name);
          else state.carry.set(c.name, (carried[c.name] = asJson(value, `${c.name}.carry()`, session.date)));
        });
        const exported = input.exportMode === 'all' && input.options.out ? await exportSessionData(today.data, input.options.out) : [];
        const result: DayResultWithFiles = {
          date: session.date,
          open: session.open,
          close: session.close,
          earlyClose: session.earlyClose,
          symbols: today.data.symbols(),
          skipped: today.skipped,
          barsIn: today.barsIn,
          barsOut: barsOut(today.data),
          rejected: today.rejected,
          historyBars: today.historyBars,
          ticks: tickCount,
          phaseMs,
          quality: dayQuality(today.data, plan.config.quality),
          signals,
          additions: today.additions,
          drops: today.drops,
          components: reports,
          tables,
          carry: carried,
          exported,
        };
        endPhase();
        finished = true;
        subscriber.next({ type: 'day', result, index: input.index, total: input.total });
        subscriber.complete();
      }
    };
    run().catch(fail);
    return () => {
      cancelled = true;
      if (!finished) {
        active?.unsubscribe();
        day?.close();
      }
    };
  });
}

function phaseNumber(phase: Phase): number {
  return { teardown: 1, init: 2, active: 3, end: 4 }[phase];
}

function barsOut(data: SessionData): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name } of data.intervals) out[name] = 0;
  for (const entry of data.entries()) for (const [interval, s] of entry.bars) out[interval] = (out[interval] ?? 0) + s.length;
  return out;
}

function dayQuality(data: SessionData, outliers: OutlierOptions): Record<string, SymbolDayQuality> {
  const out: Record<string, SymbolDayQuality> = {};
  for (const entry of data.entries()) {
    const intervals: SymbolDayQuality['intervals'] = {};
    const base = data.intervals[0]!.name;
    for (const [interval, s] of entry.bars) {
      const q = seriesQuality(s, data.session, data.session.close, interval === base ? entry.rejectedToday : undefined);
      intervals[interval] = { ...q, gaps: q.expected - q.present };
    }
    const history: SymbolDayQuality['history'] = {};
    for (const [interval, h] of entry.historyQuality) history[interval] = { expected: h.expected, present: h.present, score: h.score, missingSessions: h.missingSessions };
    // At the close, from the day's kept base bars: flags are a report, not something a strategy could read early.
    const flags = flagOutliers(entry.series(base), outliers);
    out[entry.symbol] = { intervals, history, rejected: { ...entry.rejected }, reordered: entry.reordered, ...(flags.jumps + flags.nonPositivePrices > 0 ? { flags } : {}) };
  }
  return out;
}

/** Run a component's hook; what it throws becomes a LifecycleError naming the component, the hook, the phase and the date. */
function inHook<T>(component: string, hook: string, phase: Phase, date: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw inPhase(error, phase, date, `${component}.${hook}()`);
  }
}

/**
 * Wrap an error with the phase and date it happened in (and `who` failed, a component's hook),
 * keeping typed errors' context; the original error is the cause.
 */
function inPhase(error: unknown, phase: Phase, date: string, who?: string): Error {
  if (error instanceof LifecycleError || error instanceof InterruptedError) return error;
  const symbol = error instanceof SessionflowError && typeof error.context.symbol === 'string' ? error.context.symbol : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new LifecycleError(`${date} phase ${phaseNumber(phase)} (${phase})${symbol ? ` ${symbol}` : ''}: ${who ? `${who} failed: ` : ''}${message}`, { phase, date, ...(symbol ? { symbol } : {}) }, { cause: error });
}
