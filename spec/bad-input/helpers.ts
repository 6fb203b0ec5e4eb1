/**
 * Shared assertions of the bad-input matrix (issue 15, point 7): every case feeds a real
 * file to a real entry point and checks the exit code and that the answer names the file,
 * the field and the value — and never consists of a stack trace.
 */
import type { ExecutionContext } from 'ava';
import type { CliResult } from '../helpers/cli.ts';

/** A V8 stack frame line (`    at fn (file:1:2)`): never part of a user-facing message. */
const FRAME = /^\s{4}at /m;

/**
 * `result` ended with `code`, wrote nothing to stdout, no stack frame to stderr, and stderr
 * names each of `names` (file, JSON path or column, offending value).
 */
export function refused(t: ExecutionContext, result: CliResult, code: number, names: readonly string[]): void {
  t.is(result.code, code, result.stderr);
  t.false(FRAME.test(result.stderr), `a stack trace in:\n${result.stderr}`);
  // Warnings logged on the way may come first; the answer itself is an `error:` line.
  t.true(/^error: /m.test(result.stderr), result.stderr);
  for (const name of names) t.true(result.stderr.includes(name), `stderr does not name ${JSON.stringify(name)}:\n${result.stderr}`);
}

/** The one JSON object a `--json` invocation printed on stdout (no stack trace on stderr). */
export function jsonAnswer<T = Record<string, unknown>>(t: ExecutionContext, result: CliResult): T {
  t.false(FRAME.test(result.stderr), `a stack trace in:\n${result.stderr}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    t.fail(`stdout is not one JSON document:\n${result.stdout}`);
  }
  t.true(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed), result.stdout);
  return parsed as T;
}

/** No stack frame in `text`. */
export function noStack(t: ExecutionContext, text: string): void {
  t.false(FRAME.test(text), `a stack trace in:\n${text}`);
}
