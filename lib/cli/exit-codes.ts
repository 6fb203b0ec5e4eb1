import { ConfigError, DataError, InterruptedError } from '../errors.ts';

/**
 * Process exit codes of the `sessionflow` CLI. The interrupted ones follow the shell's
 * 128 + signal number, so a supervisor sees the same code as for a process the signal killed.
 */
export const EXIT = { ok: 0, invalidInput: 1, runFailure: 2, interrupted: 130, terminated: 143, hangup: 129 } as const;

/**
 * The exit code for an error: bad config or data found before the run → 1, a failure
 * during the run → 2, an interruption → 130.
 *
 * @example
 * ```ts
 * process.exitCode = exitCodeFor(error, { started: true });
 * ```
 */
export function exitCodeFor(error: unknown, options: { started: boolean }): number {
  if (error instanceof InterruptedError) return EXIT.interrupted;
  if (!options.started && (error instanceof ConfigError || error instanceof DataError)) return EXIT.invalidInput;
  return EXIT.runFailure;
}
