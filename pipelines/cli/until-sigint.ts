/**
 * Run `task` with an `AbortSignal` that aborts on the first Ctrl-C (SIGINT) while the task
 * runs. The listener exists only for the task's duration: anywhere else Ctrl-C keeps Node's
 * default of ending the process, and a second Ctrl-C while the task winds down does too.
 *
 * @example
 * ```ts
 * const code = await untilSigint((signal) => runCommand('session.json', { signal }, processIo()));
 * ```
 */
export async function untilSigint<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  try {
    return await task(controller.signal);
  } finally {
    process.off('SIGINT', abort);
  }
}
