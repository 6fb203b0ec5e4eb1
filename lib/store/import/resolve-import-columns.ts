import { basename } from 'node:path';
import { ConfigError } from '../../errors.ts';
import type { ImportField, ImportPreset } from './import-presets.ts';

/** Column positions (−1 = absent) of one source file, resolved once per file. */
export interface ImportColumns {
  readonly preset: ImportPreset;
  /** A combined timestamp column, or −1 when `date` and `time` are used. */
  readonly timestamp: number;
  readonly date: number;
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** The symbol column, or −1 when `fixedSymbol` applies to every row. */
  readonly symbol: number;
  readonly fixedSymbol: string | undefined;
  /** Columns a row needs (highest used position + 1). */
  readonly width: number;
}

/** The user's column choices that override a preset. */
export interface ColumnChoices {
  /** Source column (case-insensitive) → field. */
  readonly map?: Readonly<Record<string, ImportField>> | undefined;
  readonly symbol?: string | undefined;
  readonly symbolColumn?: string | undefined;
}

const REQUIRED = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Find each field's column in a file's header (or a header-less preset's names): `map`
 * entries first, then the preset's accepted names in order. The symbol is `symbol` if given,
 * else `symbolColumn`, else the preset's symbol column, else the file name for presets that
 * name files by symbol.
 *
 * @throws ConfigError naming the file, the missing fields and the columns it has.
 * @example
 * ```ts
 * const cols = resolveImportColumns('spy.csv', IMPORT_PRESETS.generic, ['timestamp', 'open', 'high', 'low', 'close', 'volume'], { symbol: 'SPY' });
 * cols.close; // 4
 * ```
 */
export function resolveImportColumns(file: string, preset: ImportPreset, header: readonly string[], options: ColumnChoices): ImportColumns {
  const names = header.map((h) => h.trim().toLowerCase());
  const mapped = new Map<ImportField, number>();
  for (const [source, field] of Object.entries(options.map ?? {})) {
    const index = names.indexOf(source.trim().toLowerCase());
    if (index < 0) throw ConfigError.at('map', `${source}=${field}`, `a column of ${file} (${header.join(', ')})`);
    mapped.set(field, index);
  }
  const find = (field: ImportField): number => mapped.get(field) ?? (preset.columns[field] ?? []).reduce((found, name) => (found >= 0 ? found : names.indexOf(name)), -1);
  const missing: string[] = [];
  const at = Object.fromEntries(REQUIRED.map((f) => [f, find(f)])) as Record<(typeof REQUIRED)[number], number>;
  for (const f of REQUIRED) if (at[f] < 0) missing.push(f);
  let timestamp = find('timestamp');
  let date = -1;
  let time = -1;
  if (timestamp < 0) {
    date = find('date');
    time = find('time');
    // A lone date or time column holds the whole timestamp.
    if (date < 0 || time < 0) {
      timestamp = Math.max(date, time);
      date = -1;
      time = -1;
    }
  }
  if (timestamp < 0 && date < 0) missing.push('timestamp (or date and time)');
  if (missing.length > 0) {
    throw ConfigError.at('columns', header.join(','), `the ${preset.name} preset's columns; missing ${missing.join(', ')} in ${file} (use --map column=field or --format)`);
  }
  let symbol = -1;
  let fixedSymbol = options.symbol;
  if (fixedSymbol === undefined) {
    if (options.symbolColumn !== undefined) {
      symbol = names.indexOf(options.symbolColumn.trim().toLowerCase());
      if (symbol < 0) throw ConfigError.at('symbolColumn', options.symbolColumn, `a column of ${file} (${header.join(', ')})`);
    } else {
      symbol = find('symbol');
      if (symbol < 0 && preset.symbolFromFileName) fixedSymbol = basename(file).replace(/(\.[A-Za-z0-9]+)+$/, '');
      if (symbol < 0 && fixedSymbol === undefined) throw ConfigError.at('symbol', undefined, `--symbol or --symbol-column: ${file} has no symbol column (${header.join(', ')})`);
    }
  }
  const used = [timestamp, date, time, at.open, at.high, at.low, at.close, at.volume, symbol];
  return { preset, timestamp, date, time, ...at, symbol, fixedSymbol, width: Math.max(...used) + 1 };
}
