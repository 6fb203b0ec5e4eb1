/**
 * `npm run bench:scanners`: the cost of scanning and of mid-session insertion (issue 11.10).
 *
 * A 500-symbol universe (generated once into `.cache/bench-scanners/`, per-symbol yearly Snappy
 * files like `npm run bench`), 20 XNYS sessions, 3 sessions of trailing history, streams
 * 1m/5m/15m, EMA(9) on 5m and EMA(21) on 15m, 5 configured symbols. Three variants of that
 * config run interleaved in one process, sharing one data source (decode threads):
 *
 * - `base`: no scanners (the 5 configured symbols);
 * - `pre`:  plus the config scanner `top-dollar-volume` (count 20, maxAdds 20) before the open
 *           over the whole universe;
 * - `full`: plus an intraday scan every 15 minutes (a code component, `scanner(...)`) that
 *           adds up to 5 symbols.
 *
 * The intraday scanner is by default a deterministic custom one: the 5 universe symbols not
 * active yet with the largest dollar volume so far today (bars with `end <= T`, through the
 * scan view), so every scan really inserts 5 and the figures do not depend on how often the
 * synthetic data happens to trigger a built-in condition. `--intraday new-high-low` or
 * `--intraday relative-volume` uses a built-in instead (count 50, minRatio 0).
 *
 * Reported (min / median / max over `--runs`, after one warm-up run of each variant):
 * base bars/s excluding load (Σ barsIn / Σ Phase 3) and including load (Σ Phase 2+3); the
 * time of each scan (pre-session and intraday separately, min/median/max over all scans of
 * the timed runs; the first intraday scan of a day also reads the universe's bars of the day);
 * milliseconds per inserted symbol (the intraday scans' `ms`, which include the insertions'
 * loads, divided by the insertions; and the extra Phase 3 time of `full` over `pre`, divided
 * by the insertions, split into the scans, the catch-up replay and the inserted symbols' live
 * bars); the overhead ratios against `base` and `pre`; memory at the phase boundaries (peak
 * heap, array buffers, RSS) and after each day of a run with `gc()` per day. Figures go to
 * `.cache/bench-scanners/last.json`.
 *
 * Options: --symbols N (universe, default 500) --sessions N (20) --history N (3)
 *          --configured N (5) --top N (20) --pre-sessions N (top-dollar-volume's `sessions`, 1)
 *          --every 15m --adds N (5) --runs N (3)
 *          --universe store|list (how the pre-session scanner names it; default store)
 *          --intraday custom|new-high-low|relative-volume (default custom)
 *          --rv-sessions N (relative-volume's `sessions`, default --history) --cache DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import { parseConfig } from '../lib/config/parse-config.ts';
import { planRun, type RunPlan } from '../lib/config/plan-run.ts';
import type { SessionConfig, SessionConfigInput } from '../lib/config/schema.ts';
import { validateParams } from '../lib/config/validate-params.ts';
import type { SessionComponent } from '../lib/session/component.ts';
import type { DayResult } from '../lib/session/results.ts';
import type { ScanView } from '../lib/session/scan-view.ts';
import { ThreadedBarLoader, type BarLoader } from '../lib/store/threaded-bar-loader.ts';
import { scanner } from '../operators/scanners/scanner.ts';
import { SCANNERS, type ScanPick, type Scanner } from '../operators/scanners/scanner-registry.ts';
import { backtest } from '../pipelines/backtest.ts';
import { prepareRun } from '../pipelines/prepare-run.ts';
import { ensureBenchStore, type BenchStore } from './bench-store.ts';
import { BENCH_INDICATORS } from './session-loop.bench.ts';

const { values: args } = parseArgs({
  options: {
    symbols: { type: 'string', default: '500' },
    sessions: { type: 'string', default: '20' },
    history: { type: 'string', default: '3' },
    configured: { type: 'string', default: '5' },
    top: { type: 'string', default: '20' },
    'pre-sessions': { type: 'string', default: '1' },
    every: { type: 'string', default: '15m' },
    adds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    universe: { type: 'string', default: 'store' },
    intraday: { type: 'string', default: 'custom' },
    'rv-sessions': { type: 'string' },
    cache: { type: 'string', default: '.cache/bench-scanners' },
  },
});
const SYMBOLS = Number(args.symbols);
const SESSIONS = Number(args.sessions);
const HISTORY = Number(args.history);
const CONFIGURED = Number(args.configured);
const TOP = Number(args.top);
const PRE_SESSIONS = Number(args['pre-sessions']);
const EVERY = args.every;
const ADDS = Number(args.adds);
const RUNS = Math.max(1, Number(args.runs));
const CACHE = resolve(args.cache);
const UNIVERSE = args.universe === 'list' ? 'list' : 'store';
const INTRADAY = args.intraday;
const RV_SESSIONS = Number(args['rv-sessions'] ?? HISTORY);
const INTRADAY_KINDS = ['custom', 'new-high-low', 'relative-volume'] as const;
type IntradayKind = (typeof INTRADAY_KINDS)[number];
if (!INTRADAY_KINDS.includes(INTRADAY as IntradayKind)) {
  console.error(`--intraday: expected one of ${INTRADAY_KINDS.join(', ')}, got ${INTRADAY}`);
  process.exit(2);
}
if (CONFIGURED < 1 || CONFIGURED > SYMBOLS) {
  console.error(`--configured: expected 1..${SYMBOLS}, got ${args.configured}`);
  process.exit(2);
}

const gc = globalThis.gc;
if (!gc) {
  console.error('run with --expose-gc (npm run bench:scanners does)');
  process.exit(2);
}

/** Names of the two scanners in the day results. */
const PRE_NAME = 'top-dollar-volume';
const INTRADAY_NAME = `intraday-${INTRADAY}`;

const VARIANTS = ['base', 'pre', 'full'] as const;
type Variant = (typeof VARIANTS)[number];

const mb = (bytes: number): number => bytes / 1048576;
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (xs: readonly number[], q: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const rate = (bars: number, ms: number): number => (bars * 1000) / ms;
const fmtRate = (r: number): string => `${(r / 1e6).toFixed(2)} M/s`;
const fmtMs = (ms: number, digits = 1): string => (Number.isFinite(ms) ? `${ms.toFixed(digits)} ms` : '—');
/** min / median / max of some runs, as figures and as text. */
function spread(xs: readonly number[]): { min: number; median: number; max: number; runs: number[] } {
  return { min: Math.min(...xs), median: median(xs), max: Math.max(...xs), runs: [...xs] };
}
const fmtSpread = (s: { min: number; median: number; max: number }, fmt: (x: number) => string): string => `${fmt(s.median)} (${fmt(s.min)} … ${fmt(s.max)})`;

/**
 * The deterministic intraday scanner: the `n` universe symbols not active yet with the largest
 * dollar volume so far today. It reads only the scan view (bars with `end <= T`), so it is
 * as-of safe; ties go by symbol so runs pick the same symbols.
 */
function topDollarVolumeSoFar(n: number): Scanner {
  return {
    async scan(view) {
      if (view.pre) return {};
      const active = new Set(view.active);
      const today = await view.todayMany(view.universe.filter((s) => !active.has(s)));
      const picks: Array<{ symbol: string; score: number; reason: string }> = [];
      for (const [symbol, bars] of today) {
        if (bars.length === 0) continue;
        let dollars = 0;
        for (let i = 0; i < bars.length; i++) dollars += bars.close[i]! * bars.volume[i]!;
        picks.push({ symbol, score: dollars, reason: `dollar volume ${Math.round(dollars)} in ${bars.length} bars so far` });
      }
      picks.sort((a, b) => b.score - a.score || (a.symbol < b.symbol ? -1 : 1));
      return { add: picks.slice(0, n) };
    },
  };
}

/** What the wrapper around the intraday scanner records during one run. */
interface ScanProbe {
  /** Time in the scanner's own `scan()` per intraday scan (the record's `ms` also covers the insertions). */
  readonly scanOnlyMs: number[];
  /** The same, by minutes after the open of the scan (the view copies today's bars so far: later scans read more). */
  readonly scanOnlyByMinute: Map<number, number[]>;
  /** Bars with `end <= T` of each pick, by `date|symbol|T`: what an insertion at T replays. */
  readonly barsUpToT: Map<string, number>;
}

/** The intraday scanner of the `full` variant, instrumented; a new one per run. */
function intradayComponent(universe: readonly string[], probe: ScanProbe): SessionComponent {
  let inner: Scanner;
  if (INTRADAY === 'custom') inner = topDollarVolumeSoFar(ADDS);
  else {
    const definition = SCANNERS.get(INTRADAY);
    const params = INTRADAY === 'new-high-low' ? { side: 'high', count: 50 } : { sessions: RV_SESSIONS, minRatio: 0, count: 50 };
    inner = definition.create(validateParams(definition.params, params, `${INTRADAY}.params`));
  }
  const wrapped: Scanner = {
    async scan(view: ScanView) {
      const t0 = performance.now();
      const result = await inner.scan(view);
      const ms = performance.now() - t0;
      probe.scanOnlyMs.push(ms);
      const minute = Math.round((view.asOf - view.session.open) / 60_000);
      let list = probe.scanOnlyByMinute.get(minute);
      if (!list) probe.scanOnlyByMinute.set(minute, (list = []));
      list.push(ms);
      // How many bars each pick would replay (cached loads: a few microseconds per pick).
      const picks: readonly ScanPick[] = result?.add ?? [];
      if (picks.length > 0) {
        const bars = await view.todayMany(picks.map((p) => p.symbol));
        for (const [symbol, b] of bars) probe.barsUpToT.set(`${view.session.date}|${symbol}|${view.asOf}`, b.length);
      }
      return result;
    },
  };
  return scanner({ name: INTRADAY_NAME, scanner: wrapped, schedule: [`every ${EVERY}`], universe, maxAdds: ADDS });
}

/** The session config of a variant (`full` is `pre` plus the intraday component). */
function variantConfig(store: BenchStore, variant: Variant): SessionConfig {
  const input: SessionConfigInput = {
    name: `bench-scanners-${variant}`,
    calendar: 'XNYS',
    backtest: { start: store.sessions[0]!.date, end: store.sessions[store.sessions.length - 1]!.date, speed: 0 },
    store: { root: store.root, layout: store.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } },
    symbols: store.symbols.slice(0, CONFIGURED),
    streams: ['1m', '5m', '15m'],
    history: HISTORY > 0 ? [{ trailingSessions: HISTORY, intervals: ['5m', '15m'] }] : [],
    indicators: BENCH_INDICATORS.map((i) => ({ ...i })),
    strategies: [],
    scanners: variant === 'base' ? [] : [{ name: PRE_NAME, params: { count: TOP, sessions: PRE_SESSIONS }, schedule: ['pre'], universe: UNIVERSE === 'store' ? 'store' : [...store.symbols], maxAdds: TOP }],
  };
  return parseConfig(input);
}

interface ScanFigure {
  readonly date: string;
  readonly ms: number;
  readonly added: number;
  /** The first intraday scan of its day (it reads the universe's bars of the day through the decode threads). */
  readonly first: boolean;
}

interface MemorySample {
  readonly heapUsed: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

interface VariantRun {
  readonly variant: Variant;
  readonly days: number;
  readonly barsIn: number;
  readonly initMs: number;
  readonly activeMs: number;
  /** Wall time of `result()` (all phases, day results; no validation). */
  readonly wallMs: number;
  readonly preScans: ScanFigure[];
  readonly intradayScans: ScanFigure[];
  readonly scanOnlyMs: number[];
  readonly scanOnlyByMinute: Map<number, number[]>;
  /** Symbols added by the pre-session scan, and by the intraday scans (status `'added'`). */
  readonly preAdded: number;
  readonly inserted: number;
  /** Bars the intraday insertions replayed (their bars with `end <= T`). */
  readonly replayedBars: number;
  /** Symbols in the day at the close, averaged over the days. */
  readonly symbolsAtClose: number;
  /** Peaks over the samples taken at every phase boundary. */
  readonly peak: MemorySample;
  /** After `gc()` at the end of each day (only when asked). */
  readonly perDay?: Array<MemorySample & { date: string; threadsHeapUsed?: number }>;
  /** The day results the run keeps, as JSON, per day (only when asked): what the heap may grow by. */
  readonly dayResultBytes?: number;
}

interface Components {
  scans?: Array<{ asOf: number; phase: string; ms: number; added: string[] }>;
  added?: number;
}

async function runVariant(variant: Variant, config: SessionConfig, plan: RunPlan, source: BarLoader, universe: readonly string[], options: { gcPerDay?: boolean } = {}): Promise<VariantRun> {
  const probe: ScanProbe = { scanOnlyMs: [], scanOnlyByMinute: new Map(), barsUpToT: new Map() };
  const components = variant === 'full' ? [intradayComponent(universe, probe)] : [];
  const run = backtest(config, { plan, source, components });
  const peak = { heapUsed: 0, arrayBuffers: 0, rss: 0 };
  const sample = (): MemorySample => {
    const m = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    peak.rss = Math.max(peak.rss, m.rss);
    return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss };
  };
  const perDay = new Map<string, MemorySample>();
  const threadHeaps = new Map<string, Promise<number>>();
  const loader = source instanceof ThreadedBarLoader ? source : undefined;
  // Sampled at phase boundaries (the handler's few microseconds count towards the next phase).
  const sub = run.events$.subscribe((event) => {
    if (event.type === 'phase') sample();
    else if (event.type === 'day' && options.gcPerDay) {
      gc!();
      perDay.set(event.result.date, sample());
      if (loader) threadHeaps.set(event.result.date, loader.threadMemory().then((threads) => threads.reduce((n, m) => n + m.heapUsed, 0)));
    }
  });
  const t0 = performance.now();
  const result = await run.result();
  const wallMs = performance.now() - t0;
  sub.unsubscribe();
  const days: readonly DayResult[] = result.days;
  const preScans: ScanFigure[] = [];
  const intradayScans: ScanFigure[] = [];
  let replayedBars = 0;
  for (const day of days) {
    const pre = day.components[PRE_NAME] as Components | undefined;
    for (const s of pre?.scans ?? []) preScans.push({ date: day.date, ms: s.ms, added: s.added.length, first: true });
    const intraday = day.components[INTRADAY_NAME] as Components | undefined;
    (intraday?.scans ?? []).forEach((s, i) => {
      intradayScans.push({ date: day.date, ms: s.ms, added: s.added.length, first: i === 0 });
      for (const symbol of s.added) replayedBars += probe.barsUpToT.get(`${day.date}|${symbol}|${s.asOf}`) ?? 0;
    });
  }
  const added = (by: string): number => sum(days.map((d) => d.additions.filter((a) => a.by === by && a.status === 'added').length));
  const out: VariantRun = {
    variant,
    days: days.length,
    barsIn: sum(days.map((d) => d.barsIn)),
    initMs: sum(days.map((d) => d.phaseMs.init)),
    activeMs: sum(days.map((d) => d.phaseMs.active)),
    wallMs,
    preScans,
    intradayScans,
    scanOnlyMs: probe.scanOnlyMs,
    scanOnlyByMinute: probe.scanOnlyByMinute,
    preAdded: added(PRE_NAME),
    inserted: added(INTRADAY_NAME),
    replayedBars,
    symbolsAtClose: sum(days.map((d) => d.symbols.length)) / Math.max(1, days.length),
    peak: { ...peak },
  };
  result.dispose();
  if (options.gcPerDay) {
    const rows: NonNullable<VariantRun['perDay']> = [];
    for (const d of days) {
      const m = perDay.get(d.date);
      if (!m) continue;
      const threads = threadHeaps.get(d.date);
      rows.push({ date: d.date, ...m, ...(threads ? { threadsHeapUsed: await threads } : {}) });
    }
    return { ...out, perDay: rows, dayResultBytes: JSON.stringify(days).length / Math.max(1, days.length) };
  }
  return out;
}

function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = sum(ys) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (ys[i]! - my);
    sxx += (i - mx) ** 2;
  }
  return sxy / sxx;
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  mkdirSync(CACHE, { recursive: true });
  console.log(
    `sessionflow scanner bench — node ${process.version}, universe ${SYMBOLS} symbols × ${SESSIONS} sessions (XNYS), history ${HISTORY}, ${CONFIGURED} configured symbols; ` +
      `pre-session ${PRE_NAME} top ${TOP} over ${PRE_SESSIONS} prior session(s) (universe ${UNIVERSE === 'store' ? '"store"' : 'explicit list'}); intraday ${INTRADAY_NAME} every ${EVERY}, maxAdds ${ADDS}; ${RUNS} timed runs + 1 warm-up`,
  );
  const store = await ensureBenchStore(CACHE, SYMBOLS, SESSIONS, HISTORY, 'yearly');
  console.log(`store: ${store.root} (${store.generated ? 'generated' : 'reused'}, ${fmtMs(store.generateMs, 0)}) ${store.sessions[0]!.date} … ${store.sessions[store.sessions.length - 1]!.date}`);
  console.log(
    INTRADAY === 'custom'
      ? `intraday scanner: custom, deterministic — the ${ADDS} universe symbols not active yet with the largest dollar volume so far today (bars with end <= T via the scan view, as-of safe), so every scan inserts exactly ${ADDS}; a built-in (new-high-low, relative-volume) adds however many the synthetic data happens to trigger`
      : `intraday scanner: built-in ${INTRADAY} (count 50${INTRADAY === 'relative-volume' ? `, minRatio 0, sessions ${RV_SESSIONS}` : ''}), up to ${ADDS} per scan`,
  );

  const configs: Record<Variant, SessionConfig> = { base: variantConfig(store, 'base'), pre: variantConfig(store, 'pre'), full: variantConfig(store, 'pre') };
  // One data source for every variant (as the runs of a sweep would share it).
  const t0 = performance.now();
  const { plan: planPre, source } = await prepareRun(configs.pre).plan();
  const planMs = performance.now() - t0;
  const planBase = await planRun(configs.base, { source });
  const plans: Record<Variant, RunPlan> = { base: planBase, pre: planPre, full: planPre };
  const universe = [...store.symbols];
  console.log(`pipeline: streams 1m/5m/15m, EMA(9) on 5m, EMA(21) on 15m, quality, no strategies, speed 0 (data-driven); validation ${fmtMs(planMs, 0)}`);

  // Warm-up (JIT, page cache), then the day-by-day memory of the full variant. The process's
  // RSS is recorded along the way: it hardly shrinks, so a variant's peak includes the earlier ones.
  const timeline: Array<{ after: string } & MemorySample> = [];
  const mark = (after: string): void => {
    gc!();
    const m = process.memoryUsage();
    timeline.push({ after, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss });
  };
  mark('validation');
  for (const v of VARIANTS) {
    await runVariant(v, configs[v], plans[v], source, universe);
    mark(`warm-up run of ${v}`);
  }
  gc!();
  const memRun = await runVariant('full', configs.full, plans.full, source, universe, { gcPerDay: true });

  // Timed runs, the variants interleaved so drift hits all of them.
  const runs: Record<Variant, VariantRun[]> = { base: [], pre: [], full: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const v of VARIANTS) {
      gc!();
      runs[v].push(await runVariant(v, configs[v], plans[v], source, universe));
    }
    const f = runs.full[r]!;
    console.log(`run ${r + 1}/${RUNS}: ${VARIANTS.map((v) => `${v} ${runs[v][r]!.initMs.toFixed(0)}+${runs[v][r]!.activeMs.toFixed(0)} ms`).join(', ')} (Phase 2+3); ${f.inserted} insertions`);
  }
  source.close?.();
  const maxRss = process.resourceUsage().maxRSS * 1024;

  // Throughput per variant.
  const throughput = Object.fromEntries(
    VARIANTS.map((v) => {
      const rs = runs[v];
      return [
        v,
        {
          barsIn: rs[0]!.barsIn,
          symbolsAtClose: rs[0]!.symbolsAtClose,
          phase2Ms: spread(rs.map((r) => r.initMs)),
          phase3Ms: spread(rs.map((r) => r.activeMs)),
          wallMs: spread(rs.map((r) => r.wallMs)),
          excludingLoad: spread(rs.map((r) => rate(r.barsIn, r.activeMs))),
          includingLoad: spread(rs.map((r) => rate(r.barsIn, r.initMs + r.activeMs))),
          peakHeapMB: Math.max(...rs.map((r) => mb(r.peak.heapUsed))),
          peakArrayBuffersMB: Math.max(...rs.map((r) => mb(r.peak.arrayBuffers))),
          peakRssMB: Math.max(...rs.map((r) => mb(r.peak.rss))),
        },
      ];
    }),
  ) as Record<Variant, { barsIn: number; symbolsAtClose: number; phase2Ms: ReturnType<typeof spread>; phase3Ms: ReturnType<typeof spread>; wallMs: ReturnType<typeof spread>; excludingLoad: ReturnType<typeof spread>; includingLoad: ReturnType<typeof spread>; peakHeapMB: number; peakArrayBuffersMB: number; peakRssMB: number }>;

  const fullNetOfScans = spread(runs.full.map((r) => rate(r.barsIn, r.activeMs - sum(r.intradayScans.map((x) => x.ms)))));

  // Scans over all timed runs.
  const full = runs.full;
  const preScans = full.flatMap((r) => r.preScans.map((s) => s.ms));
  const intraday = full.flatMap((r) => r.intradayScans);
  const dist = (xs: readonly number[]): { count: number; min: number; median: number; p90: number; max: number; mean: number } => ({ count: xs.length, min: Math.min(...xs), median: median(xs), p90: quantile(xs, 0.9), max: Math.max(...xs), mean: sum(xs) / Math.max(1, xs.length) });
  const scans = {
    pre: dist(preScans),
    prePre: dist(runs.pre.flatMap((r) => r.preScans.map((s) => s.ms))),
    intraday: dist(intraday.map((s) => s.ms)),
    intradayFirstOfDay: dist(intraday.filter((s) => s.first).map((s) => s.ms)),
    intradayLater: dist(intraday.filter((s) => !s.first).map((s) => s.ms)),
    intradayScanOnly: dist(full.flatMap((r) => r.scanOnlyMs)),
    // Median of scan() by minutes after the open, over all days and runs.
    intradayScanOnlyByMinute: Object.fromEntries(
      [...new Set(full.flatMap((r) => [...r.scanOnlyByMinute.keys()]))].sort((a, b) => a - b).map((minute) => [String(minute), median(full.flatMap((r) => r.scanOnlyByMinute.get(minute) ?? []))]),
    ),
  };

  // Per inserted symbol, per run; then min/median/max.
  const perInsertion = full.map((f, r) => {
    const p = runs.pre[r]!;
    const scanMs = sum(f.intradayScans.map((s) => s.ms));
    const scanOnly = sum(f.scanOnlyMs);
    const extraActive = f.activeMs - p.activeMs;
    const insertedBars = f.barsIn - p.barsIn;
    const liveBars = insertedBars - f.replayedBars;
    // The inserted symbols' bars after T at the pre variant's per-bar cost of Phase 3.
    const liveMs = (liveBars * p.activeMs) / p.barsIn;
    const replayMs = extraActive - scanMs - liveMs;
    const n = Math.max(1, f.inserted);
    return {
      inserted: f.inserted,
      scanMsPerInsertion: scanMs / n,
      scanOnlyMsPerInsertion: scanOnly / n,
      loadMsPerInsertion: (scanMs - scanOnly) / n,
      extraPhase3MsPerInsertion: extraActive / n,
      replayAndLiveMsPerInsertion: (extraActive - scanMs) / n,
      replayMsPerInsertion: replayMs / n,
      replayNsPerReplayedBar: f.replayedBars > 0 ? (replayMs * 1e6) / f.replayedBars : Number.NaN,
      liveNsPerBar: (p.activeMs * 1e6) / p.barsIn,
      replayedBars: f.replayedBars,
      liveBars,
    };
  });
  const pick = (key: keyof (typeof perInsertion)[number]): ReturnType<typeof spread> => spread(perInsertion.map((x) => x[key]));
  const insertion = {
    inserted: perInsertion[0]!.inserted,
    preAdded: full[0]!.preAdded,
    replayedBars: perInsertion[0]!.replayedBars,
    liveBars: perInsertion[0]!.liveBars,
    scanMs: pick('scanMsPerInsertion'),
    scanOnlyMs: pick('scanOnlyMsPerInsertion'),
    loadMs: pick('loadMsPerInsertion'),
    extraPhase3Ms: pick('extraPhase3MsPerInsertion'),
    replayAndLiveMs: pick('replayAndLiveMsPerInsertion'),
    replayMs: pick('replayMsPerInsertion'),
    replayNsPerBar: pick('replayNsPerReplayedBar'),
    liveNsPerBar: pick('liveNsPerBar'),
  };

  const ratio = (a: Variant, b: Variant, f: (r: VariantRun) => number): ReturnType<typeof spread> => spread(runs[a].map((r, i) => f(r) / f(runs[b][i]!)));
  const overhead = {
    fullVsBase: { phase2: ratio('full', 'base', (r) => r.initMs), phase3: ratio('full', 'base', (r) => r.activeMs), phases23: ratio('full', 'base', (r) => r.initMs + r.activeMs), wall: ratio('full', 'base', (r) => r.wallMs), perBarPhases23: spread(runs.full.map((r, i) => (r.initMs + r.activeMs) / r.barsIn / ((runs.base[i]!.initMs + runs.base[i]!.activeMs) / runs.base[i]!.barsIn))) },
    preVsBase: { phase2: ratio('pre', 'base', (r) => r.initMs), phases23: ratio('pre', 'base', (r) => r.initMs + r.activeMs) },
    fullVsPre: { phase3: ratio('full', 'pre', (r) => r.activeMs), phases23: ratio('full', 'pre', (r) => r.initMs + r.activeMs) },
  };

  // Memory: after gc() at the end of each day of the full variant.
  const md = memRun.perDay ?? [];
  const memory = {
    perDay: md.map((d) => ({ date: d.date, heapMB: mb(d.heapUsed), arrayBuffersMB: mb(d.arrayBuffers), rssMB: mb(d.rss), threadsHeapMB: d.threadsHeapUsed === undefined ? null : mb(d.threadsHeapUsed) })),
    heapSlopeMBPerDay: slope(md.map((d) => mb(d.heapUsed))),
    arrayBuffersSlopeMBPerDay: slope(md.map((d) => mb(d.arrayBuffers))),
    rssSlopeMBPerDay: slope(md.map((d) => mb(d.rss))),
    peakHeapMB: mb(Math.max(...VARIANTS.flatMap((v) => runs[v].map((r) => r.peak.heapUsed)))),
    peakRssMB: mb(Math.max(...VARIANTS.flatMap((v) => runs[v].map((r) => r.peak.rss)))),
    processMaxRssMB: mb(maxRss),
    // What the scans read per day and the run's session cache keeps (history + today): today's
    // bars of the universe (the intraday scans) as 6 float64 columns.
    dayResultKBPerDay: (memRun.dayResultBytes ?? 0) / 1024,
    timeline: timeline.map((x) => ({ after: x.after, heapMB: mb(x.heapUsed), arrayBuffersMB: mb(x.arrayBuffers), rssMB: mb(x.rss) })),
    scanReadEstimateMB: mb(SYMBOLS * (HISTORY + 1) * ((store.sessions[0]!.close - store.sessions[0]!.open) / 60_000) * 6 * 8),
  };

  // Output.
  const t = cliTable({ head: ['variant', 'base bars', 'symbols at close (avg)', 'Σ Phase 2', 'Σ Phase 3', 'excl. load (Σ P3)', 'incl. load (Σ P2+3)', 'wall of result()', 'peak heap / array buffers / RSS'] });
  for (const v of VARIANTS) {
    const x = throughput[v];
    t.push([v, x.barsIn.toLocaleString('en-US'), x.symbolsAtClose.toFixed(1), fmtSpread(x.phase2Ms, (n) => n.toFixed(0)), fmtSpread(x.phase3Ms, (n) => n.toFixed(0)), fmtSpread(x.excludingLoad, fmtRate), fmtSpread(x.includingLoad, fmtRate), fmtSpread(x.wallMs, (n) => n.toFixed(0)), `${x.peakHeapMB.toFixed(0)} / ${x.peakArrayBuffersMB.toFixed(0)} / ${x.peakRssMB.toFixed(0)} MB`]);
  }
  console.log(`\nthroughput, median (min … max) of ${RUNS} runs; times in ms; memory sampled at every phase boundary`);
  console.log(t.toString());
  console.log(`full without its scans' time: ${fmtSpread(fullNetOfScans, fmtRate)} (Σ barsIn / (Σ Phase 3 − Σ intraday scan ms): the engine on the symbols the scans gathered, catch-up replay included)`);

  const s = cliTable({ head: ['scans (all timed runs)', 'count', 'min', 'median', 'p90', 'max', 'mean'] });
  const row = (label: string, d: ReturnType<typeof dist>): string[] => [label, String(d.count), fmtMs(d.min), fmtMs(d.median), fmtMs(d.p90), fmtMs(d.max), fmtMs(d.mean)];
  s.push(
    row(`pre-session ${PRE_NAME} (full)`, scans.pre),
    row(`pre-session ${PRE_NAME} (pre)`, scans.prePre),
    row(`intraday ${INTRADAY_NAME}, all`, scans.intraday),
    row('  first of the day', scans.intradayFirstOfDay),
    row('  later', scans.intradayLater),
    row('  of which scan() itself', scans.intradayScanOnly),
  );
  console.log(`\nscan time (the scan record's ms: the scan and its insertions' loads; the clock waits for it)`);
  console.log(s.toString());
  const byMinute = Object.entries(scans.intradayScanOnlyByMinute);
  const shown = byMinute.filter((_e, k) => k === 0 || k === 1 || k === byMinute.length - 1 || k === Math.floor(byMinute.length / 2));
  console.log(`scan() itself by time of day (median; the first scan of the day also loads the universe): ${shown.map(([m, ms]) => `open+${m}m ${fmtMs(ms)}`).join(', ')}`);

  const i = cliTable({ head: ['per inserted symbol', 'median (min … max)', 'note'] });
  i.push(
    ['intraday scan ms / insertion', fmtSpread(insertion.scanMs, (n) => fmtMs(n, 2)), 'Σ intraday scan ms / insertions'],
    ['  scan() itself', fmtSpread(insertion.scanOnlyMs, (n) => fmtMs(n, 2)), 'reading and ranking the universe'],
    ['  insertion loads', fmtSpread(insertion.loadMs, (n) => fmtMs(n, 2)), 'addSymbol: today, history, register (5 in parallel)'],
    ['extra Phase 3 / insertion', fmtSpread(insertion.extraPhase3Ms, (n) => fmtMs(n, 2)), 'Σ P3 (full − pre) / insertions'],
    ['  minus the scans', fmtSpread(insertion.replayAndLiveMs, (n) => fmtMs(n, 2)), 'catch-up replay + the symbol\'s live bars after T'],
    ['  replay only (estimate)', fmtSpread(insertion.replayMs, (n) => fmtMs(n, 2)), `minus ${insertion.liveBars.toLocaleString('en-US')} live bars at pre's Phase 3 cost per bar`],
    ['replay per replayed bar', fmtSpread(insertion.replayNsPerBar, (n) => `${n.toFixed(0)} ns`), `${insertion.replayedBars.toLocaleString('en-US')} bars replayed; live Phase 3 per bar ${fmtSpread(insertion.liveNsPerBar, (n) => `${n.toFixed(0)} ns`)}`],
  );
  console.log(`\n${insertion.inserted.toLocaleString('en-US')} intraday insertions per run (${insertion.preAdded} pre-session additions)`);
  console.log(i.toString());

  console.log(`\noverhead of scanning (time ratios, median (min … max)):`);
  console.log(`  full / base: Phase 2 ${fmtSpread(overhead.fullVsBase.phase2, (n) => `${n.toFixed(1)}×`)}, Phase 3 ${fmtSpread(overhead.fullVsBase.phase3, (n) => `${n.toFixed(1)}×`)}, Phase 2+3 ${fmtSpread(overhead.fullVsBase.phases23, (n) => `${n.toFixed(1)}×`)}, wall ${fmtSpread(overhead.fullVsBase.wall, (n) => `${n.toFixed(1)}×`)}; per base bar (P2+3) ${fmtSpread(overhead.fullVsBase.perBarPhases23, (n) => `${n.toFixed(2)}×`)}`);
  console.log(`  pre / base:  Phase 2 ${fmtSpread(overhead.preVsBase.phase2, (n) => `${n.toFixed(1)}×`)}, Phase 2+3 ${fmtSpread(overhead.preVsBase.phases23, (n) => `${n.toFixed(1)}×`)}`);
  console.log(`  full / pre:  Phase 3 ${fmtSpread(overhead.fullVsPre.phase3, (n) => `${n.toFixed(1)}×`)}, Phase 2+3 ${fmtSpread(overhead.fullVsPre.phases23, (n) => `${n.toFixed(1)}×`)}`);

  const h = cliTable({ head: ['day', 'date', 'heapUsed (MB)', 'array buffers (MB)', 'decode threads\' heaps (MB)', 'process RSS (MB)'] });
  memory.perDay.forEach((d, k) => h.push([String(k + 1), d.date, d.heapMB.toFixed(1), d.arrayBuffersMB.toFixed(1), d.threadsHeapMB === null ? '—' : d.threadsHeapMB.toFixed(1), d.rssMB.toFixed(0)]));
  console.log(`\nmemory after gc() at the end of each day (full variant; the finished day's SessionData still intact):`);
  console.log(h.toString());
  console.log(
    `slopes: heap ${memory.heapSlopeMBPerDay.toFixed(2)} MB/day, array buffers ${memory.arrayBuffersSlopeMBPerDay.toFixed(2)} MB/day, RSS ${memory.rssSlopeMBPerDay.toFixed(2)} MB/day; ` +
      `peak over the timed runs: heap ${memory.peakHeapMB.toFixed(0)} MB, RSS ${memory.peakRssMB.toFixed(0)} MB (process max RSS ${memory.processMaxRssMB.toFixed(0)} MB); ` +
      `today's + ${HISTORY} sessions' base bars of the whole universe ≈ ${memory.scanReadEstimateMB.toFixed(0)} MB; the day results the run keeps ≈ ${memory.dayResultKBPerDay.toFixed(0)} KB/day as JSON`,
  );
  console.log(`process memory after gc(): ${memory.timeline.map((x) => `${x.after}: heap ${x.heapMB.toFixed(0)} / array buffers ${x.arrayBuffersMB.toFixed(0)} / RSS ${x.rssMB.toFixed(0)} MB`).join('; ')}`);

  const out = join(CACHE, 'last.json');
  const figures = {
    date: new Date().toISOString(),
    node: process.version,
    setup: {
      symbols: SYMBOLS,
      sessions: SESSIONS,
      history: HISTORY,
      configured: CONFIGURED,
      runs: RUNS,
      store: store.root,
      from: store.sessions[0]!.date,
      to: store.sessions[store.sessions.length - 1]!.date,
      pipeline: 'streams 1m/5m/15m, ema_9 on 5m, ema_21 on 15m, quality, no strategies, speed 0',
      preScanner: { name: PRE_NAME, params: { count: TOP, sessions: PRE_SESSIONS }, schedule: ['pre'], universe: UNIVERSE, maxAdds: TOP },
      intradayScanner: { name: INTRADAY_NAME, kind: INTRADAY, schedule: [`every ${EVERY}`], maxAdds: ADDS, universe: SYMBOLS },
      variants: { base: 'no scanners', pre: 'pre-session scanner only', full: 'pre-session + intraday scanner' },
    },
    validationMs: planMs,
    throughput,
    fullExcludingLoadAndIntradayScans: fullNetOfScans,
    scans,
    insertion,
    perInsertionRuns: perInsertion,
    overhead,
    memory,
    benchWallMs: performance.now() - wallStart,
  };
  writeFileSync(out, `${JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  console.log(`\nfigures written to ${out} (bench wall ${((performance.now() - wallStart) / 1000).toFixed(1)} s)`);
}

await main();
