/**
 * Store load benchmark (issue #4, point 7): load ONE session of many symbols from per-symbol
 * yearly files (a row group per session) with ParquetBarReader, next to DuckDB reading the
 * same rows in the same process; bytes taken from disk against the files' size; memory held
 * after the load against the session's rows and the store's size.
 *
 *   npm run bench:store -- --symbols 500 --sessions 60 --runs 5
 *
 * The store is generated once into .cache/bench-store/ (demo generator, seed 7) and reused.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { ParquetBarReader } from '../lib/store/bar-reader.ts';
import { PARQUET_IO } from '../lib/store/parquet-file.ts';
import { ensureBenchStore } from './bench-store.ts';

const { values: args } = parseArgs({
  options: {
    symbols: { type: 'string', default: '500' },
    sessions: { type: 'string', default: '60' },
    runs: { type: 'string', default: '5' },
    'duckdb-threads': { type: 'string', default: '1' },
  },
});
const symbolCount = Number(args.symbols);
const sessionCount = Number(args.sessions);
const runs = Number(args.runs);
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

const store = await ensureBenchStore(resolve('.cache/bench-store'), symbolCount, sessionCount, 0, 'yearly');
if (store.generated) console.log(`generated ${symbolCount} symbols x ${sessionCount} sessions in ${(store.generateMs / 1000).toFixed(1)} s`);
const session = store.sessions[Math.floor(store.sessions.length / 2)]!;
const files = store.symbols.map((symbol) => join(store.root, '1m', symbol, `${session.date.slice(0, 4)}.parquet`));
const storeBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
const window = { from: session.open, to: session.close, date: session.date };
/** Full collections with a turn of the event loop between, so freed ArrayBuffers are counted as freed. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolveTurn) => setTimeout(resolveTurn, 20));
  }
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ParquetBarReader, warm footers (as in a run: validation has already read them).
const reader = new ParquetBarReader({ root: store.root, layout: store.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } }, { footerCacheSize: symbolCount + 16 });
for (const symbol of store.symbols) await reader.exists(symbol, '1m', session.date, session.open, session.close);
const ours: number[] = [];
let rows = 0;
let bytesRead = 0;
let rowGroupsRead = 0;
let rowGroupsTotal = 0;
for (let run = 0; run < runs; run++) {
  gc();
  PARQUET_IO.bytesRead = 0;
  const started = performance.now();
  const results = await reader.loadSymbols(store.symbols, '1m', window);
  ours.push(performance.now() - started);
  bytesRead = PARQUET_IO.bytesRead;
  rows = 0;
  rowGroupsRead = 0;
  rowGroupsTotal = 0;
  for (const r of results) {
    if (!r.ok) throw r.error;
    rows += r.loaded.bars.length;
    rowGroupsRead += r.loaded.rowGroupsRead;
    rowGroupsTotal += r.loaded.rowGroupsTotal;
  }
}

// Memory: what one loaded session keeps alive, against its rows and the store's size.
// Measured by dropping the results (wasm memory never shrinks, so growth alone would mislead).
let held: Awaited<ReturnType<typeof reader.loadSymbols>> | undefined = await reader.loadSymbols(store.symbols, '1m', window);
await settle();
const withSession = process.memoryUsage();
if (held.length !== store.symbols.length) throw new Error('lost results');
held = undefined;
await settle();
const without = process.memoryUsage();
const retained = withSession.heapUsed + withSession.arrayBuffers - (without.heapUsed + without.arrayBuffers);
const sessionBytes = rows * 6 * 8;

// DuckDB in the same process over the same files and rows, materialised into a table.
const instance = await DuckDBInstance.create(':memory:', { threads: String(args['duckdb-threads']) });
const con = await instance.connect();
await con.run("SET TimeZone = 'UTC'");
const list = `[${files.map((f) => `'${f}'`).join(', ')}]`;
const sql = `CREATE OR REPLACE TEMP TABLE s AS SELECT ts, open, high, low, close, volume FROM read_parquet(${list}) WHERE ts >= TIMESTAMPTZ '${new Date(session.open).toISOString()}' AND ts < TIMESTAMPTZ '${new Date(session.close).toISOString()}'`;
await con.run(sql); // warm: DuckDB caches file metadata too
const duck: number[] = [];
let duckRows = 0;
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  await con.run(sql);
  duck.push(performance.now() - started);
  duckRows = Number((await con.runAndReadAll('SELECT count(*) FROM s')).getRows()[0]![0]);
}
if (duckRows !== rows) throw new Error(`DuckDB read ${duckRows} rows, ParquetBarReader ${rows}: not the same work`);

const oursMs = median(ours);
const duckMs = median(duck);
const ratio = oursMs / duckMs;
const table = cliTable({ head: ['', 'ParquetBarReader', `DuckDB (${args['duckdb-threads']} thread)`] });
table.push(
  ['ms per session (median)', oursMs.toFixed(1), duckMs.toFixed(1)],
  ['rows/s', `${((rows / oursMs) * 1000 / 1e6).toFixed(2)} M`, `${((rows / duckMs) * 1000 / 1e6).toFixed(2)} M`],
  ['rows', rows, duckRows],
);
console.log(`session ${session.date}, ${symbolCount} symbols, per-symbol yearly files of ${sessionCount} sessions, ${runs} runs`);
console.log(table.toString());
console.log(`bytes read: ${(bytesRead / 1e6).toFixed(2)} MB of ${(storeBytes / 1e6).toFixed(2)} MB in the files (${((100 * bytesRead) / storeBytes).toFixed(1)}%); row groups read ${rowGroupsRead} of ${rowGroupsTotal}`);
console.log(`memory held by one loaded session: ${(retained / 1e6).toFixed(2)} MB for ${rows} rows (${(sessionBytes / 1e6).toFixed(2)} MB of columns); store files ${(storeBytes / 1e6).toFixed(1)} MB; process RSS at the end ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (DuckDB, the wasm heap and 500 cached footers included)`);
console.log(`ParquetBarReader / DuckDB = ${ratio.toFixed(2)}x (target <= 2x): ${ratio <= 2 ? 'PASS' : 'FAIL'}`);
