/**
 * Fixtures for engine (session loop and clock) specs: a small generated demo store in a
 * temp folder, a valid session config over it, slice recorders, and a driver that settles
 * a backtest promise while flushing a virtual-time scheduler.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Observable, type SchedulerAction, type Subscription, tap, VirtualTimeScheduler } from 'rxjs';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { setLogLevel } from '../../lib/log.ts';
import type { Session } from '../../lib/calendar/types.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import type { RunEvent } from '../../lib/session/results.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';
import { DEMO_DAILY_LAYOUT, generateDemoStore, type DemoStoreSummary } from '../../lib/store/demo-data.ts';

/** A generated demo store in a temp folder. */
export interface EngineStore {
  readonly root: string;
  readonly summary: DemoStoreSummary;
  /** Every session the store holds, ascending. */
  readonly sessions: readonly Session[];
  readonly symbols: readonly string[];
  /** Remove the temp folder. */
  dispose(): Promise<void>;
}

/** Options of {@link makeEngineStore}. */
export interface EngineStoreOptions {
  /** Symbol count (DEMO01…) or names. */
  readonly symbols: number | string[];
  /** First and last XNYS date of the store (inclusive). */
  readonly from: string;
  readonly to: string;
  readonly seed?: number;
  readonly missingMinuteRate?: number;
  readonly missingDaySymbol?: boolean;
}

/** Generate a small XNYS demo store (daily layout) in a fresh temp folder. */
export async function makeEngineStore(options: EngineStoreOptions): Promise<EngineStore> {
  const root = await mkdtemp(join(tmpdir(), 'sessionflow-engine-'));
  const sessions = getCalendar('XNYS').sessions(options.from, options.to);
  const summary = await generateDemoStore({
    out: root,
    symbols: options.symbols,
    sessions,
    seed: options.seed ?? 7,
    ...(options.missingMinuteRate === undefined ? {} : { missingMinuteRate: options.missingMinuteRate }),
    ...(options.missingDaySymbol === undefined ? {} : { missingDaySymbol: options.missingDaySymbol }),
    layout: 'daily',
  });
  return { root, summary, sessions, symbols: summary.symbols, dispose: () => rm(root, { recursive: true, force: true }) };
}

/**
 * The standard config of the engine specs: streams 1m/5m/15m, 3 sessions of history,
 * EMA 9 and 21 on 5m, SMA 20 on 15m and the ema-crossover strategy. `overrides` replace
 * top-level keys (and `backtest` is merged).
 */
export function standardConfig(store: EngineStore, start: string, end: string, overrides: Partial<SessionConfigInput> = {}): SessionConfigInput {
  const { backtest, ...rest } = overrides;
  return {
    name: 'engine-spec',
    calendar: 'XNYS',
    store: { root: store.root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
    symbols: [...store.symbols],
    streams: ['1m', '5m', '15m'],
    history: [{ trailingSessions: 3, intervals: ['1m', '5m', '15m'] }],
    indicators: [
      { name: 'ema', period: 9, interval: '5m' },
      { name: 'ema', period: 21, interval: '5m' },
      { name: 'sma', period: 20, interval: '15m' },
    ],
    strategies: [{ name: 'ema-crossover', params: { fast: 9, slow: 21, interval: '5m' } }],
    ...rest,
    backtest: { start, end, speed: 0, ...backtest },
  };
}

/** A minimal config (one stream, no history, no indicators) for clock and lifecycle specs. */
export function plainConfig(store: EngineStore, start: string, end: string, overrides: Partial<SessionConfigInput> = {}): SessionConfigInput {
  const { backtest, ...rest } = overrides;
  return {
    name: 'engine-spec-plain',
    calendar: 'XNYS',
    store: { root: store.root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
    symbols: [...store.symbols],
    streams: ['1m'],
    ...rest,
    backtest: { start, end, speed: 0, ...backtest },
  };
}

/**
 * A pass-through stage that calls `fn` on every clock tick's slice (for recording and
 * assertions); Phase 2 and catch-up slices pass by unrecorded unless `kinds` names them.
 */
export function onSlice(fn: (slice: TimeSlice) => void, kinds: readonly TimeSlice['kind'][] = ['tick']): SlicePipeline {
  return (source) => source.pipe(tap((slice) => kinds.includes(slice.kind) && fn(slice)));
}

/** Collect every event of a run (resolves on completion, rejects on error) with the events so far. */
export function collectEvents(events$: Observable<RunEvent>): { events: RunEvent[]; done: Promise<void> } {
  const events: RunEvent[] = [];
  const done = new Promise<void>((resolve, reject) => {
    events$.subscribe({ next: (e) => events.push(e), error: reject, complete: resolve });
  });
  return { events, done };
}

/** Short human label of an event for ordered logs: `phase:init:2024-01-05`, `day:2024-01-05`. */
export function eventLabel(e: RunEvent): string {
  switch (e.type) {
    case 'phase':
      return `phase:${e.phase}:${e.date}`;
    case 'day':
      return `day:${e.result.date}`;
    default:
      return e.type;
  }
}

/** Let pending promise callbacks and I/O run (one macrotask turn). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A VirtualTimeScheduler that can be awaited for its next action and counts its flushes, so
 * a spec flushes when there is work instead of polling, and can tell which ticks ran inside
 * one synchronous flush (no real time passes there).
 */
export class AwaitableVirtualScheduler extends VirtualTimeScheduler {
  /** How many times {@link flush} has been called. */
  flushes = 0;
  private waiters: Array<() => void> = [];

  /** Schedules like VirtualTimeScheduler, then wakes everyone awaiting {@link scheduled}. */
  override schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    const subscription = super.schedule(work, delay, state);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    return subscription;
  }

  override flush(): void {
    this.flushes++;
    super.flush();
  }

  /**
   * Resolves at the next `schedule()` call. The engine only schedules from outside a flush
   * through `schedule()` (an action rescheduling itself does so inside the flush, which runs it).
   */
  scheduled(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * A fresh {@link AwaitableVirtualScheduler} for one test.
 *
 * @example
 * ```ts
 * const scheduler = virtualScheduler();
 * const result = await settleVirtual(scheduler, createBacktest(config, { scheduler }).result());
 * ```
 */
export function virtualScheduler(): AwaitableVirtualScheduler {
  return new AwaitableVirtualScheduler();
}

/**
 * Settle `promise` while driving `scheduler`: the engine's loading phase is real async I/O
 * (promises, decode threads), its clock-driven ticks are virtual-time actions, so flush
 * whenever an action is scheduled until the promise settles. Event-driven, with no
 * wall-clock bound: a busy machine only makes it slower (AVA's timeout still catches a hang).
 */
export async function settleVirtual<T>(scheduler: AwaitableVirtualScheduler, promise: Promise<T>): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  const done = watched.then(
    () => undefined,
    () => undefined,
  );
  scheduler.flush();
  while (!settled) {
    await Promise.race([done, scheduler.scheduled()]);
    scheduler.flush();
  }
  return watched;
}

/** Flush `scheduler` whenever an action is scheduled until `condition()` holds after a flush. */
export async function flushUntil(scheduler: AwaitableVirtualScheduler, condition: () => boolean): Promise<void> {
  scheduler.flush();
  while (!condition()) {
    await scheduler.scheduled();
    scheduler.flush();
  }
}

/** Whether two typed arrays hold the same bytes (NaN payloads included). */
export function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Silence the engine's per-day warnings (missing data, skips) in spec output. */
export function quietEngineLogs(): void {
  setLogLevel('error');
}
