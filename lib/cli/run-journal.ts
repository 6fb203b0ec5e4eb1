import { appendFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionConfig } from '../config/schema.ts';
import { ConfigError, DataError, quote } from '../errors.ts';
import type { DayResult } from '../session/results.ts';

/** The journal's file name in a run's `--out` folder. */
export const JOURNAL_FILE = 'journal.ndjson';
const FORMAT = 'sessionflow-run-journal';
const VERSION = 1;

/** The journal's first line: what run it records. */
export interface JournalHeader {
  readonly format: typeof FORMAT;
  readonly version: number;
  /** The package version that wrote it. */
  readonly package: string;
  /** The validated config the run used. */
  readonly config: SessionConfig;
  /** The plan's trading dates, in order. */
  readonly sessions: readonly string[];
}

/** A journal read back: its header and every day that finished, in order. */
export interface JournalContents {
  readonly header: JournalHeader;
  readonly days: readonly DayResult[];
  /** Bytes of a last line cut short by a kill (dropped). */
  readonly droppedBytes: number;
}

/**
 * The run's journal, `OUT/journal.ndjson`: a header line, then one line per finished day
 * (its whole DayResult, carry included), appended as each day ends. A run killed at any
 * point, even with `kill -9`, leaves every finished day on disk, and `sessionflow run
 * --resume OUT` continues from the last one with the components' carry. Non-finite numbers
 * are tagged so a day reads back exactly as it was (JSON has no NaN), which keeps a resumed
 * run's statistics identical to an uninterrupted one's.
 *
 * Appends are plain writes (no fsync): they survive the process being killed, which is
 * what resuming is for, not the machine losing power.
 *
 * @example
 * ```ts
 * const journal = RunJournal.create('runs/jan', { format: 'sessionflow-run-journal', version: 1, package: '0.3.0', config, sessions });
 * journal.append(day);
 * const { days } = RunJournal.read('runs/jan');
 * ```
 */
export class RunJournal {
  readonly file: string;

  private constructor(file: string) {
    this.file = file;
  }

  /** Start a journal in `out` (replacing one there). */
  static create(out: string, header: Omit<JournalHeader, 'format' | 'version'>): RunJournal {
    const file = join(out, JOURNAL_FILE);
    writeFileSync(file, `${encode({ format: FORMAT, version: VERSION, ...header })}\n`);
    return new RunJournal(file);
  }

  /**
   * Read `out`'s journal: the header and the finished days. A last line without its newline
   * (the process died while writing it) is dropped and cut from the file, so appends go on
   * from a clean end.
   *
   * @throws DataError naming the file and line when it is missing, not a journal, or damaged before its end.
   */
  static read(out: string): JournalContents {
    const file = join(out, JOURNAL_FILE);
    if (!existsSync(file)) throw new DataError(`${file}: no run journal here, nothing to resume (a run writes one into its --out folder as days finish)`, { file });
    const text = readFileSync(file, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, end).split('\n').slice(0, -1);
    const droppedBytes = Buffer.byteLength(text.slice(end));
    if (lines.length === 0) throw new DataError(`${file}: the journal is empty (the run was killed before it started); start the run again instead of resuming`, { file });
    const parse = (line: string, n: number): unknown => {
      try {
        return decode(line);
      } catch (error) {
        throw new DataError(`${file}:${n}: not a journal line (${(error as Error).message})`, { file }, { cause: error });
      }
    };
    const header = parse(lines[0]!, 1) as Partial<JournalHeader>;
    if (header?.format !== FORMAT) throw new DataError(`${file}:1: not a sessionflow run journal (format ${quote(header?.format)})`, { file });
    if (header.version !== VERSION) throw new DataError(`${file}:1: journal version ${quote(header.version)}; this sessionflow reads version ${VERSION}`, { file });
    const days = lines.slice(1).map((line, i) => {
      const day = parse(line, i + 2) as Partial<DayResult>;
      if (typeof day?.date !== 'string') throw new DataError(`${file}:${i + 2}: a journal line without a day's date`, { file });
      return day as DayResult;
    });
    if (droppedBytes > 0) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
    return { header: header as JournalHeader, days, droppedBytes };
  }

  /** Continue `out`'s journal (after {@link read}). */
  static reopen(out: string): RunJournal {
    return new RunJournal(join(out, JOURNAL_FILE));
  }

  /** Forget the last day recorded (it will run again): the file is cut after the line before it. */
  dropLastDay(): void {
    const text = readFileSync(this.file, 'utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    // Never the header: a journal with only its header has no day to drop.
    if (text.indexOf('\n') + 1 >= text.length) return;
    truncateSync(this.file, Buffer.byteLength(text.slice(0, lastStart)));
  }

  /** Record a finished day (one line, appended). */
  append(day: DayResult): void {
    appendFileSync(this.file, `${encode(day)}\n`);
  }
}

/**
 * Check that a journal records the run `config` would make now: the same validated config
 * and the same sessions. A resumed run that differed would splice two backtests together.
 *
 * @throws ConfigError naming the first field that differs, with both values.
 */
export function checkJournalMatches(header: JournalHeader, config: SessionConfig, sessions: readonly string[], file: string): void {
  const difference = firstDifference(header.config, config, 'config');
  if (difference) throw new ConfigError(`${file}: the journal records another config: ${difference.path} was ${quote(difference.was)}, now ${quote(difference.now)}; resume with the config the run started with, or start a new run`, [{ path: difference.path, value: difference.now, message: `was ${quote(difference.was)} in the journal` }], file);
  const before = header.sessions.join(',');
  if (before !== sessions.join(',')) throw new ConfigError(`${file}: the journal's sessions (${header.sessions.length}, ${header.sessions[0]}..${header.sessions.at(-1)}) are not the plan's now (${sessions.length}, ${sessions[0]}..${sessions.at(-1)}): the calendar or the data changed; start a new run`, [], file);
}

function firstDifference(was: unknown, now: unknown, path: string): { path: string; was: unknown; now: unknown } | undefined {
  if (Object.is(was, now)) return undefined;
  if (typeof was !== 'object' || typeof now !== 'object' || was === null || now === null || Array.isArray(was) !== Array.isArray(now)) return { path, was, now };
  const keys = new Set([...Object.keys(was), ...Object.keys(now)]);
  for (const key of keys) {
    const a = (was as Record<string, unknown>)[key];
    const b = (now as Record<string, unknown>)[key];
    // JSON drops undefined: a missing key and an undefined one are the same config.
    if (a === undefined && b === undefined) continue;
    const found = firstDifference(a, b, Array.isArray(was) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

// JSON has no NaN, ±Infinity or undefined: a day read back with null in their place (or a
// property gone) would differ from the day the run had, and a resumed run's statistics and
// tables (whose columns come from the rows' keys) would differ from an uninterrupted run's.
// They are written as tags and put back after parsing.
const NON_FINITE = '$nonFinite';
const UNDEFINED = '$undefined';

function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === undefined ? { [UNDEFINED]: 1 } : typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v));
}

function decode(line: string): unknown {
  return restore(JSON.parse(line));
}

/** Put tagged values back in place (a reviver cannot: returning undefined deletes the key). */
function restore(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const tag = (value as Record<string, unknown>)[keys[0]!];
      if (keys[0] === NON_FINITE && typeof tag === 'string') return Number(tag);
      if (keys[0] === UNDEFINED && tag === 1) return undefined;
    }
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = restore(record[key]);
  return value;
}
