/**
 * Pause/resume for a running backtest. A pause holds the clock between ticks; in
 * clock-driven mode the paused time is not caught up afterwards (DESIGN §2).
 *
 * @example
 * ```ts
 * const run = backtest(config);
 * run.pause(); setTimeout(() => run.resume(), 1000);
 * ```
 */
export class RunControl {
  private pausedFlag = false;
  private readonly waiters = new Set<() => void>();

  /** Whether the clock is held. */
  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Hold the clock after the tick being processed. */
  pause(): void {
    this.pausedFlag = true;
  }

  /** Release the clock; waiting sessions continue from the next tick. */
  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /** Call `wake` once on the next resume; returns a function that cancels the wait. */
  onResume(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }
}
