import type { TickBars } from '../../lib/session/tick-bars.ts';

/** The OHLCV fields of a bar, writable: what {@link readTickBar} fills. */
export interface MutableBarFields {
  start: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Copy bar `k` of `bars` into `into` and return it: the one way stages that hand bars to
 * user code or the broker refill a reused object (no object per bar on the hot path).
 *
 * @example
 * ```ts
 * const bar = { start: 0, end: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
 * for (let k = 0; k < closed.count; k++) onBar(readTickBar(closed, k, bar));
 * ```
 */
export function readTickBar<B extends MutableBarFields>(bars: TickBars, k: number, into: B): B {
  bars.readInto(k, into);
  return into;
}
