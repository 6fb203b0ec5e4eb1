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
  /**
   * Whether results may carry colour (ANSI escape codes): only when stdout is a terminal and
   * `NO_COLOR` is not set (https://no-color.org). Absent means no colour.
   */
  readonly color?: boolean;
}

/**
 * The process's own streams: what the `sessionflow` bin uses and `main`'s default. A reader
 * that goes away (`sessionflow calendar XNYS | head -1`) is not an error: the first EPIPE marks
 * the stream closed and later writes to it are dropped, so the command ends quietly with its
 * own exit code (a run still writes its files) instead of crashing with a stack trace.
 * Colour follows the terminal and `NO_COLOR` (see CliIo.color).
 *
 * @example
 * ```ts
 * const io = processIo();
 * io.stdout.write('hello\n');
 * ```
 */
export function processIo(): CliIo {
  const noColor = (process.env.NO_COLOR ?? '') !== '';
  // Looked up on every write, not bound once: a caller that replaces process.stdout.write
  // later is still honoured.
  return {
    stdout: pipeSafe(() => process.stdout),
    stderr: pipeSafe(() => process.stderr),
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
    color: Boolean(process.stdout.isTTY) && !noColor,
  };
}

/** Streams whose reader went away (EPIPE); writes to them are dropped. */
const closed = new WeakSet<NodeJS.WriteStream>();
const guarded = new WeakSet<NodeJS.WriteStream>();

function pipeSafe(stream: () => NodeJS.WriteStream): CliOutput {
  return {
    write: (text: string) => {
      const s = stream();
      if (!guarded.has(s)) {
        guarded.add(s);
        s.on('error', (error: NodeJS.ErrnoException) => {
          // A closed pipe, or a write after it: the reader has what it wanted.
          if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed.add(s);
          // Anything else keeps Node's behaviour for an unhandled stream error.
          else throw error;
        });
      }
      if (closed.has(s)) return false;
      return s.write(text);
    },
  };
}
