/**
 * `npm run bench:read-paths`: what each byte-level read path of `ParquetFile` costs on a
 * full-year file (issue "Fast at every scale", point 7: keep each path only with a figure
 * that shows it pays). One symbol's 2024 file of the bench store (a row group per session,
 * 2.7 MB snappy), decoding the bar columns of 1, 5, 21 (history + a day + the read-ahead) and
 * all row groups into Arrow IPC, through:
 *
 * - `cut footer` (compactImage): the chosen chunks copied behind a footer cut down to them;
 * - `whole file`: every byte read, the decoder told which row groups;
 * - `ranged reads` (parquet-wasm `ParquetFile.fromFile`): the decoder reads through a Blob;
 * - `hyparquet`: the pure-JS fallback reader, to objects.
 *
 * Min / median / max per read over `--runs` repetitions (default 30) after a warm-up, all in
 * one process, paths interleaved. The private methods are called directly (a benchmark).
 * A sixth path, a zero-filled image of a small file with only the chosen chunks read in, was
 * removed after this benchmark showed it no faster than reading the small file whole.
 *
 * Options: --runs N --cache DIR; READ_PATHS_YEAR=2025 reads the store's small 2025 file
 * (0.4 MB, 33 row groups) instead.
 */
import { openAsBlob, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import { lazyParquet } from '../lib/store/lazy-parquet.ts';
import { ParquetFile } from '../lib/store/parquet-file.ts';
import { ensureBenchStore } from './bench-store.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '30' }, cache: { type: 'string', default: '.cache/bench' } } });
const RUNS = Math.max(3, Number(args.runs));
const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'];

interface Internals {
  compactImage(rowGroups: readonly number[]): Uint8Array | undefined;
}

async function main(): Promise<void> {
  const store = await ensureBenchStore(resolve(args.cache!), 1, 250, 2, 'yearly');
  const path = `${store.root}/1m/${store.symbols[0]}/${process.env.READ_PATHS_YEAR ?? 2024}.parquet`;
  const file = await ParquetFile.open(path, { prefetchSmall: false });
  file.timeRanges('ts', 'ms');
  const groups = file.rowGroupRows.length;
  const inner = file as unknown as Internals;
  const wasm = lazyParquet.wasm();
  const ranged = await wasm.ParquetFile.fromFile(await openAsBlob(path));
  const hyparquet = lazyParquet.hyparquet();
  const bytes = readFileSync(path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = hyparquet.parquetMetadata(buffer);
  const paths: Record<string, (rowGroups: number[]) => Promise<unknown>> = {
    'cut footer': async (rg) => wasm.readParquet(inner.compactImage(rg)!, { columns: COLUMNS }).intoIPCStream(),
    'whole file': async (rg) => wasm.readParquet(readFileSync(path), { rowGroups: rg, columns: COLUMNS }).intoIPCStream(),
    'ranged reads': async (rg) => (await ranged.read({ rowGroups: rg, columns: COLUMNS })).intoIPCStream(),
    hyparquet: async (rg) => {
      const out: unknown[] = [];
      for (const g of rg) {
        const rowStart = file.rowGroupRows.slice(0, g).reduce((a, b) => a + b, 0);
        out.push(await hyparquet.parquetReadObjects({ file: buffer, metadata, columns: COLUMNS, rowStart, rowEnd: rowStart + file.rowGroupRows[g]!, compressors: lazyParquet.compressors() }));
      }
      return out;
    },
  };
  // Runs of consecutive row groups from the middle of the file.
  const run = (count: number): number[] => Array.from({ length: Math.min(count, groups) }, (_, i) => Math.max(0, Math.floor(groups / 2) - 10) + i).filter((g) => g < groups);
  const sizes: Array<[string, number[]]> = [
    ['1 session', run(1)],
    ['5 sessions', run(5)],
    ['21 sessions', run(21)],
    [`all ${groups}`, Array.from({ length: groups }, (_, i) => i)],
  ];
  const table = cliTable({ head: ['path', ...sizes.map(([name]) => `${name}: ms (min / median / max)`)] });
  const times = new Map<string, number[][]>(Object.keys(paths).map((p) => [p, sizes.map(() => [])]));
  for (let r = -2; r < RUNS; r++) {
    for (const [s, [, rowGroups]] of sizes.entries()) {
      for (const [name, read] of Object.entries(paths)) {
        // hyparquet over every row group takes seconds: measured on the smaller reads only.
        if (name === 'hyparquet' && rowGroups.length > 21) continue;
        const t0 = performance.now();
        await read(rowGroups);
        if (r >= 0) times.get(name)![s]!.push(performance.now() - t0);
      }
    }
  }
  const fmt = (values: number[]): string => {
    if (values.length === 0) return '—';
    const sorted = [...values].sort((a, b) => a - b);
    return `${sorted[0]!.toFixed(2)} / ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} / ${sorted.at(-1)!.toFixed(2)}`;
  };
  for (const [name, bySize] of times) table.push([name, ...bySize.map(fmt)]);
  console.log(`byte-level read paths on ${path} (${(bytes.length / 1e6).toFixed(1)} MB, ${groups} row groups), ${RUNS} runs each, interleaved`);
  console.log(table.toString());
  ranged.free();
}

await main();
