/** The signals that interrupt a run like Ctrl-C: a terminal's, a supervisor's (kill, systemd, Docker) and a closed terminal's. */
const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Run `task` with an `AbortSignal` that aborts on the first SIGINT (Ctrl-C), SIGTERM or SIGHUP
 * while the task runs, with the signal's name as the abort `reason` (so the caller can exit
 * 130, 143 or 129). SIGTERM and SIGHUP used to end the process at once and lose the finished
 * days; now they wind the run down like Ctrl-C. The listeners exist only for the task's
 * duration: anywhere else the signals keep Node's default of ending the process, and a second
 * signal while the task winds down does too.
 *
 * @example
 * ```ts
 * const code = await untilSignal((signal) => runCommand('session.json', { signal }, processIo()));
 * ```
 */
export async function untilSignal<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const handlers = INTERRUPT_SIGNALS.map((name) => {
    const handler = (): void => {
      // The first signal aborts; the others are released so a second one ends the process.
      release();
      controller.abort(name);
    };
    return [name, handler] as const;
  });
  const release = (): void => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
  for (const [name, handler] of handlers) process.once(name, handler);
  try {
    return await task(controller.signal);
  } finally {
    release();
  }
}
