import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../lib/errors.ts';
import { DEMO_DAILY_LAYOUT, DEMO_YEARLY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import { listStoreSymbols } from '../../lib/store/list-store-symbols.ts';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';

/** A temp folder holding `files` (relative paths; a trailing "/" makes a folder), removed after the test. */
async function tree(t: { teardown(fn: () => Promise<void>): void }, files: readonly string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sessionflow-list-symbols-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  for (const file of files) {
    if (file.endsWith('/')) await mkdir(join(root, file), { recursive: true });
    else {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await writeFile(join(root, file), '');
    }
  }
  return root;
}

test('listStoreSymbols: lists the {symbol} folders under the interval folder, sorted, ignoring other intervals, hidden and underscore entries and files', async (t) => {
  const root = await tree(t, ['1m/MSFT/2024.parquet', '1m/AAPL/2023.parquet', '1m/BRK.B/2024.parquet', '1m/.cache/', '1m/_tmp/', '1m/README.md', '5m/TSLA/2024.parquet', 'daily/SPY.parquet']);
  t.deepEqual(listStoreSymbols({ root, layout: DEMO_YEARLY_LAYOUT }, '1m'), ['AAPL', 'BRK.B', 'MSFT']);
  t.deepEqual(listStoreSymbols({ root, layout: DEMO_YEARLY_LAYOUT }, '5m'), ['TSLA']);
});

test('listStoreSymbols: matches the {symbol} part of a segment with other text (hive-style "symbol={symbol}") and expands placeholders before it', async (t) => {
  const root = await tree(t, ['2023/1m/symbol=AAPL/x.parquet', '2024/1m/symbol=MSFT/x.parquet', '2024/1m/symbol=AAPL/x.parquet', '2024/1m/other/x.parquet', '2024/5m/symbol=QQQ/x.parquet']);
  t.deepEqual(listStoreSymbols({ root, layout: '{yyyy}/{interval}/symbol={symbol}/{date}.parquet' }, '1m'), ['AAPL', 'MSFT']);
});

test('listStoreSymbols: lists file names when {symbol} is in the file name, and only files', async (t) => {
  const root = await tree(t, ['daily/SPY.parquet', 'daily/QQQ.parquet', 'daily/notes.txt', 'daily/DIR.parquet/', 'daily/.hidden.parquet', 'bars/1m_AAPL_2024.parquet', 'bars/1m_MSFT_2023.parquet', 'bars/5m_TSLA_2024.parquet']);
  t.deepEqual(listStoreSymbols({ root, layout: 'daily/{symbol}.parquet' }, '1d'), ['QQQ', 'SPY']);
  t.deepEqual(listStoreSymbols({ root, layout: 'bars/{interval}_{symbol}_{yyyy}.parquet' }, '1m'), ['AAPL', 'MSFT']);
});

test('listStoreSymbols: prefers the store.json manifest’s symbols over the folders', async (t) => {
  const root = await tree(t, ['1m/AAPL/2024.parquet']);
  await writeFile(join(root, 'store.json'), JSON.stringify({ layout: DEMO_YEARLY_LAYOUT, timestamp: { column: 'ts', label: 'start' }, symbols: ['ZZZ', 'MSFT', 'AAA'] }));
  t.deepEqual(listStoreSymbols({ root, layout: DEMO_YEARLY_LAYOUT }, '1m'), ['AAA', 'MSFT', 'ZZZ']);
});

test('listStoreSymbols: lists a generated demo store from its folders the same as from its manifest', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'sessionflow-list-symbols-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await generateDemoStore({ out: root, symbols: ['BETA', 'ALPHA', 'GAMMA'], sessions: getCalendar('XNYS').sessions('2024-01-02', '2024-01-03'), missingDaySymbol: false });
  const store = { root, layout: DEMO_DAILY_LAYOUT };
  t.deepEqual(listStoreSymbols(store, '1m'), ['ALPHA', 'BETA', 'GAMMA']);
  await rm(join(root, 'store.json'));
  t.deepEqual(listStoreSymbols(store, '1m'), ['ALPHA', 'BETA', 'GAMMA']);
  t.deepEqual(listStoreSymbols(store, '5m'), []);
});

test('listStoreSymbols: gives no symbols for a missing root, and a ConfigError at the field path for a layout without {symbol}', async (t) => {
  t.deepEqual(listStoreSymbols({ root: join(tmpdir(), 'sessionflow-no-such-store-7f3a'), layout: DEMO_YEARLY_LAYOUT }, '1m'), []);
  const root = await tree(t, ['1m/2024.parquet']);
  const error = t.throws(() => listStoreSymbols({ root, layout: '{interval}/{yyyy}.parquet' }, '1m', 'scanners[2].universe'), { instanceOf: ConfigError });
  t.is(error.problems[0]!.path, 'scanners[2].universe');
  t.regex(error.message, /^scanners\[2\]\.universe: expected a store whose layout has \{symbol\} or whose store\.json lists its symbols/);
});
