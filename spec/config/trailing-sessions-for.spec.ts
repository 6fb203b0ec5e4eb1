import test from 'ava';
import fc from 'fast-check';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseInterval } from '../../lib/calendar/interval.ts';
import type { Session, TradingCalendar } from '../../lib/calendar/types.ts';
import type { HistoryRequirement } from '../../lib/config/plan-run.ts';
import { trailingSessionsFor } from '../../lib/config/trailing-sessions-for.ts';

/**
 * The definition, walked the slow way: for each day and requirement, ask the calendar for the
 * sessions before it one by one until they hold the bars (at most 2,520, and no further than
 * the calendar's range).
 */
function naiveTrailingSessions(requirements: readonly HistoryRequirement[], calendar: TradingCalendar, sessions: readonly Session[]): number {
  let needed = 0;
  for (const r of requirements) {
    if (r.bars <= 0) continue;
    const interval = parseInterval(r.interval);
    if (interval.sessions > 0) {
      needed = Math.max(needed, Math.ceil(r.bars * interval.sessions));
      continue;
    }
    for (const day of sessions) {
      let count = 0;
      let bars = 0;
      let cursor = day.date;
      while (bars < r.bars && count < 2520) {
        let previous: Session;
        try {
          previous = calendar.previousSession(cursor);
        } catch {
          break;
        }
        bars += Math.max(1, Math.floor((previous.close - previous.open) / interval.ms));
        count++;
        cursor = previous.date;
      }
      needed = Math.max(needed, count);
    }
  }
  return needed;
}

/** Bars of a full XNYS day (390 minutes) per interval. */
const FULL_DAY_BARS: Record<string, number> = { '1m': 390, '5m': 78, '15m': 26, '30m': 13, '1h': 6, '1d': 1 };
// Near a whole number of full days, where a short day before decides whether one more session is needed.
const requirement = fc
  .record({ interval: fc.constantFrom(...Object.keys(FULL_DAY_BARS)), days: fc.integer({ min: 0, max: 6 }), offset: fc.integer({ min: -12, max: 12 }) })
  .map(({ interval, days, offset }) => ({ interval, bars: Math.max(0, days * FULL_DAY_BARS[interval]! + offset) }));

test('trailingSessionsFor: equals the session-by-session walk on XNYS, early closes and holidays included', (t) => {
  const xnys = getCalendar('XNYS');
  const all = xnys.sessions('2018-01-01', '2024-12-31');
  fc.assert(
    fc.property(fc.array(requirement, { maxLength: 4 }), fc.integer({ min: 0, max: all.length - 1 }), fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 80 })), (requirements, from, length) => {
      const sessions = all.slice(from, from + length);
      return trailingSessionsFor(requirements, xnys, sessions) === naiveTrailingSessions(requirements, xnys, sessions);
    }),
  );
  t.pass();
});

test('trailingSessionsFor: at the start of a calendar takes the sessions there are, like the walk', (t) => {
  const calendar = getCalendar('24/5');
  const sessions = calendar.sessions('1970-01-01', '1970-01-31');
  // 1,440 one-minute bars a day: 5,000 bars need 4 sessions, which the first days do not have.
  const requirements = [{ interval: '1m', bars: 5000 }];
  t.is(trailingSessionsFor(requirements, calendar, sessions), 4);
  t.is(trailingSessionsFor(requirements, calendar, sessions.slice(0, 2)), naiveTrailingSessions(requirements, calendar, sessions.slice(0, 2)));
  t.is(trailingSessionsFor(requirements, calendar, sessions.slice(0, 2)), 1);
});

test('trailingSessionsFor: an early close counts as the short day it is (EMA(21) on 15m over the day after Thanksgiving 2024)', (t) => {
  const xnys = getCalendar('XNYS');
  // 2024-11-29 closes at 13:00: 14 fifteen-minute bars, so the Monday after needs two sessions for 21 bars.
  t.is(trailingSessionsFor([{ interval: '15m', bars: 21 }], xnys, xnys.sessions('2024-12-02', '2024-12-06')), 2);
  t.is(trailingSessionsFor([{ interval: '15m', bars: 21 }], xnys, xnys.sessions('2024-12-03', '2024-12-06')), 1);
  t.is(trailingSessionsFor([{ interval: '1d', bars: 20 }, { interval: '15m', bars: 21 }], xnys, xnys.sessions('2024-12-03', '2024-12-06')), 20);
  t.is(trailingSessionsFor([], xnys, []), 0);
});
