/**
 * `npm run bench:execution`: what simulated execution costs on the standard benchmark.
 *
 * In one process, over the standard bench store (default 100 symbols × 20 sessions), runs
 * alternately:
 * - `baseline`: the standard pipeline (drain, 5m/15m derived, two EMAs, quality), no trading;
 * - `trading`: the same plus the broker and a strategy placing about one market order per
 *   symbol per 30 base bars (the issue's "trading strategy");
 * - `stress`: the same with an order on every base bar of every symbol (fills/s).
 * Reports min/median/max of the active phase (excluding load) per variant, base bars/s,
 * the trading/baseline ratio and fills/s, and checks: trading ≥ 3 M base bars/s excluding load.
 *
 * Options: --symbols N --sessions N --runs N --cache DIR
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SessionComponent } from '../lib/session/component.ts';
import { broker } from '../operators/execution/broker.ts';
import { defineStrategy } from '../operators/strategies/define-strategy.ts';
import { ensureBenchStore } from './bench-store.ts';
import { benchConfig, planBench, runSessionLoop } from './session-loop.bench.ts';

const TARGET = 3e6;
const { values: args } = parseArgs({
  options: {
    symbols: { type: 'string', default: '100' },
    sessions: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    cache: { type: 'string', default: '.cache/bench' },
  },
});
const SYMBOLS = Number(args.symbols);
const SESSIONS = Number(args.sessions);
const RUNS = Math.max(1, Number(args.runs));

/**
 * Every `every` minutes of the session (on the base bars ending then), each symbol buys
 * `shares` when flat and sells them when long: one market order per symbol per `every` bars.
 */
function trader(name: string, every: number, shares: number): SessionComponent {
  const step = every * 60_000;
  return defineStrategy({
    name,
    onBar(ctx, bar) {
      if ((bar.end - ctx.session.open) % step !== 0) return;
      if (ctx.position(bar.symbol).quantity > 0) ctx.sell(bar.symbol, shares);
      else ctx.buy(bar.symbol, shares);
    },
  }).create({});
}

const stats = (xs: number[]): { min: number; median: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { min: s[0]!, median: s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2, max: s.at(-1)! };
};
const fmt = (x: { min: number; median: number; max: number }, f: (v: number) => string): string => `${f(x.min)} / ${f(x.median)} / ${f(x.max)}`;

async function main(): Promise<void> {
  console.log(`sessionflow execution bench — node ${process.version}, ${SYMBOLS} symbols × ${SESSIONS} sessions, ${RUNS} timed runs per variant (+1 warm-up), alternating`);
  const store = await ensureBenchStore(resolve(args.cache!), SYMBOLS, SESSIONS, 1, 'yearly', undefined, 'snappy');
  const config = benchConfig(store, 1);
  const { plan, source } = await planBench(config);
  const variants: Record<string, () => SessionComponent[] | undefined> = {
    baseline: () => undefined,
    trading: () => [broker({ cash: 1e9 }), trader('every-30-bars', 30, 10)],
    stress: () => [broker({ cash: 1e9 }), trader('every-bar', 1, 1)],
  };
  const active: Record<string, number[]> = { baseline: [], trading: [], stress: [] };
  const fills: Record<string, number[]> = { baseline: [], trading: [], stress: [] };
  let bars = 0;
  for (let r = 0; r <= RUNS; r++) {
    for (const [name, make] of Object.entries(variants)) {
      const components = make();
      // Start every run from a collected heap: the stress run leaves a lot behind.
      globalThis.gc?.();
      const run = await runSessionLoop(config, plan, source, { keepResult: true, ...(components ? { components } : {}) });
      const result = run.result!;
      const filled = result.days.reduce((n, d) => n + ((d.components.broker as { fills?: number } | undefined)?.fills ?? 0), 0);
      result.dispose();
      bars = run.barsIn;
      if (r === 0) continue; // warm-up
      active[name]!.push(run.activeMs);
      fills[name]!.push(filled);
    }
  }
  source.close?.();
  const rate = (ms: number): string => `${((bars * 1000) / ms / 1e6).toFixed(2)} M/s`;
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  for (const name of Object.keys(variants)) {
    const a = stats(active[name]!);
    const f = fills[name]![0]!;
    console.log(`${name.padEnd(9)} active (min/median/max) ${fmt(a, ms)}; base bars/s ${fmt({ min: a.max, median: a.median, max: a.min }, rate)}${f ? `; ${f} fills, ${((f * 1000) / a.median / 1e3).toFixed(0)} k fills/s (median)` : ''}`);
  }
  const ratios = active.trading!.map((t, i) => t / active.baseline![i]!);
  console.log(`trading / baseline active time per alternating pair (min/median/max): ${fmt(stats(ratios), (x) => `${x.toFixed(2)}×`)}`);
  const median = stats(active.trading!).median;
  const throughput = (bars * 1000) / median;
  console.log(`${throughput >= TARGET ? 'PASS' : 'FAIL'}  trading strategy excluding load >= 3 M base bars/s: ${(throughput / 1e6).toFixed(2)} M/s (median of ${RUNS})`);
  if (throughput < TARGET) process.exitCode = 1;
}

await main();
