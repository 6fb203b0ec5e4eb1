/** Test helper: sessions, 1-minute base bars and lookups for driving the framework-free Broker directly. */
import type { Broker, BrokerSession, FillBar } from '../../lib/execution/broker.ts';
import type { Fill, OrderEvent } from '../../lib/execution/order-types.ts';

export const MIN = 60_000;
export const DAY = 24 * 60 * MIN;
/** Tuesday 2024-01-02, 09:30 New York. */
export const OPEN = Date.UTC(2024, 0, 2, 14, 30);
export const CLOSE = OPEN + 390 * MIN;
export const SESSION: BrokerSession = { date: '2024-01-02', open: OPEN, close: CLOSE };

/** A regular 390-minute session opening at `open`. */
export function sessionAt(date: string, open: number, minutes = 390): BrokerSession {
  return { date, open, close: open + minutes * MIN };
}

/** The 1-minute base bar number `i` of the session opening at `sessionOpen` (no quotes). */
export function bar(i: number, open: number, high: number, low: number, close: number, volume = 1_000_000, sessionOpen = OPEN): FillBar {
  const start = sessionOpen + i * MIN;
  return { start, end: start + MIN, open, high, low, close, volume, bid: NaN, ask: NaN };
}

/** One tick: every bar (all ending at the same instant) goes to the broker, then the tick ends. Returns the tick time. */
export function tick(b: Broker, bars: Readonly<Record<string, FillBar>>): number {
  let end = NaN;
  for (const [symbol, x] of Object.entries(bars)) {
    b.onBar(symbol, x);
    end = x.end;
  }
  b.endTick(end);
  return end;
}

export function fillsOf(b: Broker, orderId: number): Fill[] {
  return b.day.fills.filter((f) => f.orderId === orderId);
}

export function eventsOf(b: Broker, orderId: number): OrderEvent[] {
  return b.day.events.filter((e) => e.orderId === orderId);
}

export function statusesOf(b: Broker, orderId: number): string[] {
  return eventsOf(b, orderId).map((e) => e.status);
}

/** Equal up to float dust (hand arithmetic in decimals vs binary doubles). */
export function near(actual: number, expected: number, tolerance = 1e-9): boolean {
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}
