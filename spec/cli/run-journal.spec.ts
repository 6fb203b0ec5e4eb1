import test from 'ava';
import { appendFileSync, readFileSync } from 'node:fs';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { checkJournalMatches, RunJournal } from '../../lib/cli/run-journal.ts';
import type { DayResult } from '../../lib/session/results.ts';
import { tempDir } from '../helpers/cli-fixtures.ts';

const config = parseConfig({ backtest: { start: '2024-01-02', end: '2024-01-03' }, store: { root: '/data/store', layout: '{symbol}/{date}.parquet' }, symbols: ['SPY'] });

/** A day with the values JSON loses: NaN, ±Infinity, undefined properties and array holes. */
function awkwardDay(date: string): DayResult {
  return {
    date,
    tables: { orders: [{ id: 1, limitPrice: undefined, filled: 0 }], equity: [{ equity: Number.NaN }, { equity: Number.POSITIVE_INFINITY }] },
    carry: { broker: { cash: 100_000, peak: Number.NEGATIVE_INFINITY, list: [1, null, 2] } },
  } as unknown as DayResult;
}

test('RunJournal: days read back exactly as written, NaN, Infinity and undefined keys included', async (t) => {
  const out = await tempDir(t);
  const journal = RunJournal.create(out, { package: '0.0.0', config, sessions: ['2024-01-02', '2024-01-03'] });
  journal.append(awkwardDay('2024-01-02'));
  const { header, days, droppedBytes } = RunJournal.read(out);
  t.is(droppedBytes, 0);
  t.deepEqual(header.sessions, ['2024-01-02', '2024-01-03']);
  t.deepEqual(days, [awkwardDay('2024-01-02')]);
  const orders = (days[0]!.tables as unknown as { orders: Array<Record<string, unknown>> }).orders;
  // The key is there, with undefined: a table's columns come from its rows' keys.
  t.true(Object.hasOwn(orders[0]!, 'limitPrice'));
});

test('RunJournal: a last line cut short by a kill is dropped and cut from the file, so appends go on cleanly', async (t) => {
  const out = await tempDir(t);
  const journal = RunJournal.create(out, { package: '0.0.0', config, sessions: ['2024-01-02', '2024-01-03'] });
  journal.append(awkwardDay('2024-01-02'));
  const whole = readFileSync(journal.file, 'utf8');
  appendFileSync(journal.file, '{"date":"2024-01-03","tables":{"orders":[{"id":');
  const read = RunJournal.read(out);
  t.is(read.days.length, 1);
  t.true(read.droppedBytes > 0);
  t.is(readFileSync(journal.file, 'utf8'), whole);
  RunJournal.reopen(out).append(awkwardDay('2024-01-03'));
  t.deepEqual(RunJournal.read(out).days.map((d) => d.date), ['2024-01-02', '2024-01-03']);
});

test('RunJournal: damage before the end names the file and line; a changed config names the field', async (t) => {
  const out = await tempDir(t);
  const journal = RunJournal.create(out, { package: '0.0.0', config, sessions: ['2024-01-02'] });
  appendFileSync(journal.file, 'not json\n');
  const error = t.throws(() => RunJournal.read(out));
  t.regex(error.message, /days\.ndjson:2: not a journal line/);

  const other = parseConfig({ backtest: { start: '2024-01-02', end: '2024-01-03' }, store: { root: '/data/store', layout: '{symbol}/{date}.parquet' }, symbols: ['QQQ'] });
  const mismatch = t.throws(() => checkJournalMatches({ format: 'sessionflow-run-journal', version: 1, package: '0.0.0', config, sessions: ['2024-01-02'] }, other, ['2024-01-02'], 'runs/x/days.ndjson'));
  t.is(mismatch.message, 'runs/x/days.ndjson: the journal records another config: config.symbols[0] was "SPY", now "QQQ"; resume with the config the run started with, or start a new run');
});

test('RunJournal.days streams days larger than its read chunk, with multi-byte characters across chunk boundaries; dropLastDay cuts only the last', async (t) => {
  const out = await tempDir(t);
  const journal = RunJournal.create(out, { package: '0.0.0', config, sessions: ['2024-01-02', '2024-01-03', '2024-01-04'] });
  // ~2.3 MB per day of 'é' and '€' (2 and 3 bytes): some character straddles every 1 MB boundary.
  const big = (date: string): DayResult => ({ ...awkwardDay(date), components: { note: `${'é€'.repeat(460_000)}${date}` } }) as unknown as DayResult;
  for (const date of ['2024-01-02', '2024-01-03', '2024-01-04']) journal.append(big(date));
  const seen: string[] = [];
  for (const day of RunJournal.days(out)) {
    t.deepEqual(day, big(day.date));
    seen.push(day.date);
  }
  t.deepEqual(seen, ['2024-01-02', '2024-01-03', '2024-01-04']);
  journal.dropLastDay();
  t.deepEqual([...RunJournal.days(out)].map((d) => d.date), ['2024-01-02', '2024-01-03']);
  journal.dropLastDay();
  journal.dropLastDay();
  t.deepEqual([...RunJournal.days(out)], []);
  // Only the header is left: nothing more to drop, and the header stays.
  journal.dropLastDay();
  t.deepEqual(RunJournal.scan(out).header.sessions, ['2024-01-02', '2024-01-03', '2024-01-04']);
});
