/**
 * Temp folders, small demo stores, session configs and Parquet read-back for the config
 * and CLI specs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from '@uwdata/flechette';
import { readParquet } from 'parquet-wasm';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { Session } from '../../lib/calendar/types.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { DEMO_DAILY_LAYOUT, generateDemoStore, type DemoStoreSummary } from '../../lib/store/demo-data.ts';

/**
 * A fresh temp folder removed when the test ends.
 *
 * @example
 * ```ts
 * const dir = await tempDir(t);
 * ```
 */
export async function tempDir(t: { teardown(fn: () => Promise<void>): void }, prefix = 'sessionflow-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** `count` consecutive XNYS sessions starting at `start` (or the next session after it). */
export function xnysSessions(start: string, count: number): Session[] {
  const calendar = getCalendar('XNYS');
  const sessions = [calendar.session(start) ?? calendar.nextSession(start)];
  while (sessions.length < count) sessions.push(calendar.nextSession(sessions.at(-1)!.date));
  return sessions;
}

/**
 * Generate a small daily-layout demo store (`DEMO01`…) under `root`. By default the last
 * symbol misses the middle session (see generateDemoStore).
 *
 * @example
 * ```ts
 * const store = await makeDemoStore(join(dir, 'store'), { symbols: 2, start: '2024-01-02', sessions: 3 });
 * ```
 */
export async function makeDemoStore(root: string, options: { symbols: number; start: string; sessions: number; missingDay?: boolean }): Promise<DemoStoreSummary & { dates: string[] }> {
  const sessions = xnysSessions(options.start, options.sessions);
  const summary = await generateDemoStore({ out: root, symbols: options.symbols, sessions, missingDaySymbol: options.missingDay ?? true });
  return { ...summary, dates: sessions.map((s) => s.date) };
}

/** The daily demo file of one symbol and date, relative to the store root. */
export function demoFile(root: string, symbol: string, date: string): string {
  return join(root, '1m', symbol, date.slice(0, 4), date.slice(5, 7), `${date}.parquet`);
}

/**
 * A valid session config over a demo store at `storeRoot` (relative to the config file's
 * folder), merged with `overrides` (top-level keys replace).
 */
export function demoConfig(storeRoot: string, overrides: Partial<SessionConfigInput> & Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'spec',
    backtest: { start: '2024-01-02', end: '2024-01-04' },
    store: { root: storeRoot, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', unit: 'ms', label: 'start' } },
    symbols: ['DEMO01', 'DEMO02'],
    streams: ['1m', '5m'],
    ...overrides,
  };
}

/** Write `value` as pretty JSON to `file`; returns `file`. */
export async function writeJson(file: string, value: unknown): Promise<string> {
  await writeFile(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}

/** Read a JSON file. */
export async function readJson<T = Record<string, unknown>>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** A Parquet file read back: column names in order, row count, and one column as numbers. */
export async function readParquetTable(file: string): Promise<{ names: string[]; rows: number; column(name: string): unknown[] }> {
  const table = tableFromIPC(readParquet(new Uint8Array(await readFile(file))).intoIPCStream());
  return {
    names: table.schema.fields.map((f) => f.name),
    rows: table.numRows,
    column: (name) => Array.from(table.getChild(name).toArray() as ArrayLike<unknown>),
  };
}
