import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { resolveLayout, type LayoutKey } from './layout.ts';
import type { StoreConfig } from './types.ts';

/**
 * Resolve a layout template to the files that hold `key`'s bars. A template without `*`
 * names one file (returned whether or not it exists, so a caller can say which file is
 * missing). A `*` in the file name — hive-partitioned stores written by DuckDB, Spark or
 * pyarrow name their part files freely (`part-0.parquet`, `data_0.parquet`, a UUID) — matches
 * every such file of the partition folder, sorted by name; a missing folder matches none.
 * `*` in a folder name is refused: it would make one key read several partitions.
 *
 * @example
 * ```ts
 * resolveLayoutFiles({ root: '/data', layout: '{interval}/symbol={symbol}/date={date}/*.parquet' },
 *   { symbol: 'SPY', interval: '1m', date: '2024-01-02' });
 * // { pattern: '/data/1m/symbol=SPY/date=2024-01-02/*.parquet', files: ['/data/1m/symbol=SPY/date=2024-01-02/data_0.parquet'] }
 * ```
 */
export function resolveLayoutFiles(store: Pick<StoreConfig, 'root' | 'layout'>, key: LayoutKey): { pattern: string; files: string[] } {
  const pattern = resolveLayout(store, key);
  if (!store.layout.includes('*')) return { pattern, files: [pattern] };
  const folder = path.dirname(pattern);
  const name = path.basename(pattern);
  if (folder.includes('*')) throw ConfigError.at('store.layout', store.layout, 'a "*" in the file name only (e.g. "symbol={symbol}/date={date}/*.parquet")');
  const matcher = new RegExp(`^${name.split('*').map(escapeRegExp).join('[^/]*')}$`);
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return { pattern, files: [] };
  }
  // Hidden and temporary files (".part-0.parquet.crc", "_SUCCESS") are writers' bookkeeping.
  const files = entries.filter((entry) => !entry.startsWith('.') && !entry.startsWith('_') && matcher.test(entry)).sort();
  return { pattern, files: files.map((entry) => path.join(folder, entry)) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
