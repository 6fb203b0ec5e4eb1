import test from 'ava';
import { join } from 'node:path';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { checkStore } from '../../lib/store/check/check-store.ts';
import { importBars } from '../../lib/store/import/import-bars.ts';
import { readStoreManifest } from '../../lib/store/import/store-manifest.ts';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';
import { LEAN_FIXTURES, readLeanCsv, tempRoot } from '../helpers/lean-store.ts';

const xnys = getCalendar('XNYS');

test('checkStore: reports expected vs present minutes, gaps and extended-hours rows of the real GOOG bars, and missing files', async (t) => {
  const root = await tempRoot(t, 'sessionflow-check-');
  await importBars({ inputs: [join(LEAN_FIXTURES, 'GOOG_minute_trade_2015-12-23_2015-12-28.csv')], store: root, interval: '1m', symbol: 'GOOG' });
  const { store } = readStoreManifest(root)!;
  const report = await checkStore({ store, calendar: xnys, interval: '1m', symbols: ['GOOG', 'MSFT'], from: '2015-12-23', to: '2015-12-28' });

  // Independent expectations from the CSV's exchange-local column: regular minutes are 09:30 <= t < close.
  const rows = readLeanCsv('GOOG_minute_trade_2015-12-23_2015-12-28.csv');
  const closeOf: Record<string, string> = { '2015-12-23': '16:00', '2015-12-24': '13:00', '2015-12-28': '16:00' };
  for (const date of Object.keys(closeOf)) {
    const local = rows.filter((r) => r.localDate === date);
    const regular = local.filter((r) => r.localTime >= '09:30' && r.localTime < closeOf[date]!);
    const check = report.details.find((d) => d.symbol === 'GOOG' && d.date === date)!;
    t.is(check.expected, date === '2015-12-24' ? 210 : 390, date);
    t.is(check.present, regular.length, date);
    t.is(check.outsideSession, local.length - regular.length, date);
    t.is(check.score, (100 * regular.length) / check.expected, date);
    // Every minute of the session that the CSV lacks is inside exactly one reported range.
    const have = new Set(regular.map((r) => r.localTime));
    const lacking: string[] = [];
    for (let m = 9 * 60 + 30; `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}` < closeOf[date]!; m++) {
      const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      if (!have.has(hhmm)) lacking.push(hhmm);
    }
    t.is(check.missing, lacking.length, date);
    t.is(check.missingRanges.reduce((n, r) => n + r.bars, 0), lacking.length, date);
    for (const hhmm of lacking) t.true(check.missingRanges.some((r) => r.from <= hhmm && hhmm < r.to), `${date} ${hhmm}`);
  }
  t.like(report.details.find((d) => d.date === '2015-12-28' && d.symbol === 'GOOG')!.missingRanges[0], { from: '12:08', to: '12:09', bars: 1 });

  // MSFT has no file: step 0's reason, every minute missing.
  const msft = report.symbols.find((s) => s.symbol === 'MSFT')!;
  t.like(msft, { sessions: 3, unavailable: 3, present: 0, score: 0, worstScore: 0 });
  t.regex(report.details.find((d) => d.symbol === 'MSFT')!.reason!, /^no data file for MSFT on 2015-12-23: .*1m\/MSFT\/2015\.parquet$/);
  const goog = report.symbols.find((s) => s.symbol === 'GOOG')!;
  t.is(goog.expected, 990);
  // Both symbols expect the same 990 bars; only GOOG has any.
  t.is(report.score, (100 * goog.present) / (990 + 990));
});

test('checkStore: counts duplicates from the raw file as the reader does after sorting it', async (t) => {
  const root = await tempRoot(t, 'sessionflow-check-');
  // A hand-made file in file order 09:30, 09:31, 09:31, 09:30, 09:32 with a per-day layout: import would sort it, so write it raw.
  const open = xnys.session('2024-01-02')!.open;
  const starts = [0, 1, 1, 0, 2].map((m) => open + m * 60_000);
  await writeParquetFile(join(root, '1m', 'X', '2024-01-02.parquet'), {
    ts: Float64Array.from(starts),
    open: new Float64Array(5).fill(10),
    high: new Float64Array(5).fill(11),
    low: new Float64Array(5).fill(9),
    close: new Float64Array(5).fill(10),
    volume: new Float64Array(5).fill(100),
  }, { timestampColumns: ['ts'] });
  const report = await checkStore({ store: { root, layout: '{interval}/{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } }, calendar: xnys, interval: '1m', symbols: ['X'], from: '2024-01-02', to: '2024-01-02' });
  // The late 09:30 repeats a kept start: a duplicate (the reader sorts, then keeps the first).
  t.like(report.details[0], { present: 3, duplicates: 2, reordered: 0, missing: 387 });
  t.is(report.details[0]!.score, (100 * 3) / 390);
  t.deepEqual(report.details[0]!.missingRanges.map((r) => [r.from, r.to, r.bars]), [['09:33', '16:00', 387]]);
});
