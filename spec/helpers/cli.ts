/**
 * Helpers for driving the `sessionflow` CLI (spec/cli): `runCli` calls `main` in this process
 * with its own captured io, so invocations are cheap and may run concurrently; `runBin`
 * spawns the bin's source under tsx (~1 s of start-up), kept for the one smoke test; the
 * compiled bin of the packed tarball is tested in spec/package.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { OutputFs } from '../../lib/cli/write-file-atomic.ts';
import type { CliIo } from '../../pipelines/cli/cli-io.ts';
import { main } from '../../pipelines/cli/main.ts';
import { RunJournal } from '../../lib/cli/run-journal.ts';
import type { DayResult } from '../../lib/session/results.ts';

/** The repository root (the bin is run with this as its working directory). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The bin's source, run as `node --import tsx pipelines/cli/sessionflow.ts`. */
export const BIN = join(REPO_ROOT, 'pipelines/cli/sessionflow.ts');

/** How an in-process invocation ended. */
export interface CliResult {
  /** The exit code `main` resolved with. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Handed to `main`: aborting it interrupts `run` as Ctrl-C does (default: never aborted). */
  readonly signal?: AbortSignal;
  /** Called after every write to stderr with everything written so far, e.g. to interrupt at a log line. */
  readonly onStderr?: (stderr: string) => void;
  /** Handed to `main`: the file-system calls `run` writes its outputs with (to simulate a full disk). */
  readonly outputFs?: OutputFs;
}

/**
 * Run `sessionflow ...args` in this process: `main` with an io of its own, so concurrent
 * calls do not mix their output. Relative paths resolve against the process's working
 * directory (the repository root under AVA), as they would for the bin. Colour codes are
 * stripped: cli-table3 decides on colour from the process's environment (TERM, FORCE_COLOR),
 * not from where the table is written, and the specs read text, as the bin under NO_COLOR
 * prints it.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runCli(['validate', 'session.json']);
 * ```
 */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        options.onStderr?.(stderr);
      },
    },
  };
  // Always a signal of our own: without one, `run` would listen for the test process's SIGINT.
  const code = await main(['node', 'sessionflow', ...args], io, { signal: options.signal ?? new AbortController().signal, ...(options.outputFs ? { outputFs: options.outputFs } : {}) });
  return { code, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) };
}

/** How the spawned bin ended. */
export interface BinResult {
  /** Exit code, or `null` when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ENV = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

/**
 * Run `node --import tsx pipelines/cli/sessionflow.ts ...args` in a child process to completion. Only for
 * proving that the bin itself works; everything else goes through {@link runCli}.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runBin(['--version']);
 * ```
 */
export function runBin(args: readonly string[], options: { cwd?: string } = {}): Promise<BinResult> {
  return new Promise((done) => {
    // No kill timeout: a slow start on a busy machine is not a failure (AVA's own timeout still applies).
    execFile(process.execPath, ['--import', 'tsx', BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: ENV, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ code, signal: (error?.signal as NodeJS.Signals | undefined) ?? null, stdout, stderr });
    });
  });
}

/** The finished days of the run written into `out` (`OUT/days.ndjson`; summary.json only points to them). */
export function runDays(out: string): DayResult[] {
  return [...RunJournal.days(out)];
}
