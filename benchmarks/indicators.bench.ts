/**
 * `npm run bench:indicators`: updates per second of every indicator over N (default 1 M)
 * deterministic inputs, ours against the trading-signals 8.3.0 counterpart in the same run.
 *
 * Inputs are generated once up front (a seeded random walk; bars are objects allocated once),
 * so the timed loops measure only `update`. Each case is timed `--runs` times (default 3) for
 * ours and theirs, interleaved, and the median is reported. Figures go to a table on stdout and
 * to `.cache/bench/indicators.json`.
 *
 * Then the standard set through the session pipeline (see `indicator-pipeline.bench.ts`).
 *
 * Options: --n N (inputs per run) --runs N --only SUBSTRING (case-name filter) --out FILE
 *          --skip-pipeline --symbols N --sessions N (pipeline part)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import type { IndicatorCase } from './indicator-case.ts';
import { INDICATOR_CASES as BAR_CASES } from './indicator-cases-bar.ts';
import { INDICATOR_CASES as PRICE_CASES } from './indicator-cases-price.ts';
import { runIndicatorPipelineBench } from './indicator-pipeline.bench.ts';
import { SeededRandom } from '../lib/seeded-random.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', default: '' },
    out: { type: 'string', default: '.cache/bench/indicators.json' },
    // The pipeline part (10 indicators × 3 intervals over 100 symbols × 20 sessions) takes a minute.
    'skip-pipeline': { type: 'boolean', default: false },
    symbols: { type: 'string', default: '100' },
    sessions: { type: 'string', default: '20' },
  },
});
const N = Math.max(1, Number(args.n));
const RUNS = Math.max(1, Number(args.runs));
const ONLY = args.only.toLowerCase();
const OUT = resolve(args.out);

interface BenchBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A seeded generator, so every run (and both libraries) sees the same inputs. */
function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** A multiplicative random walk around 100 with intrabar ranges, like minute bars of a stock. */
function generateInputs(n: number): { prices: Float64Array; bars: BenchBar[] } {
  const random = seededRandom(20240102);
  const prices = new Float64Array(n);
  const bars: BenchBar[] = new Array(n);
  let close = 100;
  for (let i = 0; i < n; i++) {
    const open = close;
    close = Math.max(1, open * (1 + (random() - 0.5) * 0.004));
    const high = Math.max(open, close) * (1 + random() * 0.001);
    const low = Math.min(open, close) * (1 - random() * 0.001);
    prices[i] = close;
    bars[i] = { open, high, low, close, volume: 1000 + Math.floor(random() * 9000) };
  }
  return { prices, bars };
}

type Loop = (indicator: { update(x: unknown): unknown }, inputs: ArrayLike<unknown>) => unknown;

/**
 * A fresh copy of the timing loop per (case, library). One shared loop would see every
 * indicator class at its `update` call site, go megamorphic and charge each library a
 * dispatch cost that a real caller (one indicator type per call site) never pays.
 */
function freshLoop(): Loop {
  return new Function('indicator', 'inputs', 'let last; for (let i = 0; i < inputs.length; i++) last = indicator.update(inputs[i]); return last;') as Loop;
}

function timeOnce(make: () => { update(x: unknown): unknown }, inputs: ArrayLike<unknown>, loop: Loop): number {
  const indicator = make();
  globalThis.gc?.();
  const start = process.hrtime.bigint();
  const last = loop(indicator, inputs);
  const ns = Number(process.hrtime.bigint() - start);
  // Keep the result observable so the loop cannot be treated as dead code.
  if (last === Symbol.for('never')) console.log(last);
  return ns;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmtRate = (r: number | undefined): string => (r === undefined ? '—' : r >= 1e6 ? `${(r / 1e6).toFixed(1)} M/s` : `${(r / 1e3).toFixed(0)} k/s`);

interface CaseResult {
  name: string;
  input: 'price' | 'bar';
  oursUpdatesPerSecond: number;
  theirsUpdatesPerSecond: number | undefined;
  /** ours / theirs: above 1 means ours is faster. */
  ratio: number | undefined;
  oursRunsNs: number[];
  theirsRunsNs: number[];
  note: string | undefined;
}

function benchCase(c: IndicatorCase, inputs: { prices: Float64Array; bars: BenchBar[] }): CaseResult {
  const feed: ArrayLike<unknown> = c.input === 'price' ? inputs.prices : inputs.bars;
  // A case may offer a counterpart factory that yields nothing (no equivalent configuration).
  const theirs = c.theirs?.() === undefined ? undefined : (c.theirs as () => { update(x: unknown): unknown });
  const oursLoop = freshLoop();
  const theirsLoop = freshLoop();
  const oursRunsNs: number[] = [];
  const theirsRunsNs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    oursRunsNs.push(timeOnce(c.ours as () => { update(x: unknown): unknown }, feed, oursLoop));
    if (theirs) theirsRunsNs.push(timeOnce(theirs, feed, theirsLoop));
  }
  const oursRate = (N * 1e9) / median(oursRunsNs);
  const theirsRate = theirsRunsNs.length > 0 ? (N * 1e9) / median(theirsRunsNs) : undefined;
  return {
    name: c.name,
    input: c.input,
    oursUpdatesPerSecond: oursRate,
    theirsUpdatesPerSecond: theirsRate,
    ratio: theirsRate === undefined ? undefined : oursRate / theirsRate,
    oursRunsNs,
    theirsRunsNs,
    note: c.note,
  };
}

const cases: IndicatorCase[] = [...PRICE_CASES, ...BAR_CASES].filter((c) => ONLY === '' || c.name.toLowerCase().includes(ONLY));
if (cases.length === 0) {
  console.error(`no indicator case matches --only ${JSON.stringify(args.only)}`);
  process.exit(2);
}
if (!globalThis.gc) console.warn('note: run with --expose-gc (npm run bench:indicators does) so garbage from one run is not charged to the next');

console.log(`generating ${N.toLocaleString('en-US')} inputs …`);
const inputs = generateInputs(N);
const results: CaseResult[] = [];
for (const c of cases) {
  const result = benchCase(c, inputs);
  results.push(result);
  console.log(`  ${c.name.padEnd(28)} ours ${fmtRate(result.oursUpdatesPerSecond).padStart(10)}   trading-signals ${fmtRate(result.theirsUpdatesPerSecond).padStart(10)}`);
}

const table = cliTable({ head: ['indicator', 'input', 'ours', 'trading-signals 8.3.0', 'ours / theirs', 'note'], colWidths: [26, 7, 12, 23, 15, 60], wordWrap: true, style: { head: [], border: [] } });
for (const r of results) {
  table.push([r.name, r.input, fmtRate(r.oursUpdatesPerSecond), fmtRate(r.theirsUpdatesPerSecond), r.ratio === undefined ? '—' : `${r.ratio.toFixed(1)}×`, r.note ?? '']);
}
console.log(`\nupdates per second, median of ${RUNS} runs over ${N.toLocaleString('en-US')} inputs (Node ${process.versions.node})`);
console.log(table.toString());

const pipeline = args['skip-pipeline'] ? undefined : await runIndicatorPipelineBench({ symbols: Number(args.symbols), sessions: Number(args.sessions), runs: RUNS, cache: resolve('.cache/bench') });

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ date: new Date().toISOString(), node: process.versions.node, inputs: N, runs: RUNS, results, ...(pipeline ? { pipeline } : {}) }, null, 2)}\n`);
console.log(`written ${OUT}`);
