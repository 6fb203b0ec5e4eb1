import { ConfigError, SessionflowError } from '../../lib/errors.ts';
import { isLogEnabled } from '../../lib/log.ts';
import type { CliOutput } from './cli-io.ts';

/**
 * Print an error for a person to `stderr` (the invocation's, see CliIo): the message (which
 * names file, field, value, phase, date) and, for config errors, one line per problem. The
 * stack only at `--log-level debug`.
 *
 * @example
 * ```ts
 * try { readConfigFile(path); } catch (e) { printError(e, io.stderr); }
 * ```
 */
export function printError(error: unknown, stderr: CliOutput): void {
  const line = (text: string): void => void stderr.write(`${text}\n`);
  if (error instanceof ConfigError) {
    line(`error: ${error.message}`);
  } else if (error instanceof SessionflowError) {
    line(`error: ${error.message}`);
    const cause = (error as Error).cause;
    if (cause instanceof Error && !error.message.includes(cause.message)) line(`  caused by: ${cause.message}`);
  } else if (error instanceof Error) {
    line(`error: ${error.message}`);
  } else {
    line(`error: ${String(error)}`);
  }
  if (isLogEnabled('debug') && error instanceof Error && error.stack) line(error.stack);
}
