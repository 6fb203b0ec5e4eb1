import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { listStoreSymbols } from '../store/list-store-symbols.ts';
import type { SessionConfig } from './schema.ts';

/** A universe as written in a config: symbols, a file of symbols, or every symbol of the store. */
export type UniverseSpec = NonNullable<SessionConfig['universe']>;

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._\-/^=]*$/;

/**
 * The symbols of a universe, resolved once before the first day: a config list as it is; a
 * file (one symbol per line or comma-separated, `#` starts a comment) read and checked line
 * by line; `"store"` listed from the store (its manifest, or the folders/files the layout
 * names). Problems name the file, line and value.
 *
 * @example
 * ```ts
 * resolveUniverse({ file: '/cfg/universe.txt' }, config, 'scanners[0].universe'); // ['AAPL', 'MSFT', …]
 * ```
 */
export function resolveUniverse(spec: UniverseSpec, config: SessionConfig, path: string, baseInterval: string): string[] {
  if (spec === 'store') {
    const symbols = listStoreSymbols(config.store, baseInterval, path);
    if (symbols.length === 0) throw ConfigError.at(path, 'store', `a store holding symbols (none found under ${config.store.root} for layout ${JSON.stringify(config.store.layout)})`);
    return symbols;
  }
  if (Array.isArray(spec)) return [...spec];
  const file = (spec as { file: string }).file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ConfigError.at(`${path}.file`, file, `a readable file of symbols (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
  }
  const symbols: string[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const raw of line.replace(/#.*/, '').split(/[,\s]+/)) {
      const symbol = raw.trim();
      if (symbol === '') continue;
      if (!SYMBOL.test(symbol)) problems.push(`${file}:${i + 1}: ${JSON.stringify(symbol)} is not a symbol`);
      else if (!seen.has(symbol)) {
        seen.add(symbol);
        symbols.push(symbol);
      }
    }
  });
  if (problems.length > 0) throw new ConfigError(`${path}.file: ${problems.length} bad entr${problems.length === 1 ? 'y' : 'ies'}:\n  ${problems.slice(0, 10).join('\n  ')}`, problems.map((message) => ({ path: `${path}.file`, message, value: file })), file);
  if (symbols.length === 0) throw ConfigError.at(`${path}.file`, file, 'a file listing at least one symbol');
  return symbols;
}
