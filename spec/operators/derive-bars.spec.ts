import test from 'ava';
import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert/strict';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import type { Session } from '../../lib/calendar/types.ts';
import { ConfigError } from '../../lib/errors.ts';
import { aggregateSessionWindows } from '../../lib/store/aggregate-windows.ts';
import { BarSeries } from '../../lib/session/bar-series.ts';
import { deriveBars } from '../../operators/bars/derive-bars.ts';
import { runSlices, type TestBar } from '../../pipelines/testing/index.ts';
import { MIN, flatBar, sessionOf } from '../helpers/bars.ts';

type InputBar = TestBar;

const xnys = getCalendar('XNYS');
const FULL_EDT = xnys.session('2024-03-15')!; // 13:30Z–20:00Z
const EARLY = xnys.session('2024-11-29')!; // 14:30Z–18:00Z, 13:00 ET close

/** One bar per minute of the session, price rising by one cent a minute. */
function fullDay(session: Session, skip: (minute: number) => boolean = () => false): InputBar[] {
  const out: InputBar[] = [];
  const n = (session.close - session.open) / MIN;
  for (let i = 0; i < n; i++) if (!skip(i)) out.push(flatBar(session.open + i * MIN, 100 + i / 100, 10 + i));
  return out;
}

const iso = (t: number) => new Date(t).toISOString().slice(11, 16);

test('deriveBars: anchors 5m windows at the session open, not at the UTC epoch (synthetic 09:32 open)', (t) => {
  // 13:32Z is not a multiple of 5 minutes since the epoch: epoch anchoring would give 13:30, 13:35, …
  const session = sessionOf('2024-03-15', '13:32', '14:02');
  const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars: { X: fullDay(session) }, ticks: 'clock' });
  const starts = run.rows('X', '5m').map((b) => iso(b.start));
  t.deepEqual(starts, ['13:32', '13:37', '13:42', '13:47', '13:52', '13:57']);
  t.true(run.rows('X', '5m').every((b) => b.end - b.start === 5 * MIN && !b.partial));
  t.true(run.completed);
});

test('deriveBars: anchors 60m windows at 09:30 ET on XNYS and flags 15:30–16:00 partial', (t) => {
  const run = runSlices(deriveBars(['60m']), { session: FULL_EDT, intervals: ['1m', '60m'], bars: { SPY: fullDay(FULL_EDT) }, ticks: 'clock' });
  const rows = run.rows('SPY', '60m');
  // 09:30 EDT = 13:30Z; epoch anchoring would start the first window at 13:00Z or 14:00Z.
  t.deepEqual(rows.map((b) => `${iso(b.start)}-${iso(b.end)}`), ['13:30-14:30', '14:30-15:30', '15:30-16:30', '16:30-17:30', '17:30-18:30', '18:30-19:30', '19:30-20:00']);
  t.deepEqual(rows.map((b) => b.partial), [false, false, false, false, false, false, true]);
  const last = rows.at(-1)!;
  t.is(last.volume, Array.from({ length: 30 }, (_, i) => 10 + 360 + i).reduce((a, b) => a + b, 0));
  t.is(last.close, 100 + 389 / 100);
});

test('deriveBars: truncates the last window at a 13:00 early close', (t) => {
  const run = runSlices(deriveBars(['15m', '60m']), { session: EARLY, intervals: ['1m', '15m', '60m'], bars: { SPY: fullDay(EARLY) }, ticks: 'clock' });
  const h = run.rows('SPY', '60m');
  t.deepEqual(h.map((b) => `${iso(b.start)}-${iso(b.end)}`), ['14:30-15:30', '15:30-16:30', '16:30-17:30', '17:30-18:00']);
  t.deepEqual(h.map((b) => b.partial), [false, false, false, true]);
  const q = run.rows('SPY', '15m');
  t.is(q.length, 14); // 210 minutes / 15: the close falls on a window end, nothing is cut
  t.false(q.some((b) => b.partial));
  t.true(q.every((b) => b.end <= EARLY.close));
});

test('deriveBars: emits a derived bar only at the tick that reaches the window end', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:50');
  // Minute 4 (13:34) is missing, so the last base bar of window 0 ends at 13:34, before the window end.
  const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars: { X: fullDay(session, (i) => i === 4) } });
  const emitted = run.closed('5m');
  t.deepEqual(emitted.map((b) => iso(b.at)), ['13:35', '13:40', '13:45', '13:50']);
  for (const b of emitted) t.is(b.at, b.end);
  // No slice before 13:35 lists a 5m bar.
  t.false(run.slices.some((s) => s.time < session.open + 5 * MIN && s.closed.has('5m')));
});

test('deriveBars: a window with no base bar emits nothing', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:50');
  const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars: { X: fullDay(session, (i) => i >= 5 && i < 10) } });
  t.deepEqual(run.rows('X', '5m').map((b) => iso(b.start)), ['13:30', '13:40', '13:45']);
  t.false(run.ticks.find((s) => s.time === session.open + 10 * MIN)!.closed.has('5m'));
});

test('deriveBars: a window with missing minutes aggregates the bars present', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:35');
  const o = session.open;
  const bars = new Map<string, InputBar[]>([
    [
      'X',
      [
        { start: o, open: 10, high: 12, low: 9, close: 11, volume: 100 },
        { start: o + 2 * MIN, open: 11, high: 15, low: 10.5, close: 14, volume: 50 },
        { start: o + 4 * MIN, open: 14, high: 14.5, low: 8, close: 9.5, volume: 7 },
      ],
    ],
  ]);
  const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars });
  t.deepEqual(run.rows('X', '5m'), [{ start: o, end: o + 5 * MIN, open: 10, high: 15, low: 8, close: 9.5, volume: 157, partial: false }]);
});

test('deriveBars: lists bars of several symbols in symbol order', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:40');
  const bars = new Map([
    ['ZZZ', fullDay(session)],
    ['AAA', fullDay(session, (i) => i % 2 === 1)],
  ]);
  const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars, symbols: ['ZZZ', 'AAA'], ticks: 'clock' });
  t.deepEqual(run.closed('5m').map((b) => `${iso(b.at)} ${b.symbol}`), ['13:35 AAA', '13:35 ZZZ', '13:40 AAA', '13:40 ZZZ']);
});

test('deriveBars: closes every window a coarse tick skipped', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:50');
  // Ticks every 10 minutes only: each tick drains two 5m windows' worth of base bars.
  const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars: { X: fullDay(session) }, ticks: [session.open + 10 * MIN, session.close] });
  const rows = run.rows('X', '5m');
  t.deepEqual(rows.map((b) => iso(b.start)), ['13:30', '13:35', '13:40', '13:45']);
  t.deepEqual(rows.map((b) => b.volume), [0, 5, 10, 15].map((m) => [0, 1, 2, 3, 4].reduce((a, i) => a + 10 + m + i, 0)));
});

test('deriveBars: resubscribing starts a fresh session with identical output', (t) => {
  const op = deriveBars(['5m', '15m']);
  const session = sessionOf('2024-03-15', '13:30', '14:30');
  const bars = new Map([['X', fullDay(session, (i) => i % 7 === 3)]]);
  const runOnce = () => {
    const run = runSlices(op, { session, intervals: ['1m', '5m', '15m'], bars });
    return { m5: run.rows('X', '5m'), m15: run.rows('X', '15m'), emitted: run.closed('5m').map((b) => b.at) };
  };
  const a = runOnce();
  const b = runOnce();
  t.is(a.m5.length, 12);
  t.is(a.m15.length, 4);
  t.deepEqual(a, b);
});

test('deriveBars: refuses invalid intervals synchronously with a ConfigError', (t) => {
  t.throws(() => deriveBars(['5x']), { instanceOf: ConfigError });
  t.throws(() => deriveBars(['1d']), { instanceOf: ConfigError });
});

test('deriveBars: reports an interval that is not a multiple of the base on the error channel', (t) => {
  const session = sessionOf('2024-03-15', '13:30', '13:40');
  const run = runSlices(deriveBars(['3m']), { session, intervals: ['2m', '3m'], bars: { X: [flatBar(session.open, 1)] }, ticks: [session.open + 2 * MIN] });
  t.true(run.error instanceof ConfigError);
  t.false(run.completed);
});

// ---------------------------------------------------------------------------------------------
// Property: derived OHLCV equals an independent aggregation of the same base bars.

interface RefBar {
  start: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  partial: boolean;
}

/** Straightforward reference: group by floor((start - open) / w). Written without the operator's code. */
function referenceAggregate(session: Session, bars: readonly InputBar[], w: number): RefBar[] {
  const groups = new Map<number, InputBar[]>();
  for (const b of bars) {
    const k = Math.floor((b.start - session.open) / w);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(b);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((k) => {
      const g = groups.get(k)!;
      const start = session.open + k * w;
      const end = Math.min(start + w, session.close);
      return {
        start,
        end,
        open: g[0]!.open,
        high: Math.max(...g.map((b) => b.high)),
        low: Math.min(...g.map((b) => b.low)),
        close: g[g.length - 1]!.close,
        volume: g.reduce((s, b) => s + b.volume, 0),
        partial: end < start + w,
      };
    });
}

function columnsOf(bars: readonly InputBar[]) {
  const col = (f: (b: InputBar) => number) => Float64Array.from(bars, f);
  return { length: bars.length, start: col((b) => b.start), open: col((b) => b.open), high: col((b) => b.high), low: col((b) => b.low), close: col((b) => b.close), volume: col((b) => b.volume) };
}

const barArb = fc
  .record({
    a: fc.double({ min: 1, max: 1000, noNaN: true }),
    b: fc.double({ min: 1, max: 1000, noNaN: true }),
    up: fc.double({ min: 0, max: 5, noNaN: true }),
    down: fc.double({ min: 0, max: 5, noNaN: true }),
    volume: fc.integer({ min: 0, max: 1_000_000 }),
    present: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r) => ({ open: r.a, close: r.b, high: Math.max(r.a, r.b) + r.up, low: Math.min(r.a, r.b) - r.down, volume: r.volume, present: r.present }));

test('deriveBars: derived OHLCV (live and history) equals an independent aggregation for random bars, gaps and intervals (property)', (t) => {
  t.plan(0);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 23 * 60 }), // open minute of the day (any, not only quarter hours)
      // session length in minutes, with one candidate bar per minute
      fc.integer({ min: 1, max: 240 }).chain((n) => fc.array(barArb, { minLength: n, maxLength: n })),
      fc.uniqueArray(fc.integer({ min: 2, max: 90 }), { minLength: 1, maxLength: 3 }), // window multiples of the base
      fc.double({ min: 0, max: 0.9, noNaN: true }), // missing-minute rate
      (openMinute, pool, multiples, missing) => {
        const minutes = pool.length;
        const open = Date.UTC(2024, 2, 15) + openMinute * MIN;
        const session: Session = { date: '2024-03-15', open, close: open + minutes * MIN, earlyClose: false };
        const bars: InputBar[] = [];
        for (let i = 0; i < minutes; i++) {
          const p = pool[i]!;
          if (p.present >= missing) bars.push({ start: open + i * MIN, open: p.open, high: p.high, low: p.low, close: p.close, volume: p.volume });
        }
        const names = [...multiples].sort((a, b) => a - b).map((m) => `${m}m`);
        const run = runSlices(deriveBars(names), { session, intervals: ['1m', ...names], bars: { X: bars } });
        if (run.error) throw run.error;
        const totalVolume = bars.reduce((s, b) => s + b.volume, 0);
        for (const [j, name] of names.entries()) {
          const got = run.rows('X', name);
          const w = [...multiples].sort((a, b) => a - b)[j]! * MIN;
          const want = referenceAggregate(session, bars, w);
          deepStrictEqual(got, want, `${name} open=${openMinute} minutes=${minutes}`);
          // History windows (aggregateSessionWindows) must match the live ones, or warm-up would differ.
          const hist = new BarSeries('X', name, w);
          aggregateSessionWindows(columnsOf(bars), 0, bars.length, session, w, hist);
          deepStrictEqual(Array.from({ length: hist.length }, (_, i) => hist.bar(i)), want, `history ${name}`);
          for (const b of got) {
            if (!(b.low <= Math.min(b.open, b.close) && Math.max(b.open, b.close) <= b.high)) throw new Error(`OHLC order broken in ${JSON.stringify(b)}`);
            if (b.end > session.close) throw new Error(`bar past the close: ${JSON.stringify(b)}`);
          }
          if (got.reduce((s, b) => s + b.volume, 0) !== totalVolume) throw new Error(`${name}: volume not conserved`);
        }
        return true;
      },
    ),
    { numRuns: 150 },
  );
});
