import { statSync } from 'node:fs';
import { getCalendar } from '../calendar/get-calendar.ts';
import { parseInterval } from '../calendar/interval.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import { closestName } from '../registry.ts';
import { listStoreSymbols } from '../store/list-store-symbols.ts';
import { probeSampleFile, type ExpectedDates } from '../store/probe-store.ts';
import { resolveLayoutFiles } from '../store/resolve-layout-files.ts';
import type { SessionConfig } from './schema.ts';

/** Sample-file candidates tried (stat calls) before giving up: a store missing its first days still finds one, a 500-symbol store is not walked. */
const MAX_CANDIDATES = 200;
const DAY = 86_400_000;

/**
 * The whole-run mistakes a config can make about its store, found before the first day: each
 * would otherwise give a run that "succeeds" with zero bars or reads wrong ones. Checked, and
 * returned together as {@link ConfigProblem}s with JSON paths:
 *
 * - `store.root` is missing or not a folder;
 * - the layout has no `{symbol}` and no `store.columns.symbol` while the config has several
 *   symbols (every symbol would get the same file's bars);
 * - the layout finds no symbol at all, or a configured symbol is not in the store (with a
 *   "did you mean" from the store's own list, case included: `spy` → `SPY`);
 * - one sample file (the first the run reads) lacks a configured column, has one of the wrong
 *   type, or has plain-number timestamps whose unit is off by orders of magnitude (naming the
 *   unit that fits the file's dates).
 *
 * Cheap on big stores: symbols come from directory or file names (or store.json), and only
 * one file's footer is opened.
 *
 * @example
 * ```ts
 * const problems = await storeProblems(readConfigFile('session.json'));
 * // [{ path: 'symbols[0]', value: 'spy', message: 'the store has no symbol "spy" at 1m (did you mean "SPY"?) …' }]
 * ```
 */
export async function storeProblems(config: SessionConfig): Promise<ConfigProblem[]> {
  const { store } = config;
  const root = store.root;
  let kind: string;
  try {
    const stat = statSync(root);
    kind = stat.isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    kind = code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : (code ?? String(error));
  }
  // Without a root folder every other store check would only repeat "nothing found".
  if (kind !== 'folder') {
    const why = kind === 'missing' ? 'no such folder' : kind === 'file' ? 'it is a file, not a folder' : `cannot read it (${kind})`;
    return [{ path: 'store.root', value: root, expected: 'an existing folder holding the store', message: `store root ${root}: ${why}` }];
  }
  const problems: ConfigProblem[] = [];
  const base = config.streams.map((s) => parseInterval(s)).sort((a, b) => a.ms - b.ms)[0]!.name;
  const layoutPath = store.layouts?.[base] !== undefined ? `store.layouts.${base}` : 'store.layout';
  const layout = store.layouts?.[base] ?? store.layout;
  const perSymbol = layout.includes('{symbol}');
  if (!perSymbol && store.columns?.symbol === undefined && config.symbols.length > 1) {
    problems.push({
      path: layoutPath,
      value: layout,
      expected: 'a layout with {symbol}, or store.columns.symbol naming the symbol column of multi-symbol files',
      message: `layout ${JSON.stringify(layout)} has no {symbol} and store.columns.symbol is not set, so all ${config.symbols.length} symbols (${list(config.symbols)}) would get the same file's bars; put {symbol} in the layout or set store.columns.symbol`,
    });
  }
  let held: string[] | undefined;
  try {
    held = perSymbol || store.columns?.symbol !== undefined ? listStoreSymbols({ root, layout }, base, 'symbols') : undefined;
  } catch (error) {
    // A multi-symbol layout without store.json cannot be listed without reading every file.
    if (!(error instanceof ConfigError)) throw error;
  }
  if (held !== undefined && held.length === 0) {
    problems.push({ path: layoutPath, value: layout, expected: `a layout matching the files under ${root}`, message: `no ${base} data under ${root} matches layout ${JSON.stringify(layout)} (no {symbol} ${layout.split('/').at(-1)!.includes('{symbol}') ? 'files' : 'folders'} found), so the run would read nothing` });
    return problems;
  }
  if (held !== undefined) {
    const have = new Set(held);
    config.symbols.forEach((symbol, i) => {
      if (have.has(symbol)) return;
      const guess = held.find((s) => s.toLowerCase() === symbol.toLowerCase()) ?? closestName(symbol, held);
      problems.push({
        path: `symbols[${i}]`,
        value: symbol,
        expected: `a symbol the store holds (${list(held)})`,
        message: `the store has no symbol ${JSON.stringify(symbol)} at ${base}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; it holds ${held.length} symbol${held.length === 1 ? '' : 's'}: ${list(held)}`,
      });
    });
  }
  const sample = sampleFile(config, layout, base, held);
  // Daily bars without 1d files are derived from the 1m files, so only intraday bases count.
  if (sample === 'none' && parseInterval(base).sessions === 0) {
    // Every file the run would read is missing. With a store.json the symbol list comes from
    // the manifest, not the folders, so a layout that matches nothing got this far: the run
    // would read zero bars while validate called it valid.
    const first = firstCandidate(config, layout, base, held);
    problems.push({ path: layoutPath, value: layout, expected: `a layout matching the files under ${root}`, message: `no ${base} file of ${list(config.symbols)} in the backtest's sessions matches layout ${JSON.stringify(layout)} under ${root}${first ? ` (looked for ${first}, …)` : ''}, so the run would read nothing` });
  } else if (sample && sample !== 'none') problems.push(...(await probeSampleFile(sample.file, store, expectedDates(layout, sample.date))));
  return problems;
}

/** The first file the run would look for (to quote in a message), if the layout resolves at all. */
function firstCandidate(config: SessionConfig, layout: string, interval: string, held: readonly string[] | undefined): string | undefined {
  const symbol = (held === undefined ? config.symbols : config.symbols.filter((s) => held.includes(s)))[0] ?? config.symbols[0]!;
  try {
    return resolveLayoutFiles({ root: config.store.root, layout }, { symbol, interval, date: config.backtest.start }).files[0];
  } catch {
    return undefined;
  }
}

/**
 * The first existing file the run will read: configured symbols the store holds, in order, on
 * the backtest's sessions, in order. `'none'` when every candidate was looked at and none
 * exists (nothing to read at all); `undefined` when it could not tell (too many candidates, a
 * bad calendar or template, no symbol the store holds).
 */
function sampleFile(config: SessionConfig, layout: string, interval: string, held: readonly string[] | undefined): { file: string; date: string } | 'none' | undefined {
  let dates: string[];
  try {
    dates = getCalendar(config.calendar).sessions(config.backtest.start, config.backtest.end).map((s) => s.date);
  } catch {
    return undefined; // a bad calendar is reported by the components' checks
  }
  if (dates.length === 0) return undefined; // a range without sessions is planning's error
  const have = new Set(held);
  const symbols = held === undefined ? config.symbols : config.symbols.filter((s) => have.has(s));
  const tried = new Set<string>();
  let found = false;
  for (const symbol of symbols) {
    for (const date of dates) {
      if (tried.size >= MAX_CANDIDATES) return undefined;
      let files: string[];
      try {
        files = resolveLayoutFiles({ root: config.store.root, layout }, { symbol, interval, date }).files;
      } catch {
        return undefined; // a bad template is the layout's own problem
      }
      for (const file of files) {
        if (tried.has(file)) continue;
        tried.add(file);
        try {
          const stat = statSync(file);
          if (stat.isFile()) return { file, date };
          // A folder named like a file is reported per day by the availability check.
          found = true;
        } catch {
          // missing: try the next day or symbol
        }
      }
      // A `*` in the template resolves to the files present, so an empty list is not "missing".
      if (layout.includes('*')) found = true;
    }
  }
  return symbols.length > 0 && !found ? 'none' : undefined;
}

/**
 * The dates a file of `layout` resolved for `date` should hold: the day for per-day files, the
 * month or year for coarser ones (a few days' slack for time zones and labels), and a broad
 * 1980–2100 span for files without a date in their name. Units off by a factor of 1000 land
 * in 1970 or beyond the year 50000, far outside any of them.
 */
function expectedDates(layout: string, date: string): ExpectedDates {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const slack = 3 * DAY;
  if (layout.includes('{date}') || layout.includes('{dd}')) return { from: Date.UTC(y, m - 1, d) - slack, to: Date.UTC(y, m - 1, d + 1) + slack, label: `${date} (the file's date)` };
  if (layout.includes('{mm}')) return { from: Date.UTC(y, m - 1, 1) - slack, to: Date.UTC(y, m, 1) + slack, label: `${date.slice(0, 7)} (the file's month)` };
  if (layout.includes('{yyyy}')) return { from: Date.UTC(y, 0, 1) - slack, to: Date.UTC(y + 1, 0, 1) + slack, label: `${y} (the file's year)` };
  return { from: Math.min(Date.UTC(1980, 0, 1), Date.UTC(y - 1, 0, 1)), to: Math.max(Date.UTC(2100, 0, 1), Date.UTC(y + 2, 0, 1)), label: `the years 1980-2100 (around the backtest's ${date})` };
}

/** Up to 10 names, then how many more. */
function list(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')}, … (${names.length - 10} more)`;
}
