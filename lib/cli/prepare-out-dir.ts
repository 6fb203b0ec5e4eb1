import { existsSync, lstatSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError, quote } from '../errors.ts';

/** Files a run writes at the top of its folder whatever its components are. */
const RUN_FILES = ['summary.json', 'stats.json', 'report.html', 'days.ndjson', 'journal.ndjson'];
/** Leftovers of an interrupted atomic write (see writeFileAtomic and the Parquet writer). */
const TEMP_FILE = /\.tmp-\d+(-[0-9a-f]+)?$/;
const DATE_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

/** What {@link prepareOutDir} found and did. */
export interface PreparedOutDir {
  readonly path: string;
  /** Files of a previous run that `force` removed (empty without `force`). */
  readonly removed: readonly string[];
}

/**
 * Check `--out` before the first day, so an unusable folder fails in a second instead of after
 * the whole backtest: it must be a folder (or creatable: its nearest existing parent is a
 * writable folder), writable (a probe file is written and removed, which also catches
 * read-only mounts), and must not hold another run (`summary.json`, `stats.json`,
 * `report.html` or `sessions/`).
 *
 * With `resume`, the folder must exist and be writable, and its run is kept (`--resume`).
 *
 * With `force`, a previous run is cleared, carefully: only what a run writes is removed —
 * `summary.json`, `stats.json`, `report.html`, the tables and exported Parquet files the old
 * `summary.json` lists (when inside the folder), `sessions/<date>/…/*.parquet`,
 * `overlays/<date>/*.json` (the report's indicator lines), and temporary
 * files of interrupted writes; folders left empty under `sessions/` go too. Anything else in
 * the folder stays. A path that is a file, or a `summary.json` that is not a sessionflow
 * summary, is refused even with `force`: it is not a run folder.
 *
 * @throws ConfigError naming `--out`, the path and the reason.
 * @example
 * ```ts
 * prepareOutDir('/abs/runs/jan', { force: true }); // { path: '/abs/runs/jan', removed: [...] }
 * ```
 */
export function prepareOutDir(out: string, options: { force?: boolean; resume?: boolean } = {}): PreparedOutDir {
  const path = resolve(out);
  const refuse = (reason: string): ConfigError => new ConfigError(`--out ${quote(path)}: ${reason}`, [{ path: '--out', value: path, message: reason }]);
  const info = statOf(path);
  if (info === 'missing') {
    // Created when the first output is written; its nearest existing parent must allow that.
    let parent = dirname(path);
    let parentInfo = statOf(parent);
    while (parentInfo === 'missing' && dirname(parent) !== parent) parentInfo = statOf((parent = dirname(parent)));
    if (parentInfo !== 'missing' && !parentInfo.isDirectory()) throw refuse(`cannot create the folder: ${quote(parent)} is a file, not a folder`);
    probe(parent, (reason) => refuse(`cannot create the folder in ${quote(parent)}: ${reason}`));
    return { path, removed: [] };
  }
  if (!info.isDirectory()) throw refuse('is a file, not a folder (a run writes summary.json, tables and Parquet files into a folder); --force does not remove files that are not a run folder');
  probe(path, (reason) => refuse(`the folder is not writable: ${reason}`));
  // Resuming continues the run that is there: its files are what it goes on from.
  if (options.resume) return { path, removed: [] };
  const markers = [...RUN_FILES, 'sessions', 'overlays'].filter((name) => existsSync(join(path, name)));
  if (markers.length === 0) return { path, removed: [] };
  const summary = readSummary(join(path, 'summary.json'));
  if (summary === 'foreign') throw refuse(`holds a summary.json that is not a sessionflow run's; refusing to touch it (even with --force), choose another folder`);
  const what = summary ? `the run ${quote(summary.name ?? '(unnamed)')}, status ${summary.status ?? 'unknown'}` : `a run's ${markers.join(', ')}`;
  if (!options.force) throw refuse(`already holds ${what}; pass --force to replace it, or choose another --out`);
  return { path, removed: clearRun(path, summary) };
}

function statOf(path: string): Stats | 'missing' {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file; the caller walks up and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/** Write and remove a probe file: `access(W_OK)` misses read-only mounts, and answers yes to root for any folder. */
function probe(folder: string, fail: (reason: string) => ConfigError): void {
  const file = join(folder, `.sessionflow-probe-${process.pid}`);
  try {
    writeFileSync(file, '');
  } catch (error) {
    throw fail((error as Error).message);
  }
  rmSync(file, { force: true });
}

interface OldSummary {
  readonly name?: string;
  readonly status?: string;
  readonly tables?: unknown;
  readonly exported?: unknown;
}

function readSummary(file: string): OldSummary | undefined | 'foreign' {
  if (!existsSync(file)) return undefined;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'status' in json && 'totals' in json && 'days' in json) return json as OldSummary;
  } catch {
    // Not JSON: not ours.
  }
  return 'foreign';
}

function clearRun(root: string, summary: OldSummary | undefined): string[] {
  const inside = (file: string): boolean => {
    const rel = relative(root, file);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  const listed = [summary?.tables, summary?.exported].flatMap((list) => (Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : []));
  const targets = new Set<string>([...RUN_FILES.map((name) => join(root, name)), ...listed.map((f) => resolve(root, f)).filter(inside)]);
  for (const entry of readdirSync(root)) if (TEMP_FILE.test(entry)) targets.add(join(root, entry));
  // Exported SessionData (sessions/<date>/…/*.parquet) and the report's lines (overlays/<date>/*.json).
  const perDay: Array<[folder: string, extension: string]> = [
    [join(root, 'sessions'), '.parquet'],
    [join(root, 'overlays'), '.json'],
  ];
  for (const [folder, extension] of perDay) {
    if (!existsSync(folder) || !lstatSync(folder).isDirectory()) continue;
    for (const day of readdirSync(folder, { withFileTypes: true })) {
      if (!day.isDirectory() || !DATE_FOLDER.test(day.name)) continue;
      for (const entry of readdirSync(join(folder, day.name), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && (entry.name.endsWith(extension) || TEMP_FILE.test(entry.name))) targets.add(join(entry.parentPath, entry.name));
      }
    }
  }
  const removed: string[] = [];
  for (const file of [...targets].sort()) {
    if (!existsSync(file) || !lstatSync(file).isFile()) continue;
    rmSync(file);
    removed.push(file);
  }
  for (const [folder] of perDay) if (existsSync(folder)) removeEmptyFolders(folder);
  return removed;
}

/** Remove `folder` and its sub-folders that are (or became) empty; a folder with anything else in it stays. */
function removeEmptyFolders(folder: string): void {
  if (!lstatSync(folder).isDirectory()) return;
  for (const entry of readdirSync(folder)) removeEmptyFolders(join(folder, entry));
  if (readdirSync(folder).length === 0) rmdirSync(folder);
}
