import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { Logger, type ILogObj } from 'tslog';

/** Log levels by name, lowest first; `silent` turns logging off. */
export const LOG_LEVELS = { silly: 0, trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6, silent: 7 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

// Where log lines of the current async context go (see withLogOutput); none: console.error.
const outputs = new AsyncLocalStorage<(text: string) => void>();

// Logs go to stderr (console.error) so `--json` output on stdout stays machine-readable.
// Only lines that are printed pay for the context lookup, never the level checks.
const toStderr = (...args: unknown[]): void => {
  const write = outputs.getStore();
  if (write) write(`${format(...args)}\n`);
  else console.error(...args);
};

/**
 * The library-wide logger. Quiet by default (`warn`) so that embedding sessionflow in a
 * program prints nothing unexpected; the CLI raises it with `--log-level`.
 * Guard formatting inside loops with {@link isLogEnabled}: arguments are evaluated even
 * when the level is off (DESIGN §3).
 */
export const log: Logger<ILogObj> = new Logger<ILogObj>({
  name: 'sessionflow',
  minLevel: LOG_LEVELS.warn,
  type: 'pretty',
  pretty: { template: '{{hh}}:{{MM}}:{{ss}}.{{ms}} {{logLevelName}} ', levelMethod: { '*': toStderr } },
});

let current: LogLevel = 'warn';

/** Set the minimum level of the shared logger. */
export function setLogLevel(level: LogLevel): void {
  current = level;
  log.settings.minLevel = LOG_LEVELS[level];
}

/**
 * Run `fn` with the log lines it causes, synchronously or in any async continuation it starts,
 * written to `write` instead of stderr. The level stays shared ({@link setLogLevel}); only the
 * destination is per call, so concurrent callers (the CLI run in-process by tests) each get
 * their own lines.
 *
 * @example
 * ```ts
 * let text = '';
 * await withLogOutput((line) => (text += line), () => backtest('session.json').result());
 * ```
 */
export function withLogOutput<T>(write: (text: string) => void, fn: () => T): T {
  return outputs.run(write, fn);
}

/** Whether a call at `level` would print; use it to skip building messages in hot loops. */
export function isLogEnabled(level: LogLevel): boolean {
  return LOG_LEVELS[level] >= LOG_LEVELS[current];
}
