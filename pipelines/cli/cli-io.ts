/** Somewhere a command writes text: `process.stdout`, `process.stderr`, or a caller's buffer. */
export interface CliOutput {
  write(text: string): unknown;
}

/**
 * Where one CLI invocation writes. Every command gets it passed down instead of reaching
 * for `console` or `process.stdout`, so `main` can run in-process with its output captured
 * (spec/helpers/cli.ts) and several invocations can run side by side without sharing state.
 */
export interface CliIo {
  /** Results: tables, reports, `--json` documents. */
  readonly stdout: CliOutput;
  /** Errors, warnings and logs, so that `--json` output on stdout stays machine-readable. */
  readonly stderr: CliOutput;
  /**
   * A terminal for progress bars, which need cursor control rather than plain text; absent
   * (no progress bars) when stderr is not a TTY.
   */
  readonly terminal?: NodeJS.WriteStream;
}

/**
 * The process's own streams: what the `sessionflow` bin uses and `main`'s default.
 *
 * @example
 * ```ts
 * const io = processIo();
 * io.stdout.write('hello\n');
 * ```
 */
export function processIo(): CliIo {
  // The stream objects, not bound `write` functions: a caller that replaces
  // process.stdout.write later is still honoured.
  return { stdout: process.stdout, stderr: process.stderr, ...(process.stderr.isTTY ? { terminal: process.stderr } : {}) };
}
