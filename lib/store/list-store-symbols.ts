import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { readStoreManifest } from './import/store-manifest.ts';
import type { StoreConfig } from './types.ts';

/**
 * Every symbol a store holds at `interval`: the `store.json` manifest's list when there is
 * one, else the names found where the layout puts `{symbol}` — a folder level
 * (`{interval}/{symbol}/{yyyy}.parquet`, `symbol={symbol}/…`) or the file name
 * (`daily/{symbol}.parquet`). Sorted. A multi-symbol file cannot be listed without reading
 * it, so such a store needs a manifest (a {@link ConfigError} says so).
 *
 * @example
 * ```ts
 * listStoreSymbols({ root: '/data', layout: '{interval}/{symbol}/{yyyy}.parquet', timestamp: { column: 'ts', label: 'start' } }, '1m');
 * // ['AAPL', 'MSFT', 'SPY']
 * ```
 */
export function listStoreSymbols(store: Pick<StoreConfig, 'root' | 'layout'>, interval: string, fieldPath = 'universe'): string[] {
  const manifest = readStoreManifest(store.root);
  if (manifest && manifest.symbols.length > 0) return [...manifest.symbols].sort();
  const segments = store.layout.split('/');
  const at = segments.findIndex((s) => s.includes('{symbol}'));
  if (at < 0) throw ConfigError.at(fieldPath, 'store', `a store whose layout has {symbol} or whose store.json lists its symbols (layout ${JSON.stringify(store.layout)} holds several symbols per file)`);
  const parents = expand(store.root, segments.slice(0, at), interval);
  const segment = segments[at]!;
  const isFile = at === segments.length - 1;
  // The segment with {symbol} as a pattern: its other placeholders match anything.
  const [before, after] = segment.split('{symbol}') as [string, string];
  const matcher = new RegExp(`^${toPattern(before, interval)}(.+?)${toPattern(after, interval)}$`);
  const found = new Set<string>();
  for (const parent of parents) {
    for (const entry of safeList(parent)) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      if (isFile ? !entry.isFile() : !entry.isDirectory()) continue;
      const m = matcher.exec(entry.name);
      if (m) found.add(m[1]!);
    }
  }
  return [...found].sort();
}

/** The folders a layout's leading segments name, with `{interval}` filled in and other placeholders matching every folder. */
function expand(root: string, segments: readonly string[], interval: string): string[] {
  let folders = [root];
  for (const segment of segments) {
    if (!segment.includes('{')) {
      folders = folders.map((f) => path.join(f, segment));
      continue;
    }
    const filled = segment.replaceAll('{interval}', interval);
    if (!filled.includes('{')) {
      folders = folders.map((f) => path.join(f, filled));
      continue;
    }
    const matcher = new RegExp(`^${toPattern(filled, interval)}$`);
    folders = folders.flatMap((f) => safeList(f).filter((e) => e.isDirectory() && matcher.test(e.name)).map((e) => path.join(f, e.name)));
  }
  return folders;
}

function toPattern(text: string, interval: string): string {
  return text
    .replaceAll('{interval}', interval)
    .split(/\{[a-z]+\}|\*/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*?');
}

function safeList(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}
