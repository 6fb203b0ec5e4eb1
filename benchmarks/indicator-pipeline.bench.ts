/**
 * Run by `npm run bench:indicators` after the per-indicator table (or this file directly): the standard indicator set
 * — 10 indicators on 3 intervals (1m, 5m, 15m) — through the real session pipeline over a
 * generated store (default 100 symbols × 20 sessions), against the same 10 indicators from
 * trading-signals 8.3.0 plugged into the same operator, in the same process.
 *
 * Three engine runs per round, interleaved: `base` (drain + 5m/15m derivation + quality, no
 * indicators), `ours` (base + our 30 indicator instances per symbol), `theirs` (base + the
 * trading-signals counterparts). Indicator cost = Phase 3 (active) time minus `base`'s;
 * updates/s = indicator updates / that cost. Medians over --runs rounds.
 *
 * Options: --symbols N --sessions N --runs N --cache DIR
 */
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import { pipe } from 'rxjs';
import { parseConfig } from '../lib/config/parse-config.ts';
import { planRun } from '../lib/config/plan-run.ts';
import type { Indicator } from '../lib/indicators/types.ts';
import { createBacktest } from '../lib/session/create-backtest.ts';
import type { SlicePipeline } from '../lib/session/time-slice.ts';
import { deriveBars } from '../operators/bars/derive-bars.ts';
import { indicator } from '../operators/indicators/indicator.ts';
import { trackQuality } from '../operators/quality/track-quality.ts';
import { ensureBenchStore } from './bench-store.ts';
import type { IndicatorCase } from './indicator-case.ts';
import { INDICATOR_CASES as BAR_CASES } from './indicator-cases-bar.ts';
import { INDICATOR_CASES as PRICE_CASES } from './indicator-cases-price.ts';

/** The standard set: the indicators strategies use most, price and whole-bar ones. */
export const STANDARD_SET = ['SMA(20)', 'EMA(9)', 'RSI(14)', 'MACD(12,26,9)', 'BollingerBands(20,2)', 'ATR(14)', 'Stochastic(14,3,3)', 'CCI(20)', 'VWAP', 'OBV'];
const INTERVALS = ['1m', '5m', '15m'];

/** trading-signals returns `null` while warming up; the operator contract says `undefined`. */
function adapt(make: () => { update(x: never): unknown }): () => Indicator<never, unknown> {
  return () => {
    const inner = make();
    return { warmup: 0, ready: false, value: undefined, reset() {}, update: (x: never) => inner.update(x) ?? undefined } as Indicator<never, unknown>;
  };
}

const chain = (fns: readonly SlicePipeline[]): SlicePipeline => (source) => fns.reduce((acc, fn) => fn(acc), source);

function stages(cases: readonly IndicatorCase[], side: 'ours' | 'theirs'): SlicePipeline[] {
  const out: SlicePipeline[] = [];
  for (const interval of INTERVALS) {
    for (const c of cases) {
      const make = side === 'ours' ? (c.ours as () => Indicator<never, unknown>) : adapt(c.theirs as () => { update(x: never): unknown });
      const as = `${c.name.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '')}_${interval}`;
      out.push(indicator(make, { interval, as, input: c.input === 'price' ? 'close' : 'bar' }));
    }
  }
  return out;
}

/** Run the comparison; prints a table and returns the figures. */
export async function runIndicatorPipelineBench(options: { symbols: number; sessions: number; runs: number; cache: string }): Promise<Record<string, number>> {
  const all = [...PRICE_CASES, ...BAR_CASES];
  const cases = STANDARD_SET.map((name) => {
    const found = all.find((c) => c.name === name);
    if (!found?.theirs) throw new Error(`no benchmark case with a trading-signals counterpart named ${name}`);
    return found;
  });
  const store = await ensureBenchStore(options.cache, options.symbols, options.sessions, 1, 'yearly');
  const config = parseConfig({
    name: 'indicator-pipeline-bench',
    backtest: { start: store.sessions[0]!.date, end: store.sessions.at(-1)!.date },
    store: { root: store.root, layout: store.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } },
    symbols: [...store.symbols],
    streams: ['1m', '5m', '15m'],
    history: [{ trailingSessions: 1, intervals: ['1m', '5m', '15m'] }],
  });
  const plan = await planRun(config);
  const variants: Record<string, () => SlicePipeline> = {
    base: () => pipe(deriveBars(['5m', '15m']), trackQuality()),
    ours: () => chain([deriveBars(['5m', '15m']), ...stages(cases, 'ours'), trackQuality()]),
    theirs: () => chain([deriveBars(['5m', '15m']), ...stages(cases, 'theirs'), trackQuality()]),
  };
  const active: Record<string, number[]> = { base: [], ours: [], theirs: [] };
  let updates = 0;
  for (let round = 0; round < options.runs; round++) {
    for (const [name, make] of Object.entries(variants)) {
      globalThis.gc?.();
      const result = await createBacktest(config, { plan, pipeline: make }).result();
      active[name]!.push(result.days.reduce((n, d) => n + d.phaseMs.active, 0));
      if (name === 'ours' && round === 0) {
        // Updates = today's closed bars per interval × indicators (warm-up on history not counted).
        for (const day of result.days) for (const q of Object.values(day.quality)) for (const interval of INTERVALS) updates += (q.intervals[interval]?.present ?? 0) * cases.length;
      }
      result.dispose();
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const base = median(active.base!);
  const ours = median(active.ours!) - base;
  const theirs = median(active.theirs!) - base;
  const table = cliTable({ head: ['pipeline', 'Phase 3 ms', 'indicator ms', 'updates/s'] });
  table.push(['drain + derive (base)', base.toFixed(0), '—', '—']);
  table.push(['+ sessionflow indicators', (base + ours).toFixed(0), ours.toFixed(0), `${((updates / ours) * 1e3 / 1e6).toFixed(2)} M/s`]);
  table.push(['+ trading-signals 8.3.0', (base + theirs).toFixed(0), theirs.toFixed(0), `${((updates / theirs) * 1e3 / 1e6).toFixed(2)} M/s`]);
  console.log(`\nstandard set (${STANDARD_SET.join(', ')}) on ${INTERVALS.join(', ')}: ${options.symbols} symbols × ${options.sessions} sessions, ${updates.toLocaleString('en-US')} indicator updates per run (today's bars), median of ${options.runs}`);
  console.log(table.toString());
  console.log(`sessionflow indicators are ${(theirs / ours).toFixed(2)}× faster than trading-signals inside the pipeline`);
  return { baseMs: base, oursMs: ours, theirsMs: theirs, updates, oursPerSecond: (updates / ours) * 1e3, theirsPerSecond: (updates / theirs) * 1e3 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { symbols: { type: 'string', default: '100' }, sessions: { type: 'string', default: '20' }, runs: { type: 'string', default: '3' }, cache: { type: 'string', default: '.cache/bench' } } });
  await runIndicatorPipelineBench({ symbols: Number(values.symbols), sessions: Number(values.sessions), runs: Math.max(1, Number(values.runs)), cache: values.cache });
}
