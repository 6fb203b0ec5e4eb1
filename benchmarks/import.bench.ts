/**
 * `npm run bench:import`: import throughput of `sessionflow import` (issue #4, point 7).
 *
 * Generates (once, into `.cache/bench-import/`) one symbol's year of 1-minute bars as a
 * generic CSV — every XNYS session of the year, 04:00–20:00 ET (extended hours included, as
 * vendors deliver them), ISO 8601 timestamps with offset — then imports it into a fresh
 * per-symbol yearly store `--runs` times (default 3) and prints the median rows/s, the
 * Parquet file size, and the time of an idempotent re-import (nothing rewritten).
 *
 * Options: --year YYYY --runs N --cache DIR
 */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import moment from 'moment-timezone';
import { getCalendar } from '../lib/calendar/get-calendar.ts';
import { importBars, type ImportReport } from '../lib/store/import/import-bars.ts';

const { values: args } = parseArgs({
  options: {
    year: { type: 'string', default: '2024' },
    runs: { type: 'string', default: '3' },
    cache: { type: 'string', default: '.cache/bench-import' },
  },
});
const YEAR = Number(args.year);
const RUNS = Math.max(1, Number(args.runs));
const CACHE = resolve(args.cache);
const CSV = join(CACHE, `BENCH_${YEAR}_1m.csv`);

/** Write the CSV (a seeded random walk) unless it exists; returns its row count. */
async function ensureCsv(): Promise<number> {
  const sessions = getCalendar('XNYS').sessions(`${YEAR}-01-01`, `${YEAR}-12-31`);
  const rowsPerDay = 16 * 60;
  if (existsSync(CSV)) return sessions.length * rowsPerDay;
  mkdirSync(CACHE, { recursive: true });
  const out = createWriteStream(`${CSV}.tmp`);
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  let price = 400;
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((done) => out.once('drain', () => done())));
  await write('timestamp,open,high,low,close,volume\n');
  for (const session of sessions) {
    // 04:00 ET of the session's date and its offset, once per day.
    const start = moment.tz(`${session.date}T04:00:00`, 'America/New_York');
    const offset = start.format('Z');
    const first = start.valueOf();
    let chunk = '';
    for (let i = 0; i < rowsPerDay; i++) {
      const t = first + i * 60_000;
      const local = new Date(t + start.utcOffset() * 60_000).toISOString().slice(0, 19);
      const open = price;
      const close = Math.max(1, Math.round((open * (1 + (random() - 0.5) * 0.002)) * 100) / 100);
      const high = Math.round((Math.max(open, close) + random() * 0.05) * 100) / 100;
      const low = Math.round((Math.min(open, close) - random() * 0.05) * 100) / 100;
      price = close;
      chunk += `${local}${offset},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${Math.floor(random() * 50_000)}\n`;
    }
    await write(chunk);
  }
  await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
  const { rename } = await import('node:fs/promises');
  await rename(`${CSV}.tmp`, CSV);
  return sessions.length * rowsPerDay;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows = await ensureCsv();
const csvBytes = statSync(CSV).size;
console.log(`input ${CSV}: ${rows.toLocaleString('en-US')} rows, ${(csvBytes / 1e6).toFixed(1)} MB`);
const times: number[] = [];
let report: ImportReport | undefined;
for (let run = 0; run < RUNS; run++) {
  const store = join(CACHE, `store-${run}`);
  await rm(store, { recursive: true, force: true });
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  report = await importBars({ inputs: [CSV], store, interval: '1m', symbol: 'BENCH' });
  times.push(performance.now() - started);
  if (report.rowsAccepted !== rows) throw new Error(`imported ${report.rowsAccepted} of ${rows} rows`);
}
const again = performance.now();
const repeat = await importBars({ inputs: [CSV], store: join(CACHE, `store-${RUNS - 1}`), interval: '1m', symbol: 'BENCH' });
const againMs = performance.now() - again;
const file = report!.files[0]!;
const ms = median(times);
console.log(`import runs (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
console.log(`median ${ms.toFixed(0)} ms → ${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s (${(csvBytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s of CSV)`);
console.log(`output ${file.path}: ${(file.bytes / 1e6).toFixed(2)} MB, ${file.rowGroups} row groups (one per session), ${(file.bytes / rows).toFixed(1)} bytes/row`);
console.log(`idempotent re-import: ${againMs.toFixed(0)} ms, files rewritten: ${repeat.files.filter((f) => f.written).length}`);
for (let run = 0; run < RUNS; run++) await rm(join(CACHE, `store-${run}`), { recursive: true, force: true });
