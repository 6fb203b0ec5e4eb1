import { Logger, type ILogObj } from 'tslog';

/** Log levels by name, in tslog's numbering (0 silly … 6 fatal). */
export const LOG_LEVELS = { silly: 0, trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6, silent: 7 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

/**
 * The library-wide logger. Quiet by default (`warn`) so that embedding sessionflow in a
 * program prints nothing unexpected; the CLI raises it with `--log-level`.
 * Guard formatting inside loops with {@link isLogEnabled}: tslog evaluates arguments
 * even when the level is off (DESIGN §3).
 */
export const log: Logger<ILogObj> = new Logger<ILogObj>({
  name: 'sessionflow',
  minLevel: LOG_LEVELS.warn,
  type: 'pretty',
  prettyLogTemplate: '{{hh}}:{{MM}}:{{ss}}.{{ms}} {{logLevelName}} ',
  stylePrettyLogs: process.stderr.isTTY === true,
});

/** Set the minimum level of the shared logger. */
export function setLogLevel(level: LogLevel): void {
  log.settings.minLevel = LOG_LEVELS[level];
}

/** Whether a call at `level` would print; use it to skip building messages in hot loops. */
export function isLogEnabled(level: LogLevel): boolean {
  return LOG_LEVELS[level] >= log.settings.minLevel;
}
