import type { BarLoader } from '../store/threaded-bar-loader.ts';

/** A BarLoader that also says how many of its loads have not settled yet. */
export interface CountedLoader extends BarLoader {
  /** Loads started and not yet settled. */
  readonly pending: number;
}

/**
 * Wrap `loader` so the run knows when bars are being read: a slice held inside the
 * pipeline while a scan loads symbols is work under way, not a stage that dropped it (see
 * StageContract and driveTicks' stall check).
 *
 * @example
 * ```ts
 * const reader = countPendingLoads(source);
 * await reader.load('SPY', '1m', open, close); // reader.pending is 1 meanwhile
 * ```
 */
export function countPendingLoads(loader: BarLoader): CountedLoader {
  let pending = 0;
  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending++;
    return promise.finally(() => pending--);
  };
  return {
    get pending() {
      return pending;
    },
    load: (...args) => track(loader.load(...args)),
    loadMany: (...args) => track(loader.loadMany(...args)),
    loadDaily: (...args) => track(loader.loadDaily(...args)),
    ...(loader.background === undefined ? {} : { background: loader.background }),
    ...(loader.holdBackground ? { holdBackground: () => loader.holdBackground!() } : {}),
    ...(loader.close ? { close: () => loader.close!() } : {}),
  };
}
