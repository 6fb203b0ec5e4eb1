import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { StoreConfig } from './types.ts';

const PLACEHOLDERS = new Set(['symbol', 'interval', 'yyyy', 'mm', 'dd', 'date']);
const TOKEN = /\{([^{}]*)\}/g;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Templates that passed {@link checkTemplate} (a few per process). */
const validTemplates = new Set<string>();

/** What a layout template is filled with. `date` is the exchange-local trading date. */
export interface LayoutKey {
  readonly symbol: string;
  readonly interval: string;
  readonly date: string;
}

/**
 * Throw a {@link ConfigError} naming the first unknown placeholder or stray brace, so a typo
 * such as `{symbl}` fails at validation instead of as "no data file" on every day.
 */
function checkTemplate(layout: unknown): asserts layout is string {
  // Checked once per template: a run resolves a path for every read and asks layoutIsPerDay
  // for every symbol and day.
  if (typeof layout === 'string' && validTemplates.has(layout)) return;
  if (typeof layout !== 'string' || layout.length === 0) throw ConfigError.at('store.layout', layout, 'a non-empty path template');
  for (const match of layout.matchAll(TOKEN)) {
    const name = match[1] ?? '';
    if (!PLACEHOLDERS.has(name)) {
      throw ConfigError.at('store.layout', layout, `known placeholders only ({symbol}, {interval}, {yyyy}, {mm}, {dd}, {date}); unknown placeholder {${name}}`);
    }
  }
  if (/[{}]/.test(layout.replace(TOKEN, ''))) throw ConfigError.at('store.layout', layout, 'balanced {placeholder} braces');
  if (path.isAbsolute(layout)) throw ConfigError.at('store.layout', layout, 'a path relative to store.root');
  if (validTemplates.size < 64) validTemplates.add(layout);
}

/**
 * Whether each file of this layout holds a single trading day (it uses `{date}` or `{dd}`).
 * Per-day files need only a `stat` for availability; coarser files need their footer.
 *
 * @example
 * ```ts
 * layoutIsPerDay('{interval}/{symbol}/{yyyy}.parquet'); // false
 * ```
 */
export function layoutIsPerDay(layout: string): boolean {
  checkTemplate(layout);
  return layout.includes('{date}') || layout.includes('{dd}');
}

/**
 * Resolve a store's layout template to the absolute path of the file holding `symbol`'s
 * `interval` bars on trading date `date`. Throws a {@link ConfigError} for an unknown
 * placeholder, a relative root, a malformed date, or a symbol/interval that would escape the
 * store root (a symbol such as `../x` must never read files outside it).
 *
 * @example
 * ```ts
 * resolveLayout({ root: '/data', layout: '{interval}/{symbol}/{yyyy}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } },
 *   { symbol: 'SPY', interval: '1m', date: '2013-10-07' });
 * // '/data/1m/SPY/2013/2013-10-07.parquet'
 * ```
 */
export function resolveLayout(store: Pick<StoreConfig, 'root' | 'layout'>, key: LayoutKey): string {
  if (typeof store.root !== 'string' || !path.isAbsolute(store.root)) throw ConfigError.at('store.root', store.root, 'an absolute folder path');
  checkTemplate(store.layout);
  const date = DATE.exec(key.date);
  if (!date) throw ConfigError.at('date', key.date, 'a trading date "YYYY-MM-DD"');
  for (const field of ['symbol', 'interval'] as const) {
    const value = key[field];
    if (typeof value !== 'string' || value.length === 0 || value === '.' || value === '..' || /[/\\\0]/.test(value)) {
      throw ConfigError.at(field, value, 'a non-empty name without path separators');
    }
  }
  const values: Record<string, string> = {
    symbol: key.symbol,
    interval: key.interval,
    yyyy: date[1]!,
    mm: date[2]!,
    dd: date[3]!,
    date: key.date,
  };
  const relative = store.layout.replace(TOKEN, (_, name: string) => values[name]!);
  const root = path.resolve(store.root);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) throw ConfigError.at('store.layout', store.layout, `a template that stays inside ${root}`);
  return file;
}
