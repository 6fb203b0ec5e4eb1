/**
 * `npm run bench:trading`: an SMA(10)/SMA(30) crossover that trades, in the engine and by
 * hand, in one process (issue "Fast at every scale", point 1, the trading variant).
 *
 * - engine: `streams: ["1m"]`, one trailing session of 1m history, a `defineStrategy`
 *   strategy whose SMAs are warmed on that history: on a cross above it targets 100 shares,
 *   on a cross below 0 (market orders, day orders, filled by the broker at the next bar's
 *   open; DESIGN §8), no costs.
 * - hand loop: the same with `ParquetBarReader` loads and flat loops: per day and symbol,
 *   warm both SMAs on yesterday's bars, walk today's bars (fill a pending order at this bar's
 *   open, update the SMAs with the close, detect the cross, place the order; an order still
 *   working at the close is cancelled with the day, but one placed at the close itself works
 *   in the next session, as the broker has it), and keep cash and positions.
 *
 * Both must end with the same fills, cash and positions (checked: a mismatch fails the
 * bench). Times are wall times of whole runs, load included, alternated engine / hand, min /
 * median / max over `--runs`; the engine's validation (which the hand loop does not do) is
 * timed apart and shown beside, with the ratio it would give included. Targets: the engine
 * at ≥ 50 % of the hand loop's speed with 1 symbol and ≥ 60 % with 100 symbols.
 *
 * Options: --case one|hundred|both (default both) --runs N (default 3) --cache DIR
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Session } from '../lib/calendar/types.ts';
import { cliTable } from '../lib/cli/cli-table.ts';
import { parseConfig } from '../lib/config/parse-config.ts';
import { ParquetBarReader } from '../lib/store/bar-reader.ts';
import type { BarColumns, StoreConfig } from '../lib/store/types.ts';
import { broker } from '../operators/execution/broker.ts';
import { defineStrategy } from '../operators/strategies/define-strategy.ts';
import { createBacktest } from '../lib/session/create-backtest.ts';
import { prepareRun } from '../pipelines/prepare-run.ts';
import { ensureBenchStore } from './bench-store.ts';

const FAST = 10;
const SLOW = 30;
const SHARES = 100;
const CASH = 10_000_000;
const CASES: Readonly<Record<string, { symbols: number; sessions: number; target: number }>> = {
  one: { symbols: 1, sessions: 250, target: 0.5 },
  hundred: { symbols: 100, sessions: 20, target: 0.6 },
};

const { values: args } = parseArgs({
  options: {
    case: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '3' },
    cache: { type: 'string', default: '.cache/bench' },
  },
});

const smaCross = defineStrategy({
  name: 'sma-cross',
  interval: '1m',
  indicators: () => [
    { name: 'sma', period: FAST, as: `sma_${FAST}` },
    { name: 'sma', period: SLOW, as: `sma_${SLOW}` },
  ],
  onBar(ctx, bar) {
    const cross = ctx.cross(bar.symbol, `sma_${FAST}`, `sma_${SLOW}`);
    if (cross > 0) ctx.target(bar.symbol, { quantity: SHARES });
    else if (cross < 0) ctx.target(bar.symbol, { quantity: 0 });
  },
});

/** What a run ends with: compared between the engine and the hand loop. */
interface Outcome {
  readonly fills: number;
  readonly cash: number;
  readonly positions: Readonly<Record<string, number>>;
  readonly bars: number;
  /** The run, load included (for the engine: without validation, timed apart). */
  readonly ms: number;
  /** The engine's validation (prepareRun().plan(): config, calendar, store, footers). */
  readonly validateMs?: number;
}

async function runEngine(config: ReturnType<typeof parseConfig>): Promise<Outcome> {
  const t0 = performance.now();
  const { plan, source } = await prepareRun(config).plan();
  const t1 = performance.now();
  const result = await createBacktest(config, { plan, source, closeSource: true, components: [broker({ cash: CASH }), smaCross.create({})] }).result();
  const ms = performance.now() - t1;
  const validateMs = t1 - t0;
  const reports = result.days.map((d) => d.components.broker as { fills: number; cash: number });
  const carried = result.carry.broker as { portfolio?: { positions: Record<string, { quantity: number }> } } | undefined;
  const positions: Record<string, number> = {};
  for (const [symbol, p] of Object.entries(carried?.portfolio?.positions ?? {})) if (p.quantity !== 0) positions[symbol] = p.quantity;
  const outcome = { fills: reports.reduce((n, r) => n + r.fills, 0), cash: reports.at(-1)!.cash, positions, bars: result.totals.barsIn, ms, validateMs };
  result.dispose();
  return outcome;
}

/** The SMA the engine uses (lib/indicators/sma.ts), inline: a ring of `period` values, re-summed once per full window. */
class RollingMean {
  private readonly window: Float64Array;
  private count = 0;
  private sum = 0;
  value = Number.NaN;
  constructor(readonly period: number) {
    this.window = new Float64Array(period);
  }
  push(x: number): void {
    const slot = this.count % this.period;
    if (this.count >= this.period) this.sum -= this.window[slot]!;
    this.window[slot] = x;
    this.sum += x;
    this.count++;
    if (slot === this.period - 1 && this.count > this.period) {
      let exact = 0;
      for (let i = 0; i < this.period; i++) exact += this.window[i]!;
      this.sum = exact;
    }
    if (this.count >= this.period) this.value = this.sum / this.period;
  }
}

async function runHand(store: StoreConfig, sessions: readonly Session[], symbols: readonly string[]): Promise<Outcome> {
  const t0 = performance.now();
  const reader = new ParquetBarReader(store);
  let cash = CASH;
  let fills = 0;
  let bars = 0;
  const position = new Float64Array(symbols.length);
  // Target of an order placed at a day's close: it works in the next session (broker.ts).
  const overnight = new Float64Array(symbols.length).fill(Number.NaN);
  let yesterday: BarColumns[] = [];
  for (let d = 0; d < sessions.length; d++) {
    const session = sessions[d]!;
    const today = await Promise.all(symbols.map((s) => reader.load(s, '1m', session.open, session.close, session.date).then((l) => l.bars)));
    if (d === 0) {
      yesterday = today;
      continue; // the leading history session
    }
    for (let s = 0; s < symbols.length; s++) {
      const fast = new RollingMean(FAST);
      const slow = new RollingMean(SLOW);
      const past = yesterday[s]!;
      for (let i = 0; i < past.length; i++) {
        fast.push(past.close[i]!);
        slow.push(past.close[i]!);
      }
      let before = fast.value - slow.value;
      let pending = overnight[s]!; // target quantity of a working order
      let placedAt = Number.NaN;
      const bar = today[s]!;
      bars += bar.length;
      for (let i = 0; i < bar.length; i++) {
        if (pending === pending) {
          const quantity = pending - position[s]!;
          if (quantity !== 0) {
            cash -= quantity * bar.open[i]!;
            position[s] = pending;
            fills++;
          }
          pending = Number.NaN;
        }
        fast.push(bar.close[i]!);
        slow.push(bar.close[i]!);
        const now = fast.value - slow.value;
        if (now === now && before === before) {
          if (before <= 0 && now > 0) pending = SHARES;
          else if (before >= 0 && now < 0) pending = 0;
          placedAt = bar.start[i]! + 60_000;
        }
        before = now;
      }
      // A day order still working at the close is cancelled, unless it was placed at the
      // close itself: then it works in the next session.
      overnight[s] = pending === pending && placedAt >= session.close ? pending : Number.NaN;
    }
    yesterday = today;
  }
  reader.clearCache();
  const positions: Record<string, number> = {};
  symbols.forEach((s, i) => {
    if (position[i] !== 0) positions[s] = position[i]!;
  });
  return { fills, cash, positions, bars, ms: performance.now() - t0 };
}

/** The same keys with the same values, in any order. */
function sameEntries(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

const stats = (values: number[]): { min: number; median: number; max: number } => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};

async function main(): Promise<void> {
  const names = args.case === 'both' ? Object.keys(CASES) : [args.case];
  const runs = Math.max(1, Number(args.runs));
  const table = cliTable({ head: ['case', 'base bars', 'engine ms (min / median / max)', 'hand ms (min / median / max)', 'engine speed / hand', 'target', 'verdict', 'engine validation ms (median)', 'with validation', 'fills'] });
  let failed = false;
  for (const name of names) {
    const spec = CASES[name];
    if (!spec) throw new Error(`--case ${name}: expected one, hundred or both`);
    const store = await ensureBenchStore(resolve(args.cache!), spec.symbols, spec.sessions, 1, 'yearly');
    const config = parseConfig({ name: 'trading-bench', calendar: 'XNYS', backtest: { start: store.sessions[0]!.date, end: store.sessions.at(-1)!.date, speed: 0 }, store: { root: store.root, layout: store.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } }, symbols: [...store.symbols], streams: ['1m'], history: [{ trailingSessions: 1, intervals: ['1m'] }] });
    const engine: Outcome[] = [];
    const hand: Outcome[] = [];
    // One warm-up of each, then alternated timed runs.
    for (let r = 0; r <= runs; r++) {
      const e = await runEngine(config);
      const h = await runHand(config.store as StoreConfig, [...store.leading, ...store.sessions], store.symbols);
      if (r === 0) {
        const same = e.fills === h.fills && Math.abs(e.cash - h.cash) < 1e-6 && sameEntries(e.positions, h.positions) && e.bars === h.bars;
        console.log(`${name}: cross-check engine vs hand loop: ${same ? 'OK' : 'MISMATCH'} (fills ${e.fills} / ${h.fills}, cash ${e.cash.toFixed(2)} / ${h.cash.toFixed(2)}, open positions ${Object.keys(e.positions).length} / ${Object.keys(h.positions).length}, bars ${e.bars} / ${h.bars})`);
        if (!same) failed = true;
        continue;
      }
      engine.push(e);
      hand.push(h);
    }
    const es = stats(engine.map((x) => x.ms));
    const hs = stats(hand.map((x) => x.ms));
    const ratio = hs.median / es.median;
    if (ratio < spec.target) failed = true;
    const validate = stats(engine.map((x) => x.validateMs!)).median;
    table.push([`${name}: ${spec.symbols} × ${spec.sessions}`, engine[0]!.bars.toLocaleString('en-US'), `${es.min.toFixed(0)} / ${es.median.toFixed(0)} / ${es.max.toFixed(0)}`, `${hs.min.toFixed(0)} / ${hs.median.toFixed(0)} / ${hs.max.toFixed(0)}`, `${(ratio * 100).toFixed(0)} %`, `≥ ${spec.target * 100} %`, ratio >= spec.target ? 'PASS' : 'FAIL', validate.toFixed(0), `${((hs.median / (es.median + validate)) * 100).toFixed(0)} %`, String(engine[0]!.fills)]);
  }
  console.log('SMA(10)/SMA(30) crossover that trades, whole runs with load; the engine\'s validation (once per run, the hand loop has none) timed apart and shown alongside');
  console.log(table.toString());
  if (failed) process.exitCode = 1;
}

await main();
