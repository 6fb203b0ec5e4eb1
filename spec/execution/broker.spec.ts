/**
 * The framework-free Broker against DESIGN §8, one hand-computed scenario per rule: when an
 * order may fill (never before its time), at which price (market, limit, stop, stop-limit,
 * trailing stop, brackets, market-on-open/close), sessions and carry, time in force, volume
 * caps, costs, sizing at fill time, risk limits, margin instruments and quote-aware fills.
 * Every expected number is worked out in the comment next to it, never copied from a run.
 */
import test, { type ExecutionContext } from 'ava';
import { Broker, type BrokerCarry, type BrokerOptions, type FillBar } from '../../lib/execution/broker.ts';
import type { OrderRequest } from '../../lib/execution/order-types.ts';
import { ConfigError } from '../../lib/errors.ts';
import { bar, CLOSE, DAY, eventsOf, fillsOf, MIN, near, OPEN, SESSION, sessionAt, statusesOf, tick } from './broker-fixtures.ts';

function opened(options: BrokerOptions = {}): Broker {
  const b = new Broker(options);
  b.beginSession(SESSION);
  return b;
}

function isNear(t: ExecutionContext, actual: number, expected: number, what: string): void {
  t.true(near(actual, expected), `${what}: expected ${expected}, got ${actual}`);
}

/** `value` with every object key holding `undefined` left out (what JSON.stringify does). */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
  return value;
}

/** JSON paths of the numbers JSON cannot hold. */
function nonFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

// 1. No fill before its time -------------------------------------------------------------

test('Broker: fills a market order at the open of the first bar starting at or after its submission, never on the bar that ended at that tick', (t) => {
  const b = opened();
  const T = OPEN + 5 * MIN;
  const order = b.submit({ symbol: 'AAA', side: 'buy', size: { shares: 10 } }, T);
  // The bar [T-1m, T) is the one whose close produced the signal: start T-1m < T, no fill.
  b.onBar('AAA', bar(4, 100, 101, 99, 100.5));
  t.deepEqual(b.day.fills, []);
  // Another symbol's bar at T does not fill it either.
  b.onBar('BBB', bar(5, 50, 51, 49, 50));
  b.endTick(T + MIN);
  t.deepEqual(b.day.fills, []);
  // AAA has no bar at T (the minute is missing): the order waits for the next one.
  tick(b, { AAA: bar(6, 100.7, 101.2, 100.1, 101) });
  const [fill] = fillsOf(b, order.id);
  t.is(fill?.price, 100.7, 'the open of the first AAA bar starting at or after T');
  t.is(fill?.basePrice, 100.7);
  t.is(fill?.barStart, OPEN + 6 * MIN);
  t.is(fill?.time, OPEN + 7 * MIN, 'known at the fill bar end');
  t.is(fill?.liquidity, 'open');
  t.is(fill?.position, 10);
  t.is(b.order(order.id)?.status, 'filled');
  // cash 100 000 − 10 × 100.70 = 98 993; equity 98 993 + 10 × 101 (close) = 100 003
  isNear(t, b.cash, 98_993, 'cash');
  isNear(t, b.equity(), 100_003, 'equity');
});

// 2. Limits --------------------------------------------------------------------------------

test('Broker: fills a limit at the limit when the bar touches it exactly and at the open when the open is already better (buy and sell)', (t) => {
  const b = opened();
  const touch = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, limit: 99 }, OPEN);
  const better = b.submit({ symbol: 'B', side: 'buy', size: { shares: 10 }, limit: 99 }, OPEN);
  const sellTouch = b.submit({ symbol: 'C', side: 'sell', size: { shares: 10 }, limit: 101 }, OPEN);
  const sellBetter = b.submit({ symbol: 'D', side: 'sell', size: { shares: 10 }, limit: 101 }, OPEN);
  const miss = b.submit({ symbol: 'E', side: 'buy', size: { shares: 10 }, limit: 99 }, OPEN);
  tick(b, {
    A: bar(0, 100, 100.5, 99, 100), // low == limit 99 → 99, inside the bar
    B: bar(0, 98.5, 99.5, 98, 99), // open 98.5 <= 99 → 98.5 at the open
    C: bar(0, 100, 101, 99.5, 100.5), // high == limit 101 → 101
    D: bar(0, 101.6, 102, 101.2, 101.5), // open 101.6 >= 101 → 101.6
    E: bar(0, 100, 100.5, 99.01, 100), // low 99.01 > 99: not reached
  });
  t.like(fillsOf(b, touch.id)[0], { price: 99, liquidity: 'intrabar', quantity: 10 });
  t.like(fillsOf(b, better.id)[0], { price: 98.5, liquidity: 'open' });
  t.like(fillsOf(b, sellTouch.id)[0], { price: 101, liquidity: 'intrabar', position: -10 });
  t.like(fillsOf(b, sellBetter.id)[0], { price: 101.6, liquidity: 'open' });
  t.deepEqual(fillsOf(b, miss.id), []);
  t.deepEqual(
    b.openOrders().map((o) => o.id),
    [miss.id],
  );
});

// 3. Stops ---------------------------------------------------------------------------------

test('Broker: fills a buy stop at the open on a gap through it and at the stop inside the bar; a sell stop-loss mirrors it', (t) => {
  const b = opened();
  const gap = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, stop: 101 }, OPEN);
  const inside = b.submit({ symbol: 'B', side: 'buy', size: { shares: 10 }, stop: 101 }, OPEN);
  const miss = b.submit({ symbol: 'C', side: 'buy', size: { shares: 10 }, stop: 101 }, OPEN);
  b.submit({ symbol: 'L1', side: 'buy', size: { shares: 10 } }, OPEN);
  b.submit({ symbol: 'L2', side: 'buy', size: { shares: 10 } }, OPEN);
  let now = tick(b, {
    A: bar(0, 102, 103, 101.5, 102.5), // open 102 >= 101: gapped through → 102
    B: bar(0, 100, 101.5, 99.8, 101.2), // high 101.5 >= 101 → 101
    C: bar(0, 100, 100.99, 99.5, 100.5), // high 100.99 < 101: no fill
    L1: bar(0, 100, 100, 100, 100),
    L2: bar(0, 100, 100, 100, 100),
  });
  t.like(fillsOf(b, gap.id)[0], { price: 102, liquidity: 'open' });
  t.like(fillsOf(b, inside.id)[0], { price: 101, liquidity: 'intrabar' });
  t.deepEqual(fillsOf(b, miss.id), []);
  // Long 10 of L1 and L2 at 100; stop-losses at 95.
  const gapDown = b.submit({ symbol: 'L1', side: 'sell', size: { shares: 10 }, stop: 95 }, now);
  const touched = b.submit({ symbol: 'L2', side: 'sell', size: { shares: 10 }, stop: 95 }, now);
  now = tick(b, {
    L1: bar(1, 93, 94, 92, 93.5), // open 93 <= 95: gap down through the stop → 93, not 95
    L2: bar(1, 96, 96.5, 94.5, 95.5), // low 94.5 <= 95 → 95
  });
  t.like(fillsOf(b, gapDown.id)[0], { price: 93, liquidity: 'open', position: 0 });
  t.like(fillsOf(b, touched.id)[0], { price: 95, liquidity: 'intrabar', position: 0 });
});

// 4. Stop-limits -----------------------------------------------------------------------------

test('Broker: a stop-limit triggered inside the bar with stop <= limit fills at the stop', (t) => {
  const b = opened();
  const o = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, stop: 101, limit: 102 }, OPEN);
  t.is(o.type, 'stop-limit');
  tick(b, { A: bar(0, 100, 103, 99.8, 102) }); // open 100 < 101, high 103 >= 101 → triggered at 101 <= 102 → 101
  t.like(fillsOf(b, o.id)[0], { price: 101, liquidity: 'intrabar' });
  t.deepEqual(statusesOf(b, o.id), ['submitted', 'triggered', 'filled']);
  // Sell mirrored: stop 95, limit 94; open 96, low 94.5 → triggered at 95 >= 94 → 95.
  const s = b.submit({ symbol: 'S', side: 'sell', size: { shares: 10 }, stop: 95, limit: 94 }, OPEN);
  tick(b, { S: bar(0, 96, 96.2, 94.5, 95) });
  t.like(fillsOf(b, s.id)[0], { price: 95, liquidity: 'intrabar' });
});

test('Broker: a stop-limit whose open gaps above the limit does not fill at the open, but fills at the limit later in the bar when the low reaches it', (t) => {
  const b = opened();
  const reached = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, stop: 101, limit: 102 }, OPEN);
  const notReached = b.submit({ symbol: 'B', side: 'buy', size: { shares: 10 }, stop: 101, limit: 102 }, OPEN);
  let now = tick(b, {
    A: bar(0, 103, 103.5, 101.8, 102.5), // triggered at the open (103 >= 101), 103 > limit 102: not at the open; low 101.8 <= 102 → 102
    B: bar(0, 103, 103.5, 102.5, 103), // triggered, low 102.5 > 102: waits as a limit
  });
  t.like(fillsOf(b, reached.id)[0], { price: 102, liquidity: 'intrabar' });
  t.deepEqual(fillsOf(b, notReached.id), []);
  t.true(b.order(notReached.id)?.triggered);
  now = tick(b, { B: bar(1, 101.5, 102, 101, 101.8) }); // now a limit 102: open 101.5 <= 102 → 101.5
  t.like(fillsOf(b, notReached.id)[0], { price: 101.5, liquidity: 'open' });
  t.is(now, OPEN + 2 * MIN);
});

test('Broker: a stop-limit triggered inside the bar with limit < stop waits for the next bar', (t) => {
  const b = opened();
  const o = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, stop: 101, limit: 100.5 }, OPEN);
  // high 101.5 >= 101 triggers it; the low 99 came before or after the trigger — one bar cannot say.
  tick(b, { A: bar(0, 100, 101.5, 99, 100.8) });
  t.deepEqual(fillsOf(b, o.id), []);
  t.deepEqual(statusesOf(b, o.id), ['submitted', 'triggered']);
  // Next bar: open 101 > 100.5, low 100.2 <= 100.5 → the limit, 100.5.
  tick(b, { A: bar(1, 101, 101.2, 100.2, 100.6) });
  t.like(fillsOf(b, o.id)[0], { price: 100.5, liquidity: 'intrabar', barStart: OPEN + MIN });
});

// 5. Brackets --------------------------------------------------------------------------------

const BRACKET = { stopLoss: 95, takeProfit: 110 };

test('Broker: a bracket whose stop-loss and take-profit are both inside one later bar fills the stop and cancels the take-profit (OCO)', (t) => {
  const b = opened();
  const entry = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 }, bracket: BRACKET }, OPEN);
  tick(b, { A: bar(0, 100, 101, 99.5, 100.5) }); // entry at the open 100; 95 and 110 not reached
  t.like(fillsOf(b, entry.id)[0], { price: 100, quantity: 100 });
  const exits = b.openOrders('A');
  t.is(exits.length, 2);
  const stop = exits.find((o) => o.type === 'stop')!;
  const profit = exits.find((o) => o.type === 'limit')!;
  t.like(stop, { side: 'sell', stop: 95, quantity: 100, parentId: entry.id, ocoId: profit.id });
  t.like(profit, { side: 'sell', limit: 110, quantity: 100, parentId: entry.id, ocoId: stop.id });
  tick(b, { A: bar(1, 100.5, 111, 94, 100) }); // both 110 and 95 inside: the stop first (pessimistic)
  t.like(fillsOf(b, stop.id)[0], { price: 95, quantity: 100, position: 0 });
  t.deepEqual(fillsOf(b, profit.id), []);
  t.like(eventsOf(b, profit.id).at(-1), { status: 'cancelled', detail: `OCO: ${stop.id} filled` });
  t.deepEqual(b.openOrders(), []);
  b.endSession(CLOSE);
  // 100 × (95 − 100) = −500
  t.like(b.day.trades[0], { direction: 'long', entryPrice: 100, exitPrice: 95, pnl: -500 });
});

test('Broker: a bracket whose take-profit alone is inside a later bar fills the take-profit and cancels the stop', (t) => {
  const b = opened();
  const entry = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 }, bracket: BRACKET }, OPEN);
  tick(b, { A: bar(0, 100, 101, 99.5, 100.5) });
  const [stop, profit] = [b.openOrders('A').find((o) => o.type === 'stop')!, b.openOrders('A').find((o) => o.type === 'limit')!];
  tick(b, { A: bar(1, 100.5, 111, 99, 109) }); // high 111 >= 110, low 99 > 95 → 110
  t.like(fillsOf(b, profit.id)[0], { price: 110, liquidity: 'intrabar', position: 0 });
  t.is(b.order(stop.id)?.status, 'cancelled');
  // cash 100 000 − 100 × 100 + 100 × 110 = 101 000
  isNear(t, b.cash, 101_000, 'cash');
  t.is(b.order(entry.id)?.status, 'filled');
});

test('Broker: a bracket entry filled at the open has its exits matched on the rest of the same bar', (t) => {
  const b = opened();
  const up = b.submit({ symbol: 'UP', side: 'buy', size: { shares: 100 }, bracket: BRACKET }, OPEN);
  const both = b.submit({ symbol: 'BOTH', side: 'buy', size: { shares: 100 }, bracket: BRACKET }, OPEN);
  tick(b, {
    UP: bar(0, 100, 110.5, 99, 110), // entry 100 at the open, then high 110.5 >= 110 → take-profit 110 on this bar
    BOTH: bar(0, 100, 111, 94, 100), // entry 100, then both exits inside: the stop 95 (pessimistic)
  });
  const upFills = b.day.fills.filter((f) => f.symbol === 'UP');
  t.deepEqual(
    upFills.map((f) => [f.side, f.price, f.barStart]),
    [
      ['buy', 100, OPEN],
      ['sell', 110, OPEN],
    ],
  );
  const bothFills = b.day.fills.filter((f) => f.symbol === 'BOTH');
  t.deepEqual(
    bothFills.map((f) => [f.side, f.price]),
    [
      ['buy', 100],
      ['sell', 95],
    ],
  );
  t.deepEqual(b.openOrders(), []);
  t.is(b.order(up.id)?.status, 'filled');
  t.is(b.order(both.id)?.status, 'filled');
});

test('Broker: after a bracket entry filled inside a bar, a take-profit on that bar waits (its high may have come first), a later bar fills it', (t) => {
  const b = opened();
  const entry = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 }, limit: 99, bracket: { stopLoss: 97, takeProfit: 101 } }, OPEN);
  // open 100 > 99, low 98.5 → entry 99 on the way down; the high 101.5 cannot be placed after it.
  tick(b, { A: bar(0, 100, 101.5, 98.5, 99.5) });
  t.like(fillsOf(b, entry.id)[0], { price: 99, liquidity: 'intrabar' });
  t.is(b.portfolio.quantity('A'), 100);
  tick(b, { A: bar(1, 100, 101.2, 99.5, 101) }); // high 101.2 >= 101 → 101
  const exit = b.day.fills.at(-1);
  t.like(exit, { side: 'sell', price: 101, barStart: OPEN + MIN, position: 0 });
});

test('Broker: a bracket stop-loss already through at an intrabar entry fills at the entry price, never outside the bar', (t) => {
  // The stop-loss was set from the price at submission (110), the limit entry filled at 99
  // after a fall: the sell stop at 105 is through at the entry, the price is 99 there.
  const b = opened();
  const entry = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 }, limit: 99, bracket: { stopLoss: 105 } }, OPEN);
  const fillBar = bar(0, 100, 100.5, 98, 99.5);
  tick(b, { A: fillBar });
  t.like(fillsOf(b, entry.id)[0], { price: 99 });
  const exit = b.day.fills.find((f) => f.orderId !== entry.id);
  t.truthy(exit, 'the stop-loss fills on the entry bar');
  t.true(exit!.price >= fillBar.low && exit!.price <= fillBar.high, `stop-loss fill ${exit!.price} inside the bar [${fillBar.low}, ${fillBar.high}]`);
  t.is(exit!.price, 99, 'at the entry price, where the stop already was through');
  // cash 100 000 − 9 900 + 9 900 = 100 000
  isNear(t, b.cash, 100_000, 'cash');
});

// 6. Trailing stops --------------------------------------------------------------------------

test('Broker: a trailing stop by amount follows the highs and fills when the low crosses the trail', (t) => {
  const b = opened();
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 } }, OPEN);
  let now = tick(b, { A: bar(0, 100, 100.5, 99.5, 100) });
  const trail = b.submit({ symbol: 'A', side: 'sell', size: { shares: 100 }, trail: 2 }, now);
  t.is(trail.type, 'trailing-stop');
  now = tick(b, { A: bar(1, 101, 103, 100.5, 102.5) }); // watermark from the open 101: stop 99, low 100.5 no; watermark → 103
  t.is(b.order(trail.id)?.watermark, 103);
  now = tick(b, { A: bar(2, 102.5, 104, 101.5, 103) }); // stop 103 − 2 = 101, low 101.5 no; watermark → 104
  t.deepEqual(fillsOf(b, trail.id), []);
  t.is(b.order(trail.id)?.watermark, 104);
  now = tick(b, { A: bar(3, 103.5, 103.8, 101.9, 102) }); // stop 104 − 2 = 102, low 101.9 <= 102 → 102
  t.like(fillsOf(b, trail.id)[0], { price: 102, liquidity: 'intrabar', position: 0 });
  // A buy trailing stop covering a short mirrors it.
  b.submit({ symbol: 'S', side: 'sell', size: { shares: 100 } }, now);
  now = tick(b, { S: bar(4, 100, 100, 100, 100) });
  const cover = b.submit({ symbol: 'S', side: 'buy', size: { shares: 100 }, trail: 2 }, now);
  now = tick(b, { S: bar(5, 99, 99.5, 97, 97.5) }); // watermark 99 (open): stop 101, high 99.5 no; watermark → 97
  now = tick(b, { S: bar(6, 98, 99.2, 97.5, 99) }); // stop 97 + 2 = 99, high 99.2 >= 99 → 99
  t.like(fillsOf(b, cover.id)[0], { price: 99, side: 'buy', position: 0 });
});

test('Broker: a trailing stop in percent fills at the open when the price gaps through the trail', (t) => {
  const b = opened();
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 } }, OPEN);
  let now = tick(b, { A: bar(0, 100, 100, 100, 100) });
  const trail = b.submit({ symbol: 'A', side: 'sell', size: { shares: 100 }, trailPercent: 0.05 }, now);
  now = tick(b, { A: bar(1, 100, 110, 99, 108) }); // stop 100 × 0.95 = 95, low 99 no; watermark → 110
  t.deepEqual(fillsOf(b, trail.id), []);
  now = tick(b, { A: bar(2, 103, 105, 102, 104) }); // stop 110 × 0.95 = 104.5; open 103 <= 104.5 → 103 at the open
  t.like(fillsOf(b, trail.id)[0], { price: 103, liquidity: 'open', position: 0 });
  t.is(now, OPEN + 3 * MIN);
});

// 7. Market-on-open and market-on-close ------------------------------------------------------

test('Broker: a market-on-open submitted after the close fills at the next session first bar open; one submitted mid-session waits for the next session too', (t) => {
  const b = opened();
  const mid = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, type: 'market-on-open' }, OPEN + 10 * MIN);
  tick(b, { A: bar(10, 100, 101, 99, 100) }); // not the session's first bar: waits
  tick(b, { A: bar(389, 100, 101, 99, 100.5) });
  const late = b.submit({ symbol: 'A', side: 'buy', size: { shares: 20 }, type: 'market-on-open' }, CLOSE);
  b.closeSession(CLOSE);
  b.endSession(CLOSE);
  t.deepEqual(b.day.fills, []);
  t.deepEqual(
    b.openOrders().map((o) => o.id),
    [mid.id, late.id],
  );
  const next = sessionAt('2024-01-03', OPEN + DAY);
  b.beginSession(next);
  tick(b, { A: bar(0, 105, 106, 104, 105.5, 1_000_000, next.open) });
  tick(b, { A: bar(1, 107, 108, 106, 107, 1_000_000, next.open) });
  t.deepEqual(
    b.day.fills.map((f) => [f.orderId, f.quantity, f.price, f.barStart, f.liquidity]),
    [
      [mid.id, 10, 105, next.open, 'open'],
      [late.id, 20, 105, next.open, 'open'],
    ],
  );
});

test('Broker: a market-on-open day order works in one session only: a capped remainder, or one whose symbol has no bar, expires at that close', (t) => {
  const b = opened({ maxParticipation: 0.1 });
  const atOpen = b.submit({ symbol: 'A', side: 'buy', size: { shares: 300 }, type: 'market-on-open' }, OPEN); // works today
  const mid = b.submit({ symbol: 'B', side: 'buy', size: { shares: 10 }, type: 'market-on-open' }, OPEN + 10 * MIN); // works tomorrow
  tick(b, { A: bar(0, 100, 100, 100, 100, 1_000) }); // 0.1 × 1 000 = 100 of 300 at the open
  tick(b, { A: bar(1, 100, 100, 100, 100, 1_000) }); // not the first bar: nothing more
  b.closeSession(CLOSE);
  b.endSession(CLOSE);
  t.like(b.order(atOpen.id), { status: 'cancelled', filled: 100 }, 'the rest of a day order expires with its session');
  t.is(b.order(mid.id)?.status, 'working', 'submitted after the open: its session is the next one');
  const next = sessionAt('2024-01-03', OPEN + DAY);
  b.beginSession(next);
  tick(b, { A: bar(0, 105, 105, 105, 105, 1_000, next.open) }); // no B bar all session
  b.closeSession(next.close);
  b.endSession(next.close);
  t.deepEqual(b.day.fills, [], 'nothing of the expired order fills at the next open');
  t.is(b.order(mid.id)?.status, 'cancelled', 'a day order does not outlive the session it worked in');
  t.deepEqual(b.openOrders(), []);
});

test('Broker: a market-on-close fills at the close of the symbol last bar at closeSession, and never on an earlier bar', (t) => {
  const b = opened();
  const moc = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, type: 'market-on-close' }, OPEN + 100 * MIN);
  tick(b, { A: bar(100, 100, 101, 99, 100.5) });
  tick(b, { A: bar(388, 101, 102, 100, 101.5) });
  tick(b, { A: bar(389, 101.5, 102.5, 101, 102.25) });
  t.deepEqual(b.day.fills, []);
  b.closeSession(CLOSE);
  t.like(fillsOf(b, moc.id)[0], { price: 102.25, liquidity: 'close', time: CLOSE, barStart: CLOSE - MIN });
  // A market-on-close after the symbol's last bar has nothing to fill on and expires.
  const b2 = opened();
  tick(b2, { B: bar(100, 50, 50, 50, 50) });
  const late = b2.submit({ symbol: 'B', side: 'buy', size: { shares: 10 }, type: 'market-on-close' }, OPEN + 150 * MIN);
  b2.closeSession(CLOSE);
  b2.endSession(CLOSE);
  t.deepEqual(b2.day.fills, []);
  t.is(b2.order(late.id)?.status, 'cancelled');
});

test('Broker: a market-on-close fills at the last bar close of a 13:00 early-close session', (t) => {
  const open = Date.UTC(2024, 6, 3, 13, 30); // 2024-07-03 09:30 New York, closes 13:00
  const session = sessionAt('2024-07-03', open, 210);
  const b = new Broker();
  b.beginSession(session);
  const moc = b.submit({ symbol: 'A', side: 'sell', size: { shares: 10 }, type: 'market-on-close' }, open + 60 * MIN);
  tick(b, { A: bar(60, 100, 101, 99, 100, 1_000_000, open) });
  tick(b, { A: bar(209, 101, 101.5, 100.75, 101.25, 1_000_000, open) }); // the last bar: 12:59–13:00
  b.closeSession(session.close);
  t.like(fillsOf(b, moc.id)[0], { price: 101.25, time: open + 210 * MIN, barStart: open + 209 * MIN, liquidity: 'close', position: -10 });
});

// 8. Day and GTC orders, carry ----------------------------------------------------------------

const FRIDAY = sessionAt('2024-01-05', Date.UTC(2024, 0, 5, 14, 30));
const MONDAY = sessionAt('2024-01-08', Date.UTC(2024, 0, 8, 14, 30));

test('Broker: cancels day orders at endSession; a GTC limit is carried as JSON and fills on Monday', (t) => {
  const options: BrokerOptions = { cash: 50_000, commission: { type: 'per-share', rate: 0.005, minimum: 1 } };
  const b = new Broker(options);
  b.beginSession(FRIDAY);
  const day = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 }, limit: 90 }, FRIDAY.open);
  const gtc = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 }, limit: 90, tif: 'gtc' }, FRIDAY.open);
  tick(b, { A: bar(0, 100, 101, 95, 100, 1_000_000, FRIDAY.open) });
  b.closeSession(FRIDAY.close);
  b.endSession(FRIDAY.close);
  t.like(eventsOf(b, day.id).at(-1), { status: 'cancelled', detail: 'day order expired at the close' });
  t.deepEqual(
    b.openOrders().map((o) => o.id),
    [gtc.id],
  );
  const carry = b.carry();
  // Plain JSON: no NaN or Infinity (JSON would turn them into null); a key holding undefined
  // means the same as no key, which is what JSON makes of it.
  t.deepEqual(nonFinite(carry), [], 'no non-finite number in the carry');
  t.deepEqual(JSON.parse(JSON.stringify(carry)), withoutUndefined(carry), 'the carry survives JSON unchanged');
  const monday = new Broker(options, JSON.parse(JSON.stringify(carry)) as BrokerCarry);
  monday.beginSession(MONDAY);
  t.deepEqual(
    monday.openOrders().map((o) => o.id),
    [gtc.id],
  );
  tick(monday, { A: bar(0, 92, 93, 89.5, 91, 1_000_000, MONDAY.open) }); // low 89.5 <= 90 → 90
  t.like(fillsOf(monday, gtc.id)[0], { price: 90, quantity: 100, barStart: MONDAY.open });
  // 50 000 − 100 × 90 − max(100 × 0.005, 1) = 50 000 − 9 000 − 1 = 40 999
  isNear(t, monday.cash, 40_999, 'cash');
  // New ids continue after the carried ones.
  t.true(monday.submit({ symbol: 'A', side: 'sell', size: { shares: 1 } }, MONDAY.open + MIN).id > gtc.id);
});

test('Broker: a GTC trailing stop that has seen no bar yet keeps working the same after its carry went through JSON', (t) => {
  // Short 100 at 100 on Friday; a buy trailing stop (trail 2) placed at the close has no watermark yet.
  const b = new Broker();
  b.beginSession(FRIDAY);
  b.submit({ symbol: 'A', side: 'sell', size: { shares: 100 } }, FRIDAY.open);
  tick(b, { A: bar(0, 100, 100, 100, 100, 1_000_000, FRIDAY.open) });
  const stop = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 }, trail: 2, tif: 'gtc' }, FRIDAY.close);
  b.closeSession(FRIDAY.close);
  b.endSession(FRIDAY.close);
  const carried = JSON.parse(JSON.stringify(b.carry())) as BrokerCarry;
  const monday = new Broker({}, carried);
  monday.beginSession(MONDAY);
  // Watermark from the open 100: stop 102; high 101 < 102 → no fill.
  tick(monday, { A: bar(0, 100, 101, 99.5, 100.5, 1_000_000, MONDAY.open) });
  t.deepEqual(fillsOf(monday, stop.id), [], 'no fill: the stop is 102, the high 101');
  t.is(monday.portfolio.quantity('A'), -100);
});

// 9. IOC ----------------------------------------------------------------------------------------

test('Broker: an IOC order fills what the participation cap allows on its first eligible bar and cancels the rest', (t) => {
  const b = opened({ maxParticipation: 0.1 });
  const ioc = b.submit({ symbol: 'A', side: 'buy', size: { shares: 200 }, tif: 'ioc' }, OPEN);
  const missed = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, limit: 90, tif: 'ioc' }, OPEN);
  const waiting = b.submit({ symbol: 'B', side: 'buy', size: { shares: 10 }, tif: 'ioc' }, OPEN);
  tick(b, { A: bar(0, 100, 101, 99, 100, 500) }); // cap 0.1 × 500 = 50 of 200
  t.like(fillsOf(b, ioc.id)[0], { quantity: 50, price: 100 });
  t.like(b.order(ioc.id), { status: 'cancelled', filled: 50 });
  t.deepEqual(statusesOf(b, ioc.id), ['submitted', 'partially-filled', 'cancelled']);
  t.like(b.order(missed.id), { status: 'cancelled', filled: 0 }, 'the limit 90 was not reached on its one bar');
  // B had no bar yet: its IOC still waits for its first bar.
  t.is(b.order(waiting.id)?.status, 'working');
  tick(b, { B: bar(1, 20, 20, 20, 20, 1000) }); // 0.1 × 1000 = 100 >= 10
  t.like(b.order(waiting.id), { status: 'filled', filled: 10 });
});

// 10. Participation cap -------------------------------------------------------------------------

test('Broker: a volume cap fills an order in parts across bars, each recorded, and charges the commission minimum once per order', (t) => {
  const b = opened({ maxParticipation: 0.1, commission: { type: 'per-share', rate: 0.005, minimum: 1 } });
  const o = b.submit({ symbol: 'A', side: 'buy', size: { shares: 250 } }, OPEN);
  tick(b, { A: bar(0, 100, 100, 100, 100, 1000) }); // 100 of 250
  t.is(b.order(o.id)?.status, 'partially-filled');
  tick(b, { A: bar(1, 101, 101, 101, 101, 1000) }); // 100 more: 200
  tick(b, { A: bar(2, 102, 102, 102, 102, 1000) }); // the last 50
  t.deepEqual(
    fillsOf(b, o.id).map((f) => [f.quantity, f.price, f.position]),
    [
      [100, 100, 100],
      [100, 101, 200],
      [50, 102, 250],
    ],
  );
  // Order commission after each fill: max(100 × 0.005, 1) = 1, max(200 × 0.005, 1) = 1, 250 × 0.005 = 1.25;
  // each fill pays the difference: 1, 0, 0.25 (the minimum once).
  const fees = fillsOf(b, o.id).map((f) => f.commission);
  isNear(t, fees[0]!, 1, 'first fee');
  isNear(t, fees[1]!, 0, 'second fee');
  isNear(t, fees[2]!, 0.25, 'third fee');
  t.deepEqual(statusesOf(b, o.id), ['submitted', 'partially-filled', 'partially-filled', 'filled']);
  // average (100 × 100 + 100 × 101 + 50 × 102) / 250 = 25 200 / 250 = 100.8
  t.like(b.order(o.id), { status: 'filled', filled: 250, averagePrice: 100.8 });
  // cash 100 000 − 25 200 − 1.25 = 74 798.75
  isNear(t, b.cash, 74_798.75, 'cash');
});

test('Broker: a volume cap allows one part per order and bar, also when a limit fills at the open', (t) => {
  const b = opened({ maxParticipation: 0.1 });
  const o = b.submit({ symbol: 'A', side: 'buy', size: { shares: 300 }, limit: 99 }, OPEN);
  // open 98 <= 99: 100 (0.1 × 1000) at the open 98, and no second part at 99 on the same bar.
  tick(b, { A: bar(0, 98, 99.5, 97, 99, 1000) });
  t.deepEqual(
    fillsOf(b, o.id).map((f) => [f.quantity, f.price]),
    [[100, 98]],
  );
  // A sell stop gapped through: 100 at the open 93, not another 100 at 95 above the bar's high 94.
  const s = b.submit({ symbol: 'B', side: 'sell', size: { shares: 300 }, stop: 95 }, OPEN);
  tick(b, { B: bar(0, 93, 94, 92, 93.5, 1000) });
  t.deepEqual(
    fillsOf(b, s.id).map((f) => [f.quantity, f.price]),
    [[100, 93]],
  );
});

// 11. Short and cover ---------------------------------------------------------------------------

test('Broker: a short sold at 50 and covered at 45 realises 500 less commissions, with exact cash, equity and trade record', (t) => {
  const b = opened({ commission: { type: 'per-share', rate: 0.005, minimum: 1 } });
  b.submit({ symbol: 'A', side: 'sell', size: { shares: 100 } }, OPEN);
  tick(b, { A: bar(0, 50, 51, 49.5, 50.5) });
  // cash 100 000 + 100 × 50 − 1 = 104 999; equity 104 999 − 100 × 50.5 = 99 949
  isNear(t, b.cash, 104_999, 'cash after the short');
  isNear(t, b.equity(), 99_949, 'equity after the short');
  let now = tick(b, { A: bar(1, 50.5, 52, 48, 47) });
  // equity 104 999 − 100 × 47 = 100 299
  isNear(t, b.equity(), 100_299, 'equity marked at 47');
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 } }, now);
  now = tick(b, { A: bar(2, 45, 46, 44, 44.5) });
  // cash 104 999 − 100 × 45 − 1 = 100 498 = equity (flat)
  isNear(t, b.cash, 100_498, 'cash after the cover');
  isNear(t, b.equity(), 100_498, 'equity after the cover');
  t.is(b.portfolio.view('A').realizedPnl, 500, '100 × (50 − 45)');
  b.endSession(CLOSE);
  const [trade] = b.day.trades;
  t.truthy(trade);
  t.like(trade, { symbol: 'A', direction: 'short', entryPrice: 50, exitPrice: 45, quantity: 100, entryTime: OPEN + MIN, exitTime: OPEN + 3 * MIN, durationMs: 2 * MIN });
  isNear(t, trade!.commission, 2, 'commission');
  isNear(t, trade!.pnl, 498, 'pnl 500 − 2');
  isNear(t, trade!.returnPct, 9.96, 'returnPct 498 / (50 × 100) × 100');
  // While short: highest high 52 (bar 1), lowest price 45 (the exit; the exit bar's range comes after it).
  isNear(t, trade!.maePct, -4, 'MAE (50 − 52) / 50 × 100');
  isNear(t, trade!.mfePct, 10, 'MFE (50 − 45) / 50 × 100');
});

// 12. Commission --------------------------------------------------------------------------------

test('Broker: a per-share commission charges the minimum on a small order and is capped at 0.5 % of a big cheap-stock order', (t) => {
  const b = opened({ commission: { type: 'per-share', rate: 0.005, minimum: 1, maximumPercent: 0.5 } });
  const small = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 } }, OPEN);
  const big = b.submit({ symbol: 'P', side: 'buy', size: { shares: 10_000 } }, OPEN);
  tick(b, { A: bar(0, 100, 100, 100, 100), P: bar(0, 0.5, 0.5, 0.5, 0.5) });
  // small: 10 × 0.005 = 0.05 → minimum 1 (cap 0.5 % × 1 000 = 5 does not bind)
  isNear(t, fillsOf(b, small.id)[0]!.commission, 1, 'small order');
  // big: 10 000 × 0.005 = 50 → capped at 0.5 % × (10 000 × 0.50) = 25
  isNear(t, fillsOf(b, big.id)[0]!.commission, 25, 'big cheap order');
  // cash 100 000 − 1 000 − 1 − 5 000 − 25 = 93 974
  isNear(t, b.cash, 93_974, 'cash');
});

// 13. Fraction sizing ---------------------------------------------------------------------------

test('Broker: sizes a fraction of equity at the fill price, keeping the commission inside the budget and the cash buffer out', (t) => {
  const plain = opened({ commission: { type: 'per-share', rate: 0.005, minimum: 1 } });
  const a = plain.submit({ symbol: 'A', side: 'buy', size: { equityFraction: 0.5 } }, OPEN);
  t.is(a.quantity, undefined, 'resolved at the fill');
  tick(plain, { A: bar(0, 333, 334, 332, 333) });
  // floor(50 000 / 333) = 150 (150 × 333 = 49 950; 151 × 333 = 50 283); 49 950 + 1 <= 50 000
  t.like(fillsOf(plain, a.id)[0], { quantity: 150, price: 333 });

  const fee = opened({ commission: { type: 'per-order', amount: 60 } });
  const f = fee.submit({ symbol: 'A', side: 'buy', size: { equityFraction: 0.5 } }, OPEN);
  tick(fee, { A: bar(0, 333, 334, 332, 333) });
  // 150: 49 950 + 60 = 50 010 > 50 000 → 149: 49 617 + 60 = 49 677
  t.like(fillsOf(fee, f.id)[0], { quantity: 149 });

  const buffered = opened({ cashBuffer: 0.01, commission: { type: 'per-share', rate: 0.005, minimum: 1 } });
  const c = buffered.submit({ symbol: 'A', side: 'buy', size: { equityFraction: 0.5 } }, OPEN);
  tick(buffered, { A: bar(0, 333, 334, 332, 333) });
  // budget 50 000 × 0.99 = 49 500: floor(49 500 / 333) = 148 (148 × 333 = 49 284; 149 × 333 = 49 617)
  t.like(fillsOf(buffered, c.id)[0], { quantity: 148 });

  // The equity at the fill, not at the submission: after a 10 000 gain equity is 110 000.
  const later = opened();
  later.submit({ symbol: 'B', side: 'buy', size: { shares: 100 } }, OPEN);
  let now = tick(later, { B: bar(0, 100, 100, 100, 100) });
  const d = later.submit({ symbol: 'A', side: 'buy', size: { equityFraction: 0.5 } }, now);
  now = tick(later, { B: bar(1, 200, 200, 200, 200) }); // equity 90 000 + 100 × 200 = 110 000
  tick(later, { A: bar(2, 333, 334, 332, 333) }); // floor(55 000 / 333) = 165 (165 × 333 = 54 945)
  t.like(fillsOf(later, d.id)[0], { quantity: 165 });
  t.is(now, OPEN + 2 * MIN);
});

// 14. Targets -----------------------------------------------------------------------------------

test('Broker: targetQuantity and targetPercent resolve the side and the difference at the fill', (t) => {
  const b = opened();
  const to100 = b.submit({ symbol: 'A', size: { targetQuantity: 100 } }, OPEN);
  t.is(to100.side, undefined);
  let now = tick(b, { A: bar(0, 100, 100, 100, 100) }); // 0 → 100: buy 100 at 100
  t.like(fillsOf(b, to100.id)[0], { side: 'buy', quantity: 100, price: 100, position: 100 });
  const toShort = b.submit({ symbol: 'A', size: { targetQuantity: -50 } }, now);
  now = tick(b, { A: bar(1, 102, 102, 102, 102) }); // 100 → −50: sell 150 at 102
  t.like(fillsOf(b, toShort.id)[0], { side: 'sell', quantity: 150, price: 102, position: -50 });
  const flat = b.submit({ symbol: 'A', size: { targetPercent: 0 } }, now);
  now = tick(b, { A: bar(2, 101, 101, 101, 101) }); // −50 → 0: buy 50 at 101
  t.like(fillsOf(b, flat.id)[0], { side: 'buy', quantity: 50, position: 0 });
  // cash 100 000 − 10 000 + 15 300 − 5 050 = 100 250
  isNear(t, b.cash, 100_250, 'cash when flat');
  const quarter = b.submit({ symbol: 'B', size: { targetPercent: 0.25 } }, now);
  now = tick(b, { B: bar(3, 40, 40, 40, 40) }); // trunc(0.25 × 100 250 / 40) = trunc(626.5625) = 626
  t.like(fillsOf(b, quarter.id)[0], { side: 'buy', quantity: 626, position: 626 });
  const reverse = b.submit({ symbol: 'B', size: { targetPercent: -0.1 } }, now);
  // equity 75 210 + 626 × 40 = 100 250; target trunc(−0.1 × 100 250 / 40) = trunc(−250.625) = −250: sell 876
  now = tick(b, { B: bar(4, 40, 40, 40, 40) });
  t.like(fillsOf(b, reverse.id)[0], { side: 'sell', quantity: 876, position: -250 });
  const there = b.submit({ symbol: 'B', size: { targetQuantity: -250 } }, now);
  tick(b, { B: bar(5, 40, 40, 40, 40) });
  t.deepEqual(fillsOf(b, there.id), []);
  t.like(eventsOf(b, there.id).at(-1), { status: 'cancelled' });
  t.regex(eventsOf(b, there.id).at(-1)!.detail ?? '', /is 0 units/);
});

// 15. Risk limits -------------------------------------------------------------------------------

test('Broker: rejects a fill above maxPositionValue with its rule, limit and value, and lets a reducing order through', (t) => {
  const b = opened({ risk: { maxPositionValue: 20_000 } });
  const big = b.submit({ symbol: 'A', side: 'buy', size: { shares: 300 } }, OPEN);
  let now = tick(b, { A: bar(0, 100, 100, 100, 100) }); // 300 × 100 = 30 000 > 20 000
  t.like(eventsOf(b, big.id).at(-1), { status: 'rejected', rule: 'maxPositionValue', limit: 20_000, value: 30_000 });
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 150 } }, now); // 15 000 <= 20 000
  now = tick(b, { A: bar(1, 100, 200, 100, 200) });
  t.is(b.portfolio.quantity('A'), 150);
  const more = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 } }, now);
  now = tick(b, { A: bar(2, 200, 200, 200, 200) }); // 160 × 200 = 32 000 > 20 000
  t.like(eventsOf(b, more.id).at(-1), { status: 'rejected', rule: 'maxPositionValue', limit: 20_000, value: 32_000 });
  const reduce = b.submit({ symbol: 'A', side: 'sell', size: { shares: 50 } }, now);
  tick(b, { A: bar(3, 200, 200, 200, 200) }); // 100 × 200 = 20 000 left, but reducing always passes
  t.is(b.order(reduce.id)?.status, 'filled');
  t.is(b.portfolio.quantity('A'), 100);
});

test('Broker: rejects a fill above maxOrderValue, but not an order that only reduces', (t) => {
  const b = opened({ risk: { maxOrderValue: 5_000 } });
  const big = b.submit({ symbol: 'A', side: 'buy', size: { shares: 60 } }, OPEN);
  const ok = b.submit({ symbol: 'A', side: 'buy', size: { shares: 50 } }, OPEN);
  let now = tick(b, { A: bar(0, 100, 200, 100, 200) }); // 60 × 100 = 6 000 > 5 000; 50 × 100 = 5 000 passes
  t.like(eventsOf(b, big.id).at(-1), { status: 'rejected', rule: 'maxOrderValue', limit: 5_000, value: 6_000 });
  t.is(b.order(ok.id)?.status, 'filled');
  const out = b.submit({ symbol: 'A', side: 'sell', size: { shares: 50 } }, now);
  now = tick(b, { A: bar(1, 200, 200, 200, 200) }); // 50 × 200 = 10 000 > 5 000, but it closes the position
  t.is(b.order(out.id)?.status, 'filled');
  t.is(now, OPEN + 2 * MIN);
});

test('Broker: rejects a new position beyond maxOpenPositions, but adds to an open one', (t) => {
  const b = opened({ risk: { maxOpenPositions: 1 } });
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 } }, OPEN);
  let now = tick(b, { A: bar(0, 100, 100, 100, 100) });
  const second = b.submit({ symbol: 'B', side: 'buy', size: { shares: 10 } }, now);
  const add = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 } }, now);
  now = tick(b, { A: bar(1, 100, 100, 100, 100), B: bar(1, 50, 50, 50, 50) });
  t.like(eventsOf(b, second.id).at(-1), { status: 'rejected', rule: 'maxOpenPositions', limit: 1, value: 2 });
  t.is(b.order(add.id)?.status, 'filled');
  t.is(b.portfolio.quantity('A'), 20);
});

test('Broker: buying power with leverage 1 refuses more than equity, leverage 2 allows it', (t) => {
  const cash = opened();
  const o = cash.submit({ symbol: 'A', side: 'buy', size: { shares: 1_100 } }, OPEN);
  tick(cash, { A: bar(0, 100, 100, 100, 100) });
  // needs 1 100 × 100 = 110 000, has 100 000 × 1
  t.like(eventsOf(cash, o.id).at(-1), { status: 'rejected', rule: 'buyingPower', limit: 100_000, value: 110_000 });
  const margin = opened({ risk: { leverage: 2 } });
  const m = margin.submit({ symbol: 'A', side: 'buy', size: { shares: 1_100 } }, OPEN);
  tick(margin, { A: bar(0, 100, 100, 100, 100) }); // 110 000 <= 200 000
  t.is(margin.order(m.id)?.status, 'filled');
  // cash 100 000 − 110 000 = −10 000; equity −10 000 + 110 000 = 100 000
  isNear(t, margin.cash, -10_000, 'cash');
  isNear(t, margin.equity(), 100_000, 'equity');
});

test('Broker: refuses to short a symbol that is not shortable, but sells a long of it', (t) => {
  const b = opened({ instruments: { HTB: { shortable: false } } });
  const short = b.submit({ symbol: 'HTB', side: 'sell', size: { shares: 10 } }, OPEN);
  const long = b.submit({ symbol: 'HTB', side: 'buy', size: { shares: 10 } }, OPEN);
  let now = tick(b, { HTB: bar(0, 10, 10, 10, 10) });
  t.like(eventsOf(b, short.id).at(-1), { status: 'rejected', rule: 'shortable', value: -10 });
  t.is(b.order(long.id)?.status, 'filled');
  const reverse = b.submit({ symbol: 'HTB', side: 'sell', size: { shares: 20 } }, now); // 10 − 20 = −10: a short
  const out = b.submit({ symbol: 'HTB', side: 'sell', size: { shares: 10 } }, now);
  now = tick(b, { HTB: bar(1, 10, 10, 10, 10) });
  t.like(eventsOf(b, reverse.id).at(-1), { status: 'rejected', rule: 'shortable' });
  t.is(b.order(out.id)?.status, 'filled');
  t.is(b.portfolio.quantity('HTB'), 0);
});

// 16. Loss limits -------------------------------------------------------------------------------

test('Broker: maxDailyLoss flattens at the next bar open and rejects new orders with the rule for the rest of the day', (t) => {
  const options: BrokerOptions = { risk: { maxDailyLoss: 0.02 } };
  const b = opened(options);
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 900 } }, OPEN);
  const resting = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, limit: 50, tif: 'gtc' }, OPEN);
  let now = tick(b, { A: bar(0, 100, 100, 97, 97.5) });
  // equity 10 000 + 900 × 97.5 = 97 750 <= 100 000 × 0.98 = 98 000 → halt
  t.is(b.haltedBy, 'maxDailyLoss');
  t.is(b.day.haltedBy, 'maxDailyLoss');
  t.like(eventsOf(b, resting.id).at(-1), { status: 'cancelled', rule: 'maxDailyLoss' });
  t.true(b.day.events.some((e) => e.orderId === 0 && e.rule === 'maxDailyLoss'));
  const flatten = b.openOrders('A');
  t.is(flatten.length, 1);
  t.like(flatten[0], { side: 'sell', quantity: 900, tag: 'risk:maxDailyLoss', submittedAt: now });
  now = tick(b, { A: bar(1, 97, 98, 96, 97.5) }); // sells 900 at the open 97
  t.like(fillsOf(b, flatten[0]!.id)[0], { price: 97, quantity: 900, position: 0 });
  // cash 10 000 + 900 × 97 = 97 300
  isNear(t, b.cash, 97_300, 'cash');
  const refused = b.submit({ symbol: 'A', side: 'buy', size: { shares: 1 } }, now);
  t.is(refused.status, 'rejected');
  t.like(eventsOf(b, refused.id).at(-1), { status: 'rejected', rule: 'maxDailyLoss' });
  b.endSession(CLOSE);
  const carry = b.carry();
  t.is(carry.killedBy, null, 'a daily halt ends with the day');
  const next = new Broker(options, carry);
  next.beginSession(sessionAt('2024-01-03', OPEN + DAY));
  t.is(next.submit({ symbol: 'A', side: 'buy', size: { shares: 1 } }, OPEN + DAY).status, 'working');
});

test('Broker: maxDrawdown flattens and stays in the carry (killedBy), so the next day rejects orders too', (t) => {
  const options: BrokerOptions = { risk: { maxDrawdown: 0.05 } };
  const b = opened(options);
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 900 } }, OPEN);
  tick(b, { A: bar(0, 100, 100, 100, 100) }); // equity 10 000 + 90 000 = 100 000 (the peak)
  tick(b, { A: bar(1, 100, 100, 94, 94) }); // 10 000 + 900 × 94 = 94 600 <= 95 000 → killed
  t.is(b.haltedBy, 'maxDrawdown');
  tick(b, { A: bar(2, 94.5, 95, 94, 94.5) }); // flattened at the open 94.5
  // cash 10 000 + 900 × 94.5 = 95 050
  isNear(t, b.cash, 95_050, 'cash');
  t.is(b.portfolio.quantity('A'), 0);
  b.endSession(CLOSE);
  const carry = b.carry();
  t.is(carry.killedBy, 'maxDrawdown');
  const next = new Broker(options, carry);
  next.beginSession(sessionAt('2024-01-03', OPEN + DAY));
  t.is(next.day.haltedBy, 'maxDrawdown');
  const refused = next.submit({ symbol: 'A', side: 'buy', size: { shares: 1 } }, OPEN + DAY);
  t.is(refused.status, 'rejected');
  t.like(eventsOf(next, refused.id).at(-1), { rule: 'maxDrawdown' });
});

// 17. flattenAtClose ----------------------------------------------------------------------------

test('Broker: flattenAtClose closes every position at its last bar close at closeSession and cancels the orders', (t) => {
  const b = opened({ risk: { flattenAtClose: true } });
  b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 } }, OPEN);
  b.submit({ symbol: 'B', side: 'sell', size: { shares: 50 } }, OPEN);
  const resting = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 }, limit: 40, tif: 'gtc' }, OPEN);
  tick(b, { A: bar(0, 50, 50, 50, 50), B: bar(0, 20, 20, 20, 20) });
  tick(b, { B: bar(300, 19.5, 19.5, 19, 19) }); // B's last bar of the day
  tick(b, { A: bar(389, 52, 52.5, 51.5, 52) });
  b.closeSession(CLOSE);
  t.is(b.order(resting.id)?.status, 'cancelled');
  const closing = b.day.fills.filter((f) => f.time === CLOSE);
  t.deepEqual(
    closing.map((f) => [f.symbol, f.side, f.quantity, f.price, f.barStart, f.liquidity, f.tag]),
    [
      ['A', 'sell', 100, 52, OPEN + 389 * MIN, 'close', 'flattenAtClose'],
      ['B', 'buy', 50, 19, OPEN + 300 * MIN, 'close', 'flattenAtClose'],
    ],
  );
  // 100 000 − 5 000 + 1 000 + 5 200 − 950 = 100 250 (A +200, B +50)
  isNear(t, b.cash, 100_250, 'cash');
  isNear(t, b.equity(), 100_250, 'equity');
  t.deepEqual(b.portfolio.openSymbols(), []);
});

test('Broker: positions marked in place (markAt, no order working) give the same close-time fills, marks and trade excursions as bar by bar', (t) => {
  /** Bars read by index, as a tick's view of its bars is. */
  const source = (bars: FillBar[]) => ({
    start: (k: number) => bars[k]!.start,
    end: (k: number) => bars[k]!.end,
    open: (k: number) => bars[k]!.open,
    high: (k: number) => bars[k]!.high,
    low: (k: number) => bars[k]!.low,
    close: (k: number) => bars[k]!.close,
    volume: (k: number) => bars[k]!.volume,
  });
  const run = (inPlace: boolean): Broker => {
    const b = opened({ risk: { flattenAtClose: true } });
    b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 } }, OPEN);
    tick(b, { A: bar(0, 50, 50, 50, 50) }); // filled at 50: a position, no order left
    // Later bars, the highest high 54 and the lowest low 48 before the last close 52.
    const later = [bar(1, 50, 54, 49.5, 53), bar(2, 53, 53.5, 48, 49), bar(389, 52, 52.5, 51.5, 52)];
    for (let k = 0; k < later.length; k++) {
      if (inPlace) b.markAt(b.book('A'), source(later), k);
      else b.onBar('A', later[k]!);
      b.endTick(later[k]!.end);
    }
    b.closeSession(CLOSE);
    b.endSession(CLOSE);
    return b;
  };
  const marked = run(true);
  const copied = run(false);
  const closing = marked.day.fills.filter((f) => f.time === CLOSE);
  // flattenAtClose sells at the close of A's last bar (52), which only markAt saw.
  t.deepEqual(closing.map((f) => [f.side, f.quantity, f.price, f.barStart]), [['sell', 100, 52, OPEN + 389 * MIN]]);
  // The round trip's excursions: entry 50, high 54 (+8 %), low 48 (−4 %).
  const [trade] = marked.day.trades;
  t.is(trade?.mfePct, 8);
  t.is(trade?.maePct, -4);
  t.deepEqual(marked.day.trades, copied.day.trades);
  t.deepEqual(marked.day.fills, copied.day.fills);
  t.deepEqual(marked.day.equity.rows(), copied.day.equity.rows());
  t.is(marked.cash, copied.cash);
});

// 18. Futures-like ------------------------------------------------------------------------------

test('Broker: a futures-like instrument moves equity by multiplier × price change and cash only by realised P&L and commission', (t) => {
  const options: BrokerOptions = { instruments: { ES: { multiplier: 50, marginPerContract: 12_000, tickSize: 0.25 } }, commission: { type: 'per-contract', rate: 2.25 } };
  const b = opened(options);
  b.submit({ symbol: 'ES', side: 'buy', size: { shares: 2 } }, OPEN);
  let now = tick(b, { ES: bar(0, 4800, 4812, 4798, 4810) });
  // cash 100 000 − 2 × 2.25 = 99 995.5 (no notional paid); equity + 2 × (4 810 − 4 800) × 50 = 100 995.5
  isNear(t, b.cash, 99_995.5, 'cash after the buy');
  isNear(t, b.equity(), 100_995.5, 'equity marked at 4 810');
  now = tick(b, { ES: bar(1, 4805, 4806, 4795, 4796) });
  // equity 99 995.5 + 2 × (4 796 − 4 800) × 50 = 99 595.5; cash unchanged
  isNear(t, b.equity(), 99_595.5, 'equity marked at 4 796');
  isNear(t, b.cash, 99_995.5, 'cash unchanged by marks');
  b.submit({ symbol: 'ES', side: 'sell', size: { shares: 2 } }, now);
  tick(b, { ES: bar(2, 4790, 4791, 4788, 4789) });
  // realised 2 × (4 790 − 4 800) × 50 = −1 000; cash 99 995.5 − 1 000 − 4.5 = 98 991
  isNear(t, b.cash, 98_991, 'cash after the sell');
  isNear(t, b.equity(), 98_991, 'equity when flat');
  // Margin decides buying power: 9 × 12 000 = 108 000 > 100 000.
  const big = opened(options);
  const o = big.submit({ symbol: 'ES', side: 'buy', size: { shares: 9 } }, OPEN);
  tick(big, { ES: bar(0, 4800, 4800, 4800, 4800) });
  t.like(eventsOf(big, o.id).at(-1), { status: 'rejected', rule: 'buyingPower', limit: 100_000, value: 108_000 });
});

// 19. Slippage ----------------------------------------------------------------------------------

test('Broker: bps slippage worsens a market fill rounded to the tick against the trader, and never touches a limit fill', (t) => {
  const b = opened({ slippage: { type: 'bps', bps: 10 } });
  const buy = b.submit({ symbol: 'A', side: 'buy', size: { shares: 100 } }, OPEN);
  const sell = b.submit({ symbol: 'B', side: 'sell', size: { shares: 100 } }, OPEN);
  const limitInside = b.submit({ symbol: 'C', side: 'buy', size: { shares: 100 }, limit: 99.5 }, OPEN);
  const limitOpen = b.submit({ symbol: 'D', side: 'buy', size: { shares: 100 }, limit: 99.5 }, OPEN);
  const stop = b.submit({ symbol: 'E', side: 'buy', size: { shares: 100 }, stop: 101 }, OPEN);
  tick(b, {
    A: bar(0, 100.03, 100.5, 100, 100.2),
    B: bar(0, 100.03, 100.5, 100, 100.2),
    C: bar(0, 100, 100.2, 99.4, 99.8),
    D: bar(0, 99.3, 99.6, 99.2, 99.5),
    E: bar(0, 100.5, 101.5, 100.4, 101.2),
  });
  // buy: 100.03 + 100.03 × 0.001 = 100.13003 → up to the tick 100.14; cost (100.14 − 100.03) × 100 = 11
  const a = fillsOf(b, buy.id)[0]!;
  t.like(a, { price: 100.14, basePrice: 100.03 });
  isNear(t, a.slippage, 11, 'buy slippage');
  // sell: 100.03 − 0.10003 = 99.92997 → down to 99.92; cost (100.03 − 99.92) × 100 = 11
  const s = fillsOf(b, sell.id)[0]!;
  t.like(s, { price: 99.92, basePrice: 100.03 });
  isNear(t, s.slippage, 11, 'sell slippage');
  // limits: at the limit 99.5 and at the open 99.3, no slippage
  t.like(fillsOf(b, limitInside.id)[0], { price: 99.5, basePrice: 99.5, slippage: 0 });
  t.like(fillsOf(b, limitOpen.id)[0], { price: 99.3, basePrice: 99.3, slippage: 0 });
  // a stop is market-type: 101 + 0.101 = 101.101 → 101.11
  t.like(fillsOf(b, stop.id)[0], { price: 101.11, basePrice: 101 });
});

// 20. Quotes -------------------------------------------------------------------------------------

test('Broker: with quotes a market buy fills at the ask and a sell at the bid (liquidity quote)', (t) => {
  const b = opened();
  const buy = b.submit({ symbol: 'A', side: 'buy', size: { shares: 10 } }, OPEN);
  const sell = b.submit({ symbol: 'B', side: 'sell', size: { shares: 10 } }, OPEN);
  tick(b, {
    A: { ...bar(0, 100, 100.5, 99.5, 100.2), bid: 99.98, ask: 100.02 },
    B: { ...bar(0, 100, 100.5, 99.5, 100.2), bid: 99.98, ask: 100.02 },
  });
  t.like(fillsOf(b, buy.id)[0], { price: 100.02, liquidity: 'quote' });
  t.like(fillsOf(b, sell.id)[0], { price: 99.98, liquidity: 'quote' });
  // cash 100 000 − 1 000.2 + 999.8 = 99 999.6
  isNear(t, b.cash, 99_999.6, 'cash');
});

// 21. Malformed requests -------------------------------------------------------------------------

test('Broker: a malformed order or setting throws a ConfigError naming the field', (t) => {
  const b = opened();
  const bad: Array<[string, OrderRequest]> = [
    ['order.symbol', { symbol: '', side: 'buy', size: { shares: 1 } }],
    ['order.limit', { symbol: 'A', side: 'buy', size: { shares: 1 }, type: 'limit' }],
    ['order.limit', { symbol: 'A', side: 'buy', size: { shares: 1 }, limit: -5 }],
    ['order.stop', { symbol: 'A', side: 'buy', size: { shares: 1 }, type: 'stop-limit', limit: 10 }],
    ['order.size', { symbol: 'A', side: 'buy', size: {} as never }],
    ['order.size', { symbol: 'A', side: 'buy', size: { shares: 1, equityFraction: 0.5 } as never }],
    ['order.size.shares', { symbol: 'A', side: 'buy', size: { shares: 0 } }],
    ['order.size.shares', { symbol: 'A', side: 'buy', size: { shares: 1.5 } }],
    ['order.side', { symbol: 'A', size: { shares: 1 } }],
    ['order.type', { symbol: 'A', size: { targetQuantity: 5 }, type: 'limit', limit: 10 }],
    ['order.bracket', { symbol: 'A', size: { targetPercent: 0.1 }, bracket: { stopLoss: 5 } }],
    ['order.bracket.stopLoss', { symbol: 'A', side: 'buy', size: { shares: 1 }, bracket: { stopLoss: 0 } }],
    ['order.tif', { symbol: 'A', side: 'buy', size: { shares: 1 }, tif: 'fok' as never }],
    ['order.trail', { symbol: 'A', side: 'sell', size: { shares: 1 }, trail: 1, trailPercent: 0.01 }],
    ['order.trailPercent', { symbol: 'A', side: 'sell', size: { shares: 1 }, trailPercent: 1.5 }],
  ];
  for (const [path, request] of bad) {
    const error = t.throws(() => b.submit(request, OPEN), { instanceOf: ConfigError }, path);
    t.true(error?.message.startsWith(`${path}: `), `${path}: ${error?.message}`);
    t.is(error?.problems[0]?.path, path);
  }
  t.deepEqual(b.day.events, [], 'nothing recorded for a malformed request');
  const settings: Array<[string, BrokerOptions]> = [
    ['broker.cash', { cash: 0 }],
    ['broker.cashBuffer', { cashBuffer: 1 }],
    ['broker.maxParticipation', { maxParticipation: 1.5 }],
    ['broker.risk.maxDailyLoss', { risk: { maxDailyLoss: 2 } }],
    ['broker.risk.maxOpenPositions', { risk: { maxOpenPositions: 1.5 } }],
    ['broker.commission.rate', { commission: { type: 'per-share', rate: -1 } }],
    ['broker.slippage.bps', { slippage: { type: 'bps', bps: Number.NaN } }],
    ['broker.instruments.ES.multiplier', { instruments: { ES: { multiplier: 0 } } }],
  ];
  for (const [path, options] of settings) {
    const error = t.throws(() => new Broker(options), { instanceOf: ConfigError }, path);
    t.is(error?.problems[0]?.path, path);
  }
});
