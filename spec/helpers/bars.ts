/** Test helper: small builders of sessions and base bars for `sessionflow/testing` runs. */
import type { Session } from '../../lib/calendar/types.ts';
import type { TestBar } from '../../pipelines/testing/index.ts';

export const MIN = 60_000;

/** A session from UTC ISO instants, e.g. `sessionOf('2024-03-15', '13:30', '20:00')`. */
export function sessionOf(date: string, openUtc: string, closeUtc: string, earlyClose = false): Session {
  return { date, open: Date.parse(`${date}T${openUtc}:00Z`), close: Date.parse(`${date}T${closeUtc}:00Z`), earlyClose };
}

/** A flat-ish base bar: `open = close = price`, high/low one cent away. */
export function flatBar(start: number, price: number, volume = 100): TestBar {
  return { start, open: price, high: price + 0.01, low: price - 0.01, close: price, volume };
}
