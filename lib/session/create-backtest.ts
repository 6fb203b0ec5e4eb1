import { asyncScheduler, concatMap, defer, filter, from, lastValueFrom, map, Observable, share, Subscriber, Subscription, type SchedulerLike, type TeardownLogic } from 'rxjs';
import type { Session } from '../calendar/types.ts';
import { driveTicks } from '../clock/drive-ticks.ts';
import { RunControl } from '../clock/run-control.ts';
import { sessionTicks } from '../clock/session-ticks.ts';
import { planRun, type HistoryRequirement, type RunPlan } from '../config/plan-run.ts';
import type { SessionConfig } from '../config/schema.ts';
import { InterruptedError, LifecycleError, SessionflowError } from '../errors.ts';
import { isLogEnabled, log } from '../log.ts';
import { seriesQuality } from '../metrics/quality.ts';
import type { BarLoader } from '../store/threaded-bar-loader.ts';
import { exportSessionData } from './export-session-data.ts';
import { loadSessionData, SessionBarsCache, type LoadedSession } from './load-session-data.ts';
import type { BacktestResult, DayResult, Phase, RunEvent, SymbolDayQuality } from './results.ts';
import { totalsOf } from './results.ts';
import type { SessionData } from './session-data.ts';
import type { ClosedBars, Signal, SlicePipeline, TimeSlice } from './time-slice.ts';

/** What a component or pipeline sees of the day being set up (Phase 2). */
export interface SessionContext {
  readonly session: Session;
  readonly data: SessionData;
  readonly plan: RunPlan;
  /** The day's SessionScope: add teardown logic here; it runs at the start of the next day. */
  readonly scope: Subscription;
  /** 0-based index of the day in the run. */
  readonly dayIndex: number;
}

/** A per-day component (the seed's "threads"): set up in Phase 2, notified in Phase 4. */
export interface SessionComponent {
  readonly name: string;
  /** Allocate per-day resources; the returned teardown joins the day's scope. */
  setup?(ctx: SessionContext): TeardownLogic;
  /** The session ended; do NOT clear state here (Phase 1 of the next day does). */
  onSessionEnd?(ctx: SessionContext): void;
}

/** Options of {@link createBacktest}. */
export interface BacktestOptions {
  /** Builds the day's pipeline in Phase 2; called once per day so operator state is per day. */
  readonly pipeline?: (ctx: SessionContext) => SlicePipeline;
  readonly components?: readonly SessionComponent[];
  /** Time source for clock-driven mode (inject a TestScheduler/VirtualTimeScheduler in tests). */
  readonly scheduler?: SchedulerLike;
  /** Override `config.backtest.speed`. */
  readonly speed?: number;
  /** Write SessionData as Parquet: the last day (default when `out` is set), every day, or none. */
  readonly export?: 'last' | 'all' | 'none';
  /** Output folder for exports. */
  readonly out?: string;
  /** A plan computed earlier (e.g. by `validate`), to avoid checking the data twice. */
  readonly plan?: RunPlan;
  /** Warm-up history the pipeline needs (see `planRun`); ignored when `plan` is given. */
  readonly history?: readonly HistoryRequirement[];
  /** Only these dates of the plan (e.g. to re-run one day). */
  readonly dates?: readonly string[];
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

const PASS_THROUGH: SlicePipeline = (source) => source;

/**
 * The session loop (DESIGN §2): validate once, then for each trading day tear down the
 * previous day, load everything the day needs, stream it through the clock and the
 * pipeline, and stop exactly at the close, keeping that day's data intact.
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

function runAll(config: SessionConfig, options: BacktestOptions, control: RunControl): Observable<RunEvent> {
  return new Observable<RunEvent>((subscriber) => {
    const started = performance.now();
    const days: DayResult[] = [];
    const exported: string[] = [];
    const state: { scope?: Subscription; data?: SessionData; finished: boolean } = { finished: false };
    let loop: Subscription | undefined;
    let cancelled = false;

    const exportMode = options.export ?? (options.out ? 'last' : 'none');
    const scheduler = options.scheduler ?? asyncScheduler;

    const start = async (): Promise<void> => {
      const plan = options.plan ?? (await planRun(config, options.history ? { history: options.history } : {}));
      if (cancelled) return;
      for (const w of plan.warnings) log.warn(w);
      subscriber.next({ type: 'run-start', plan });
      // Decode threads when configured (store.decodeThreads), else the main-thread reader.
      const reader = plan.loader;
      const cache = new SessionBarsCache();
      const sessions = options.dates ? plan.sessions.filter((s) => options.dates!.includes(s.date)) : plan.sessions;
      const speed = options.speed ?? config.backtest.speed;
      // Assigned before subscribing: the first day emits its 'teardown' phase event inside
      // subscribe(), and a consumer that unsubscribes right there (take, takeWhile) must find
      // `loop` to stop, or the day ran on unobserved. (spec/session/session-lifecycle.spec.ts)
      const days$ = new Subscriber<RunEvent>({
        next: (event) => {
          if (event.type === 'day') days.push(event.result);
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          finish().catch((error: unknown) => subscriber.error(error));
        },
      });
      loop = days$;
      from(sessions)
        .pipe(concatMap((session, index) => runSession({ plan, session, index, total: sessions.length, reader, cache, state, options, control, scheduler, speed, exportMode })))
        .subscribe(days$);
      async function finish(): Promise<void> {
        if (exportMode === 'last' && options.out && state.data) exported.push(...(await exportSessionData(state.data, options.out)));
        if (exportMode === 'all') for (const d of days) exported.push(...(d as DayResultWithFiles).exported);
        if (cancelled) return;
        state.finished = true;
        const lastScope = state.scope;
        const result: BacktestResult = {
          name: config.name,
          plan,
          days: days.map(stripExported),
          totals: totalsOf(days, performance.now() - started),
          sessionData: state.data,
          exported,
          dispose: () => lastScope?.unsubscribe(),
        };
        subscriber.next({ type: 'run-end', result });
        subscriber.complete();
      }
    };
    start().catch((error: unknown) => subscriber.error(error));
    return () => {
      cancelled = true;
      loop?.unsubscribe();
      // Interrupted (unsubscribe, take, error): tear the current day down now. After a
      // normal finish the last day stays intact until the result is disposed.
      if (!state.finished) state.scope?.unsubscribe();
    };
  });
}

interface DayInput {
  readonly plan: RunPlan;
  readonly session: Session;
  readonly index: number;
  readonly total: number;
  readonly reader: BarLoader;
  readonly cache: SessionBarsCache;
  readonly state: { scope?: Subscription; data?: SessionData };
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

function runSession(input: DayInput): Observable<RunEvent> {
  const { plan, session, state, options } = input;
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
    const fail = (error: unknown): void => {
      state.scope?.unsubscribe();
      subscriber.error(inPhase(error, phase, session.date));
    };

    const run = async (): Promise<void> => {
      // Phase 1: teardown of the previous day (skipped on the first), clock to the open.
      if (isLogEnabled('info')) log.info(`${'='.repeat(20)} ${session.date} ${'='.repeat(20)}`);
      state.scope?.unsubscribe();
      state.scope = undefined;
      state.data = undefined;
      endPhase();

      // Phase 2: load everything in one step, set components up, build the pipeline.
      phase = 'init';
      const scope = new Subscription();
      state.scope = scope;
      const loaded: LoadedSession = await loadSessionData(plan, session, input.reader, input.cache);
      if (cancelled) {
        loaded.data.clear();
        return;
      }
      scope.add(() => {
        loaded.queues.clear();
        loaded.data.clear();
      });
      state.data = loaded.data;
      const ctx: SessionContext = { session, data: loaded.data, plan, scope, dayIndex: input.index };
      for (const component of options.components ?? []) {
        const teardown = component.setup?.(ctx);
        if (teardown) scope.add(teardown);
      }
      const pipeline = options.pipeline ? options.pipeline(ctx) : PASS_THROUGH;
      const ticks = sessionTicks(session, {
        mode: input.speed > 0 ? 'clock' : 'data',
        baseMs: plan.base.ms,
        windowMs: plan.derived.map((i) => i.ms),
        barEnds: [loaded.queues.ends()],
      });
      endPhase();

      // Phase 3: the clock drives ticks through the pipeline until the close.
      phase = 'active';
      const signals: Signal[] = [];
      let tickCount = 0;
      const baseName = plan.base.name;
      const makeSlice = (time: number, index: number): TimeSlice => {
        const closed = new Map<string, ClosedBars>();
        closed.set(baseName, loaded.queues.drain(time));
        return { time, index, session, data: loaded.data, closed, isClose: index === ticks.length - 1, signals: [], added: [] };
      };
      // The subscriber joins the scope BEFORE subscribing: a data-driven day runs synchronously
      // inside subscribe(), so adding the returned Subscription afterwards meant an unsubscribe
      // during the day (from a stage, or at the 'init' phase event) could not stop it and the
      // remaining ticks ran on the cleared SessionData. (spec/session/session-lifecycle.spec.ts)
      const activeSubscriber = new Subscriber<TimeSlice>({
        next: (slice) => {
          tickCount++;
          if (slice.signals.length > 0) signals.push(...slice.signals);
        },
        error: fail,
        complete: () => {
          endSession().catch(fail);
        },
      });
      active = activeSubscriber;
      scope.add(activeSubscriber);
      if (cancelled) return;
      // A data-driven replay is CPU-bound: keep read-ahead decoding off the second core until
      // the day ends (or fails, or is unsubscribed: the scope releases it too).
      const releaseBackground = input.speed === 0 ? input.reader.holdBackground?.() : undefined;
      if (releaseBackground) scope.add(releaseBackground);
      driveTicks({ ticks, start: session.open, speed: input.speed, scheduler: input.scheduler, control: input.control, pipeline, makeSlice, date: session.date }).subscribe(activeSubscriber);
      async function endSession(): Promise<void> {
        releaseBackground?.();
        endPhase();
        // Phase 4: record metrics, notify components, keep the data intact.
        phase = 'end';
        for (const component of options.components ?? []) component.onSessionEnd?.(ctx);
        const exported = input.exportMode === 'all' && options.out ? await exportSessionData(loaded.data, options.out) : [];
        const result: DayResultWithFiles = {
          date: session.date,
          open: session.open,
          close: session.close,
          earlyClose: session.earlyClose,
          symbols: loaded.data.symbols(),
          skipped: loaded.skipped,
          barsIn: loaded.barsIn,
          barsOut: barsOut(loaded.data),
          rejected: loaded.rejected,
          historyBars: loaded.historyBars,
          ticks: tickCount,
          phaseMs,
          quality: dayQuality(loaded.data),
          signals,
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
        state.scope?.unsubscribe();
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

function dayQuality(data: SessionData): Record<string, SymbolDayQuality> {
  const out: Record<string, SymbolDayQuality> = {};
  for (const entry of data.entries()) {
    const intervals: SymbolDayQuality['intervals'] = {};
    for (const [interval, s] of entry.bars) {
      const q = seriesQuality(s, data.session, data.session.close);
      intervals[interval] = { ...q, gaps: q.expected - q.present };
    }
    const history: SymbolDayQuality['history'] = {};
    for (const [interval, h] of entry.historyQuality) history[interval] = { expected: h.expected, present: h.present, score: h.score, missingSessions: h.missingSessions };
    out[entry.symbol] = { intervals, history, rejected: { ...entry.rejected } };
  }
  return out;
}

/** Wrap an error with the phase and date it happened in, keeping typed errors' context. */
function inPhase(error: unknown, phase: Phase, date: string): Error {
  if (error instanceof LifecycleError || error instanceof InterruptedError) return error;
  const symbol = error instanceof SessionflowError && typeof error.context.symbol === 'string' ? error.context.symbol : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new LifecycleError(`${date} phase ${phaseNumber(phase)} (${phase})${symbol ? ` ${symbol}` : ''}: ${message}`, { phase, date, ...(symbol ? { symbol } : {}) }, { cause: error });
}
