/**
 * End-to-end benchmark unit: one full backtest of the standard pipeline (drain, derived
 * 5m/15m, two EMAs, quality; no strategies; data-driven) through `backtest()`, exactly as a
 * user would run it. Collects per-day phase times and, optionally, the heap after a forced
 * GC at the end of every day.
 */
import type { RunPlan } from '../lib/config/plan-run.ts';
import { parseConfig } from '../lib/config/parse-config.ts';
import type { SessionConfig, SessionConfigInput } from '../lib/config/schema.ts';
import type { SessionComponent } from '../lib/session/component.ts';
import type { BacktestResult } from '../lib/session/results.ts';
import { ThreadedBarLoader, type BarLoader } from '../lib/store/threaded-bar-loader.ts';
import { backtest } from '../pipelines/backtest.ts';
import { prepareRun } from '../pipelines/prepare-run.ts';
import type { BenchStore } from './bench-store.ts';

/** The indicators of the benchmark config: EMA(9) on 5m and EMA(21) on 15m. */
export const BENCH_INDICATORS = [
  { name: 'ema', period: 9, interval: '5m', as: 'ema_9' },
  { name: 'ema', period: 21, interval: '15m', as: 'ema_21' },
] as const;

/** The session config of the benchmark. */
export function benchConfig(store: BenchStore, history: number): SessionConfig {
  const input: SessionConfigInput = {
    name: 'bench',
    calendar: 'XNYS',
    backtest: { start: store.sessions[0]!.date, end: store.sessions[store.sessions.length - 1]!.date, speed: 0 },
    store: { root: store.root, layout: store.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } },
    symbols: [...store.symbols],
    streams: ['1m', '5m', '15m'],
    history: history > 0 ? [{ trailingSessions: history, intervals: ['5m', '15m'] }] : [],
    indicators: BENCH_INDICATORS.map((i) => ({ ...i })),
    strategies: [],
  };
  return parseConfig(input);
}

/**
 * Validate once (seed step 0), timed separately from the loop, through the data source every
 * run of the benchmark then shares (as the runs of a sweep would); the caller closes it.
 */
export async function planBench(config: SessionConfig): Promise<{ plan: RunPlan; source: BarLoader; ms: number }> {
  const t0 = performance.now();
  const { plan, source } = await prepareRun(config).plan();
  return { plan, source, ms: performance.now() - t0 };
}

/** One day of an engine run. */
export interface EngineDay {
  readonly date: string;
  readonly barsIn: number;
  readonly initMs: number;
  readonly activeMs: number;
  /** teardown + init + active + end. */
  readonly phasesMs: number;
  /** `heapUsed` after `gc()` at the end of the day (only when asked). */
  readonly heapUsed?: number;
  /**
   * The process's resident memory then (only when asked): everything, including what heapUsed
   * misses (column storage, the read-ahead cache, whose buffers arrive by transfer and are not
   * counted by V8, wasm memory and the decode threads).
   */
  readonly rss?: number;
  /** The decode threads' heaps then, summed (only when asked and threads are used). */
  readonly threadsHeapUsed?: number;
}

/** One engine run. */
export interface EngineRun {
  readonly days: EngineDay[];
  readonly barsIn: number;
  readonly initMs: number;
  readonly activeMs: number;
  /** From `result()` called to the result resolved (the session loop, without validation). */
  readonly wallMs: number;
  /** `heapUsed` after dispose + gc (only when asked). */
  readonly heapAfterDispose?: number;
  /** Kept only when `keepResult` is set (the caller must dispose it). */
  readonly result?: BacktestResult;
}

/**
 * Run the backtest once. With `gcPerDay`, `globalThis.gc()` runs in the `day` event handler
 * (Phase 4, after the day's phases were timed) and the heap is recorded.
 */
export async function runSessionLoop(config: SessionConfig, plan: RunPlan, source: BarLoader, options: { gcPerDay?: boolean; keepResult?: boolean; components?: readonly SessionComponent[] } = {}): Promise<EngineRun> {
  const gc = globalThis.gc;
  if (options.gcPerDay && !gc) throw new Error('run node with --expose-gc');
  const heap = new Map<string, { heapUsed: number; rss: number }>();
  // Asked for at the end of each day; the threads answer after the main thread moves on.
  const threadHeaps = new Map<string, Promise<number>>();
  const loader = source instanceof ThreadedBarLoader ? source : undefined;
  const run = backtest(config, { plan, source, ...(options.components ? { components: options.components } : {}) });
  const sub = options.gcPerDay
    ? run.events$.subscribe((event) => {
        if (event.type !== 'day') return;
        gc!();
        const usage = process.memoryUsage();
        heap.set(event.result.date, { heapUsed: usage.heapUsed, rss: usage.rss });
        if (loader) threadHeaps.set(event.result.date, loader.threadMemory().then((threads) => threads.reduce((n, m) => n + m.heapUsed, 0)));
      })
    : undefined;
  const t0 = performance.now();
  const result = await run.result();
  const wallMs = performance.now() - t0;
  sub?.unsubscribe();
  const threadHeapUsed = new Map<string, number>();
  for (const [date, pending] of threadHeaps) threadHeapUsed.set(date, await pending);
  const days: EngineDay[] = result.days.map((d) => ({
    date: d.date,
    barsIn: d.barsIn,
    initMs: d.phaseMs.init,
    activeMs: d.phaseMs.active,
    phasesMs: d.phaseMs.teardown + d.phaseMs.init + d.phaseMs.active + d.phaseMs.end,
    ...(heap.has(d.date) ? heap.get(d.date)! : {}),
    ...(threadHeapUsed.has(d.date) ? { threadsHeapUsed: threadHeapUsed.get(d.date)! } : {}),
  }));
  let heapAfterDispose: number | undefined;
  if (!options.keepResult) {
    result.dispose();
    if (options.gcPerDay) {
      gc!();
      heapAfterDispose = process.memoryUsage().heapUsed;
    }
  }
  return {
    days,
    barsIn: days.reduce((n, d) => n + d.barsIn, 0),
    initMs: days.reduce((n, d) => n + d.initMs, 0),
    activeMs: days.reduce((n, d) => n + d.activeMs, 0),
    wallMs,
    ...(heapAfterDispose === undefined ? {} : { heapAfterDispose }),
    ...(options.keepResult ? { result } : {}),
  };
}
