import test from 'ava';
import { formatDays } from '../../lib/cli/format-report.ts';
import { totalsOf, type DayResult } from '../../lib/session/results.ts';

function day(date: string, score: number): DayResult {
  return {
    date,
    open: 0,
    close: 1,
    earlyClose: date === '2024-03-05',
    symbols: ['A'],
    skipped: [],
    barsIn: 390,
    barsOut: { '1m': 390, '5m': 78 },
    rejected: { null_or_nan: 1 },
    historyBars: 0,
    ticks: 390,
    phaseMs: { init: 1, active: 2, teardown: 0, end: 0 },
    quality: { A: { intervals: { '1m': { expected: 390, present: 390, rejected: 0, score, gaps: 0 } }, history: {}, rejected: {}, reordered: 0 } },
    signals: [],
    additions: [],
    drops: [],
    components: {},
    tables: {},
    carry: {},
  };
}

/** `count` weekdays' worth of dates from 2024-01-01, 20 per month. */
function days(count: number): DayResult[] {
  return Array.from({ length: count }, (_, i) => day(`2024-${String(1 + Math.floor(i / 20)).padStart(2, '0')}-${String(1 + (i % 20)).padStart(2, '0')}`, i % 2 === 0 ? 100 : 90));
}

const rows = (text: string): string[][] => text.split('\n').filter((l) => l.startsWith('│')).map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));

test('formatDays: a line per day up to 62 days, with the totals', (t) => {
  const list = days(62);
  const table = rows(formatDays(list, totalsOf(list, 5)));
  t.deepEqual(table[0]!.slice(0, 2), ['date', 'symbols']);
  t.is(table.length, 1 + 62 + 1);
  t.deepEqual(table[1]!.slice(0, 7), ['2024-01-01', '1', '0', '390', '390', '78', '1']);
  t.deepEqual(table.at(-1)!.slice(0, 5), ['total', '', '0', String(62 * 390), String(62 * 390)]);
});

test('formatDays: a longer run prints a line per month, counts summed, quality averaged, early closes marked', (t) => {
  const list = days(70);
  const text = formatDays(list, totalsOf(list, 5));
  const table = rows(text);
  t.deepEqual(table[0]!.slice(0, 2), ['month (sessions)', 'symbols (max)']);
  t.deepEqual(
    table.slice(1, -1).map((r) => r.slice(0, 9)),
    [
      ['2024-01 (20)', '1', '0', String(20 * 390), String(20 * 390), String(20 * 78), '20', String(20 * 390), '95.0'],
      ['2024-02 (20)', '1', '0', String(20 * 390), String(20 * 390), String(20 * 78), '20', String(20 * 390), '95.0'],
      ['2024-03* (20)', '1', '0', String(20 * 390), String(20 * 390), String(20 * 78), '20', String(20 * 390), '95.0'],
      ['2024-04 (10)', '1', '0', String(10 * 390), String(10 * 390), String(10 * 78), '10', String(10 * 390), '95.0'],
    ],
  );
  t.deepEqual(table.at(-1)!.slice(0, 4), ['total', '', '0', String(70 * 390)]);
  t.true(text.endsWith('* with an early close'));
});
