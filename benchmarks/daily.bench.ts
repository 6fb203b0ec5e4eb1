/**
 * `npm run bench:daily`: a daily-bar backtest at scale — by default 500 symbols × 10 years
 * (2,520 XNYS sessions) of daily bars, the SMA(10)/SMA(20) crossover trading every symbol
 * through the broker. Reports the wall time of the run (validation included), sessions/s and
 * bars/s, and min/median/max over `--runs`.
 *
 * Options: --symbols N --years N --runs N --cache DIR
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getCalendar } from '../lib/calendar/get-calendar.ts';
import { writeParquetFile } from '../lib/store/parquet-writer.ts';
import { backtest } from '../pipelines/backtest.ts';

const { values: args } = parseArgs({
  options: {
    symbols: { type: 'string', default: '500' },
    years: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    cache: { type: 'string', default: '.cache/bench-daily' },
  },
});
const SYMBOLS = Number(args.symbols);
const YEARS = Number(args.years);
const RUNS = Math.max(1, Number(args.runs));
const START = '2014-01-02';
const END = `${2014 + YEARS - 1}-12-31`;
const HISTORY_FROM = '2013-10-01';

/** A deterministic random walk of daily bars per symbol, 00:00 UTC timestamps, one file each. */
async function ensureStore(root: string): Promise<void> {
  const marker = join(root, `.complete-${SYMBOLS}-${YEARS}`);
  if (existsSync(marker)) return;
  const sessions = getCalendar('XNYS').sessions(HISTORY_FROM, END);
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let s = 0; s < SYMBOLS; s++) {
    const n = sessions.length;
    const ts = new Float64Array(n);
    const open = new Float64Array(n);
    const high = new Float64Array(n);
    const low = new Float64Array(n);
    const close = new Float64Array(n);
    const volume = new Float64Array(n);
    let price = 20 + 200 * random();
    for (let i = 0; i < n; i++) {
      const o = price * (1 + (random() - 0.5) * 0.01);
      const c = o * (1 + (random() - 0.5) * 0.04);
      ts[i] = Date.parse(`${sessions[i]!.date}T00:00:00Z`);
      open[i] = Math.round(o * 100) / 100;
      close[i] = Math.round(c * 100) / 100;
      high[i] = Math.round(Math.max(o, c) * (1 + random() * 0.01) * 100) / 100 + 0.01;
      low[i] = Math.round(Math.min(o, c) * (1 - random() * 0.01) * 100) / 100 - 0.01;
      volume[i] = Math.round(1e5 + random() * 1e6);
      price = c;
    }
    await writeParquetFile(join(root, '1d', `S${String(s).padStart(4, '0')}.parquet`), { ts, open, high, low, close, volume }, { timestampColumns: ['ts'], int64Columns: ['volume'], compression: 'snappy' });
  }
  await mkdir(root, { recursive: true });
  await import('node:fs/promises').then((fs) => fs.writeFile(marker, ''));
}

async function main(): Promise<void> {
  const root = resolve(args.cache!, `store-${SYMBOLS}x${YEARS}`);
  const t0 = performance.now();
  await ensureStore(root);
  console.log(`sessionflow daily bench — node ${process.version}, ${SYMBOLS} symbols × ${YEARS} years of daily bars (${START} … ${END}), store ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const symbols = Array.from({ length: SYMBOLS }, (_, s) => `S${String(s).padStart(4, '0')}`);
  const walls: number[] = [];
  let sessions = 0;
  let bars = 0;
  let fills = 0;
  for (let r = 0; r < RUNS; r++) {
    globalThis.gc?.();
    const started = performance.now();
    const result = await backtest({
      name: 'daily-bench',
      backtest: { start: START, end: END },
      store: { root, layout: '{interval}/{symbol}.parquet', timestamp: { column: 'ts', unit: 'ms', label: 'start' } },
      symbols,
      streams: ['1d'],
      strategies: [{ name: 'daily-sma-crossover', params: { fast: 10, slow: 20, allocation: 1 / SYMBOLS } }],
      broker: { cash: 1_000_000, commission: { type: 'per-share', rate: 0.005, minimum: 1 } },
    }).result();
    walls.push(performance.now() - started);
    sessions = result.days.length;
    bars = result.days.reduce((n, d) => n + d.barsIn, 0);
    fills = result.days.reduce((n, d) => n + ((d.components.broker as { fills?: number } | undefined)?.fills ?? 0), 0);
    result.dispose();
    console.log(`run ${r + 1}: ${(walls.at(-1)! / 1000).toFixed(1)} s`);
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  console.log(`${sessions} sessions, ${bars} daily bars, ${fills} fills per run`);
  console.log(`wall (min/median/max): ${(sorted[0]! / 1000).toFixed(1)} / ${(median / 1000).toFixed(1)} / ${(sorted.at(-1)! / 1000).toFixed(1)} s; ${((sessions * 1000) / median).toFixed(0)} sessions/s, ${((bars * 1000) / median / 1e3).toFixed(0)} k bars/s (median)`);
}

await main();
