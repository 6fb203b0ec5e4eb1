import { appendFileSync, closeSync, existsSync, openSync, readSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionConfig } from '../config/schema.ts';
import { ConfigError, DataError, quote } from '../errors.ts';
import type { DayResult } from '../session/results.ts';

/** The journal's file name in a run's `--out` folder: every finished day, one per line. */
export const JOURNAL_FILE = 'days.ndjson';
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

/** What resuming needs of a journal, read with one day in memory at a time. */
export interface JournalScan {
  readonly header: JournalHeader;
  /** The finished days' dates, in order. */
  readonly dates: readonly string[];
  /** The last finished day (its carry continues the run). */
  readonly last: DayResult | undefined;
  /** Bytes of a last line cut short by a kill (dropped, and cut from the file). */
  readonly droppedBytes: number;
}

/** A journal read back: its header and every day that finished, in order. */
export interface JournalContents {
  readonly header: JournalHeader;
  readonly days: readonly DayResult[];
  /** Bytes of a last line cut short by a kill (dropped). */
  readonly droppedBytes: number;
}

/**
 * The run's journal, `OUT/days.ndjson`: a header line, then one line per finished day
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
    const days: DayResult[] = [];
    const scan = RunJournal.scan(out, (day) => void days.push(day));
    return { header: scan.header, days, droppedBytes: scan.droppedBytes };
  }

  /**
   * Read `out`'s journal one day at a time (what resuming needs: the dates, the last day), so
   * a ten-year run resumes without holding ten years of days; each day is also handed to
   * `visit`. A last line without its newline (the process died while writing it) is dropped
   * and cut from the file, so appends go on from a clean end.
   *
   * @throws DataError naming the file and line when it is missing, not a journal, or damaged before its end.
   */
  static scan(out: string, visit?: (day: DayResult) => void): JournalScan {
    const file = join(out, JOURNAL_FILE);
    const dates: string[] = [];
    let last: DayResult | undefined;
    const reader = journalEntries(file);
    let step = reader.next();
    const header = step.done ? undefined : (step.value as JournalHeader);
    for (step = reader.next(); !step.done; step = reader.next()) {
      const day = step.value as DayResult;
      dates.push(day.date);
      last = day;
      visit?.(day);
    }
    const droppedBytes = step.value;
    if (droppedBytes > 0) truncateSync(file, statSync(file).size - droppedBytes);
    return { header: header!, dates, last, droppedBytes };
  }

  /**
   * Every finished day of the journal in `out`, read from disk one at a time (the file is not
   * changed; a last line cut short is skipped): how a run's outputs are written without the
   * run's days in memory, and how a user reads a run's per-day detail.
   *
   * @example
   * ```ts
   * for (const day of RunJournal.days('runs/jan')) console.log(day.date, day.barsIn);
   * ```
   */
  static *days(out: string): Generator<DayResult, void, undefined> {
    const reader = journalEntries(join(out, JOURNAL_FILE));
    reader.next(); // the header, checked by journalEntries
    for (let step = reader.next(); !step.done; step = reader.next()) yield step.value as DayResult;
  }

  /** Continue `out`'s journal (after {@link read}). */
  static reopen(out: string): RunJournal {
    return new RunJournal(join(out, JOURNAL_FILE));
  }

  /** Forget the last day recorded (it will run again): the file is cut after the line before it (read from the end, not whole). */
  dropLastDay(): void {
    const size = statSync(this.file).size;
    const fd = openSync(this.file, 'r');
    try {
      const chunk = Buffer.allocUnsafe(1 << 16);
      // The newline ending the line before the last one (the last byte is the last line's own).
      for (let end = size - 1; end > 0; ) {
        const from = Math.max(0, end - chunk.length);
        const read = readSync(fd, chunk, 0, end - from, from);
        const nl = chunk.subarray(0, read).lastIndexOf(10);
        // With only the header there is no newline before its own: nothing to drop.
        if (nl !== -1) return void truncateSync(this.file, from + nl + 1);
        end = from;
      }
    } finally {
      closeSync(fd);
    }
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

/**
 * The journal's header, then its days, checked; returns the bytes of a last line cut short.
 * Read in 1 MB chunks: lines are split on bytes, so a multi-byte character across a chunk
 * boundary decodes whole, and a day of any size is one line.
 */
function* journalEntries(file: string): Generator<JournalHeader | DayResult, number, undefined> {
  if (!existsSync(file)) throw new DataError(`${file}: no run journal here, nothing to resume (a run writes one into its --out folder as days finish)`, { file });
  const parse = (line: string, n: number): unknown => {
    try {
      return decode(line);
    } catch (error) {
      throw new DataError(`${file}:${n}: not a journal line (${(error as Error).message})`, { file }, { cause: error });
    }
  };
  let n = 0;
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    // The start of a line that continues in the next chunk(s).
    let pending: Buffer[] = [];
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1 && nl < read; nl = chunk.indexOf(10, start)) {
        const line = pending.length > 0 ? Buffer.concat([...pending, chunk.subarray(start, nl)]).toString('utf8') : chunk.toString('utf8', start, nl);
        pending = [];
        start = nl + 1;
        n++;
        const value = parse(line, n);
        if (n === 1) {
          const header = value as Partial<JournalHeader>;
          if (header?.format !== FORMAT) throw new DataError(`${file}:1: not a sessionflow run journal (format ${quote(header?.format)})`, { file });
          if (header.version !== VERSION) throw new DataError(`${file}:1: journal version ${quote(header.version)}; this sessionflow reads version ${VERSION}`, { file });
          yield header as JournalHeader;
        } else {
          if (typeof (value as Partial<DayResult>)?.date !== 'string') throw new DataError(`${file}:${n}: a journal line without a day's date`, { file });
          yield value as DayResult;
        }
      }
      // The chunk buffer is reused: keep a copy of the unfinished line.
      if (start < read) pending.push(Buffer.from(chunk.subarray(start, read)));
    }
    if (n === 0) throw new DataError(`${file}: the journal is empty (the run was killed before it started); start the run again instead of resuming`, { file });
    return pending.reduce((bytes, b) => bytes + b.length, 0);
  } finally {
    closeSync(fd);
  }
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
