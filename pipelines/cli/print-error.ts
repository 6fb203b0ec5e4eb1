import { ConfigError, SessionflowError } from '../../lib/errors.ts';
import { isLogEnabled } from '../../lib/log.ts';

/**
 * Print an error for a person: the message (which names file, field, value, phase, date)
 * and, for config errors, one line per problem. The stack only at `--log-level debug`.
 *
 * @example
 * ```ts
 * try { readConfigFile(path); } catch (e) { printError(e); }
 * ```
 */
export function printError(error: unknown): void {
  if (error instanceof ConfigError) {
    console.error(`error: ${error.message}`);
  } else if (error instanceof SessionflowError) {
    console.error(`error: ${error.message}`);
    const cause = (error as Error).cause;
    if (cause instanceof Error && !error.message.includes(cause.message)) console.error(`  caused by: ${cause.message}`);
  } else if (error instanceof Error) {
    console.error(`error: ${error.message}`);
  } else {
    console.error(`error: ${String(error)}`);
  }
  if (isLogEnabled('debug') && error instanceof Error && error.stack) console.error(error.stack);
}
