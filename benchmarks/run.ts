/**
 * `npm run bench`: the end-to-end benchmark of the session loop.
 *
 * Runs the standard pipeline (drain, 5m and 15m derived, EMA(9) on 5m and EMA(21) on 15m,
 * quality; no strategies; data-driven) over a generated store (default 100 symbols × 20
 * XNYS sessions, 1 trailing history session) and compares it with a hand-written loop
 * doing the same work in the same process. Prints a table and a verdict per target, and
 * writes the figures to `.cache/bench/last.json`.
 *
 * Options: --symbols N --sessions N --history N --runs N --cache DIR --layout yearly|daily
 *          --compression snappy|zstd|uncompressed (of the generated store; default snappy)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import { PARQUET_COMPRESSIONS } from '../lib/store/parquet-writer.ts';
import type { StoreConfig } from '../lib/store/types.ts';
import { ensureBenchStore } from './bench-store.ts';
import { preloadHandInputs, runHandLoopPreloaded, runHandLoopWithLoad, type HandDayOutput, type HandRun } from './hand-loop.ts';
import { benchConfig, planBench, runSessionLoop, type EngineRun } from './session-loop.bench.ts';
import type { SessionData } from '../lib/session/session-data.ts';

const TARGET_EXCL = 5e6;
const TARGET_INCL = 2e6;
const TARGET_RATIO = 3;
/** Heap is "flat" when the regression slope is below this fraction of the mean heap per day. */
const FLAT_SLOPE = 0.01;

const { values: args } = parseArgs({
  options: {
    symbols: { type: 'string', default: '100' },
    sessions: { type: 'string', default: '20' },
    history: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    cache: { type: 'string', default: '.cache/bench' },
    // Per-symbol yearly files (a row group per session) are how minute bars are usually
    // stored; `daily` (one file per symbol and day) is the worst case for load throughput.
    layout: { type: 'string', default: 'yearly' },
    // Snappy is what the demo generator and `sessionflow import` write by default; ZSTD files
    // are smaller but parquet-wasm decodes them ~4.5× slower, which shows in "including load".
    compression: { type: 'string', default: 'snappy' },
  },
});
const SYMBOLS = Number(args.symbols);
const SESSIONS = Number(args.sessions);
const HISTORY = Number(args.history);
const RUNS = Math.max(1, Number(args.runs));
const CACHE = resolve(args.cache);
const LAYOUT = args.layout === 'daily' ? 'daily' : 'yearly';
const COMPRESSION = PARQUET_COMPRESSIONS.find((c) => c === args.compression);
if (!COMPRESSION) {
  console.error(`--compression: expected one of ${PARQUET_COMPRESSIONS.join(', ')}, got ${args.compression}`);
  process.exit(2);
}

const gc = globalThis.gc;
if (!gc) {
  console.error('run with --expose-gc (npm run bench does)');
  process.exit(2);
}

const mb = (bytes: number): number => bytes / 1048576;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const rate = (bars: number, ms: number): number => (bars * 1000) / ms;
const fmtRate = (r: number): string => `${(r / 1e6).toFixed(2)} M/s`;
const fmtMs = (ms: number): string => `${ms.toFixed(1)} ms`;
const nsPerBar = (ms: number, bars: number): string => `${((ms * 1e6) / bars).toFixed(0)} ns`;

function regression(ys: number[]): { slope: number; intercept: number } {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (ys[i]! - my);
    sxx += (i - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Compare the engine's last day with the hand loop's last day: counts and EMA columns must agree. */
function crossCheck(data: SessionData, hand: HandDayOutput): { ok: boolean; detail: string } {
  const symbols = data.symbols();
  let bars5 = 0;
  let bars15 = 0;
  let emaCompared = 0;
  let mismatches = 0;
  let maxDiff = 0;
  symbols.forEach((symbol, s) => {
    for (const [j, interval, column] of [[0, '5m', 'ema_9'], [1, '15m', 'ema_21']] as const) {
      const series = data.series(symbol, interval);
      const mine = hand.derived[j]![s]!;
      if (j === 0) bars5 += series.length;
      else bars15 += series.length;
      if (series.length !== mine.length) mismatches++;
      const col = series.column(column);
      for (let r = 0; r < Math.min(series.length, mine.length); r++) {
        if (series.close[r] !== mine.close[r] || series.volume[r] !== mine.volume[r] || series.partial[r] !== mine.partial[r]) mismatches++;
        const a = col[r]!;
        const b = mine.ema![r]!;
        if (Number.isNaN(a) !== Number.isNaN(b)) mismatches++;
        else if (!Number.isNaN(a)) {
          emaCompared++;
          maxDiff = Math.max(maxDiff, Math.abs(a - b));
        }
      }
    }
    const q = data.get(symbol)!.quality.get('1m');
    if (q && (q.present !== hand.present[0]![s] || q.expected !== hand.expected[0]![s])) mismatches++;
  });
  const ok = mismatches === 0 && maxDiff <= 1e-9;
  return { ok, detail: `${symbols.length} symbols, ${bars5} 5m + ${bars15} 15m bars, ${emaCompared} EMA values compared, max |diff| ${maxDiff.toExponential(1)}, ${mismatches} mismatches` };
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  mkdirSync(CACHE, { recursive: true });
  console.log(`sessionflow bench — node ${process.version}, ${SYMBOLS} symbols × ${SESSIONS} sessions (XNYS), history ${HISTORY} trailing session(s), ${LAYOUT} ${COMPRESSION} files, ${RUNS} timed runs + 1 warm-up`);
  const store = await ensureBenchStore(CACHE, SYMBOLS, SESSIONS, HISTORY, LAYOUT, undefined, COMPRESSION);
  console.log(`store: ${store.root} (${store.generated ? 'generated' : 'reused'}, ${fmtMs(store.generateMs)}) ${store.sessions[0]!.date} … ${store.sessions[store.sessions.length - 1]!.date}`);
  const config = benchConfig(store, HISTORY);
  const { plan, source, ms: planMs } = await planBench(config);
  console.log(`pipeline: streams 1m/5m/15m, EMA(9) on 5m, EMA(21) on 15m, quality, no strategies, speed 0 (data-driven); validation (planRun) ${fmtMs(planMs)}, ${plan.availability.found}/${plan.availability.checked} files found`);
  // The engine loads the history its indicators need; the hand loop must do the same work.
  if (plan.historySessions !== HISTORY) throw new Error(`the plan loads ${plan.historySessions} history sessions but the bench was asked for ${HISTORY}: run with --history ${plan.historySessions}`);
  const storeConfig: StoreConfig = plan.store;
  const allSessions = [...store.leading, ...store.sessions];

  // Warm-up (JIT, page cache) and the cross-check of results.
  const warm = await runSessionLoop(config, plan, source, { keepResult: true });
  const handWarm = await runHandLoopWithLoad(storeConfig, allSessions, HISTORY, store.symbols);
  const check = crossCheck(warm.result!.sessionData!, handWarm.last!);
  warm.result!.dispose();
  console.log(`cross-check engine vs hand loop (last day): ${check.ok ? 'OK' : 'MISMATCH'} — ${check.detail}`);
  if (warm.barsIn !== handWarm.barsIn) console.log(`WARNING: base bars differ: engine ${warm.barsIn}, hand ${handWarm.barsIn}`);

  // Heap: gc() at the end of every day.
  gc!();
  const heapBefore = process.memoryUsage().heapUsed;
  const heapRun = await runSessionLoop(config, plan, source, { gcPerDay: true });
  const heaps = heapRun.days.map((d) => d.heapUsed!);
  const threadHeaps = heapRun.days.map((d) => d.threadsHeapUsed);
  const rss = heapRun.days.map((d) => d.rss ?? 0);

  // Timed runs, engine and hand loop (with load) interleaved so drift hits both.
  const engineRuns: EngineRun[] = [];
  const handLoadRuns: HandRun[] = [];
  for (let r = 0; r < RUNS; r++) {
    gc!();
    engineRuns.push(await runSessionLoop(config, plan, source));
    gc!();
    handLoadRuns.push(await runHandLoopWithLoad(storeConfig, allSessions, HISTORY, store.symbols));
  }
  // The engine runs are done: release the decode threads they shared.
  source.close?.();
  // Hand loop excluding load: inputs loaded once, untimed.
  const inputs = await preloadHandInputs(storeConfig, allSessions, HISTORY, store.symbols);
  for (let w = 0; w < 3; w++) runHandLoopPreloaded(inputs); // warm-up (one call per day: tiering needs a few runs)
  const handRuns: HandRun[] = [];
  for (let r = 0; r < RUNS; r++) {
    gc!();
    handRuns.push(runHandLoopPreloaded(inputs));
  }

  const bars = engineRuns[0]!.barsIn;
  const eActive = median(engineRuns.map((r) => r.activeMs));
  const eInit = median(engineRuns.map((r) => r.initMs));
  const eInitActive = median(engineRuns.map((r) => r.initMs + r.activeMs));
  const eWall = median(engineRuns.map((r) => r.wallMs));
  const hProcess = median(handRuns.map((r) => r.processMs));
  const hLoadWall = median(handLoadRuns.map((r) => r.wallMs));
  const hLoadOnly = median(handLoadRuns.map((r) => r.loadMs));
  const hLoadProcess = median(handLoadRuns.map((r) => r.processMs));

  const figures = {
    engine: {
      excludingLoad: { label: 'base bars / Σ phaseMs.active', ms: eActive, barsPerSec: rate(bars, eActive), nsPerBar: (eActive * 1e6) / bars },
      includingLoad: { label: 'base bars / Σ (phaseMs.init + phaseMs.active)', ms: eInitActive, barsPerSec: rate(bars, eInitActive), nsPerBar: (eInitActive * 1e6) / bars },
      endToEnd: { label: 'base bars / wall time of result() (all 4 phases, scheduling, day results; validation excluded)', ms: eWall, barsPerSec: rate(bars, eWall) },
      endToEndWithValidation: { label: 'base bars / (planRun + result() wall)', ms: eWall + planMs, barsPerSec: rate(bars, eWall + planMs) },
      initMs: eInit,
      runs: engineRuns.map((r) => ({ activeMs: r.activeMs, initMs: r.initMs, wallMs: r.wallMs })),
    },
    hand: {
      excludingLoad: { label: 'base bars / process time on preloaded columns (EMA warm-up, drain, derive, EMA, quality)', ms: hProcess, barsPerSec: rate(bars, hProcess), nsPerBar: (hProcess * 1e6) / bars },
      includingLoad: { label: 'base bars / wall time of read + history aggregation + process', ms: hLoadWall, barsPerSec: rate(bars, hLoadWall), loadMs: hLoadOnly, processMs: hLoadProcess },
      runs: handRuns.map((r) => r.processMs),
      loadRuns: handLoadRuns.map((r) => ({ loadMs: r.loadMs, processMs: r.processMs, wallMs: r.wallMs })),
    },
    ratio: {
      excludingLoad: eActive / hProcess,
      includingLoad: eInitActive / hLoadWall,
      endToEnd: eWall / hLoadWall,
    },
    heap: undefined as unknown,
  };

  // Heap trend.
  const mbs = heaps.map(mb);
  const { slope } = regression(mbs);
  const meanMb = mbs.reduce((a, b) => a + b, 0) / mbs.length;
  const tail = mbs.slice(Math.min(3, mbs.length - 2));
  const tailSlope = tail.length >= 2 ? regression(tail).slope : slope;
  const flat = slope < FLAT_SLOPE * meanMb;
  // The decode threads' heaps (not in process.memoryUsage().heapUsed) and the whole process's
  // resident memory (column storage, read-ahead cache, wasm memory) must not grow either.
  const threadMbs = threadHeaps.every((x) => x !== undefined) ? threadHeaps.map((x) => mb(x!)) : undefined;
  const threadSlope = threadMbs ? regression(threadMbs).slope : 0;
  const threadMean = threadMbs ? threadMbs.reduce((a, b) => a + b, 0) / threadMbs.length : 0;
  const rssMbs = rss.map(mb);
  const rssSlope = regression(rssMbs).slope;
  const rssMean = rssMbs.reduce((a, b) => a + b, 0) / rssMbs.length;
  figures.heap = { perDayMB: mbs, threadsPerDayMB: threadMbs, threadsSlopeMBPerDay: threadSlope, rssPerDayMB: rssMbs, rssSlopeMBPerDay: rssSlope, slopeMBPerDay: slope, slopeFromDay4MBPerDay: tailSlope, meanMB: meanMb, firstMB: mbs[0], lastMB: mbs[mbs.length - 1], beforeRunMB: mb(heapBefore), afterDisposeMB: mb(heapRun.heapAfterDispose ?? 0), flatThresholdMBPerDay: FLAT_SLOPE * meanMb, flat };

  // Output.
  const t = cliTable({ head: ['', 'time (median)', 'base bars/s', 'per base bar', 'note'] });
  t.push(
    ['engine, excluding load', fmtMs(eActive), fmtRate(rate(bars, eActive)), nsPerBar(eActive, bars), 'Σ Phase 3 (active)'],
    ['engine, including load', fmtMs(eInitActive), fmtRate(rate(bars, eInitActive)), nsPerBar(eInitActive, bars), `Σ Phase 2+3 (init ${fmtMs(eInit)})`],
    ['engine, end to end', fmtMs(eWall), fmtRate(rate(bars, eWall)), nsPerBar(eWall, bars), 'wall of result(), all phases'],
    ['engine, end to end + validation', fmtMs(eWall + planMs), fmtRate(rate(bars, eWall + planMs)), nsPerBar(eWall + planMs, bars), `planRun ${fmtMs(planMs)} (once per run)`],
    ['hand loop, excluding load', fmtMs(hProcess), fmtRate(rate(bars, hProcess)), nsPerBar(hProcess, bars), 'preloaded columns'],
    ['hand loop, including load', fmtMs(hLoadWall), fmtRate(rate(bars, hLoadWall)), nsPerBar(hLoadWall, bars), `load ${fmtMs(hLoadOnly)} + process ${fmtMs(hLoadProcess)}`],
  );
  console.log(`\n${bars.toLocaleString('en-US')} base bars per run (${SYMBOLS} symbols × ${SESSIONS} sessions)`);
  console.log(t.toString());
  console.log(`engine runs (active / init / wall ms): ${engineRuns.map((r) => `${r.activeMs.toFixed(0)}/${r.initMs.toFixed(0)}/${r.wallMs.toFixed(0)}`).join('  ')}`);
  console.log(`hand runs (process ms): ${handRuns.map((r) => r.processMs.toFixed(1)).join('  ')}; with load (load/process ms): ${handLoadRuns.map((r) => `${r.loadMs.toFixed(0)}/${r.processMs.toFixed(0)}`).join('  ')}`);
  console.log(`ratio engine / hand loop: excluding load ${figures.ratio.excludingLoad.toFixed(2)}×, including load ${figures.ratio.includingLoad.toFixed(2)}×, end to end ${figures.ratio.endToEnd.toFixed(2)}×`);

  const h = cliTable({ head: ['day', 'date', 'heapUsed after gc (MB)', 'decode threads\' heaps (MB)', 'process RSS (MB)'] });
  heapRun.days.forEach((d, i) => h.push([String(i + 1), d.date, mbs[i]!.toFixed(2), threadMbs ? threadMbs[i]!.toFixed(2) : '—', rssMbs[i]!.toFixed(1)]));
  console.log('\nheap after each day (gc() in the day event handler; the finished day\'s SessionData is still intact at that point):');
  console.log(h.toString());
  console.log(`heap: first ${mbs[0]!.toFixed(2)} MB, last ${mbs[mbs.length - 1]!.toFixed(2)} MB, mean ${meanMb.toFixed(2)} MB, slope ${slope.toFixed(3)} MB/day (from day 4: ${tailSlope.toFixed(3)} MB/day); before run ${mb(heapBefore).toFixed(2)} MB, after dispose ${mb(heapRun.heapAfterDispose ?? 0).toFixed(2)} MB`);

  const verdicts = [
    { target: `excluding load >= ${TARGET_EXCL / 1e6} M base bars/s`, pass: rate(bars, eActive) >= TARGET_EXCL, value: `${fmtRate(rate(bars, eActive))} (Σ active ${fmtMs(eActive)})` },
    { target: `including load >= ${TARGET_INCL / 1e6} M base bars/s`, pass: rate(bars, eInitActive) >= TARGET_INCL, value: `${fmtRate(rate(bars, eInitActive))} (Σ init+active ${fmtMs(eInitActive)}); end to end ${fmtRate(rate(bars, eWall))}` },
    { target: `within ${TARGET_RATIO}× of the hand loop (excluding load)`, pass: figures.ratio.excludingLoad <= TARGET_RATIO, value: `${figures.ratio.excludingLoad.toFixed(2)}× (${fmtMs(eActive)} vs ${fmtMs(hProcess)})` },
    { target: `within ${TARGET_RATIO}× of the hand loop (including load)`, pass: figures.ratio.includingLoad <= TARGET_RATIO, value: `${figures.ratio.includingLoad.toFixed(2)}× (${fmtMs(eInitActive)} vs ${fmtMs(hLoadWall)})` },
    { target: `heap flat across days (slope < ${FLAT_SLOPE * 100}% of mean per day)`, pass: flat, value: `${slope.toFixed(3)} MB/day vs limit ${(FLAT_SLOPE * meanMb).toFixed(3)} MB/day (mean ${meanMb.toFixed(1)} MB)` },
    ...(threadMbs ? [{ target: `decode threads' heaps flat across days (slope < ${FLAT_SLOPE * 100}% of mean per day)`, pass: threadSlope < FLAT_SLOPE * threadMean, value: `${threadSlope.toFixed(3)} MB/day vs limit ${(FLAT_SLOPE * threadMean).toFixed(3)} MB/day (mean ${threadMean.toFixed(1)} MB)` }] : []),
    { target: `process RSS flat across days (slope < ${FLAT_SLOPE * 100}% of mean per day)`, pass: rssSlope < FLAT_SLOPE * rssMean, value: `${rssSlope.toFixed(3)} MB/day vs limit ${(FLAT_SLOPE * rssMean).toFixed(3)} MB/day (mean ${rssMean.toFixed(1)} MB, all threads, buffers and wasm memory)` },
    { target: 'engine and hand loop agree (last day)', pass: check.ok, value: check.detail },
  ];
  console.log('');
  for (const v of verdicts) console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.value}`);

  const out = join(CACHE, 'last.json');
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        setup: { symbols: SYMBOLS, sessions: SESSIONS, history: HISTORY, runs: RUNS, layout: LAYOUT, compression: COMPRESSION, store: store.root, from: store.sessions[0]!.date, to: store.sessions[store.sessions.length - 1]!.date, pipeline: 'streams 1m/5m/15m, ema_9 on 5m, ema_21 on 15m, quality, no strategies, speed 0' },
        baseBarsPerRun: bars,
        validationMs: planMs,
        ...figures,
        verdicts,
        benchWallMs: performance.now() - wallStart,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nfigures written to ${out} (bench wall ${((performance.now() - wallStart) / 1000).toFixed(1)} s)`);
}

await main();
