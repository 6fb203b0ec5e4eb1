import test from 'ava';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStoreManifest } from '../../lib/store/import/store-manifest.ts';
import { tempDir } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

test('import: converts a Lean CSV and a Kibot file, prints the report and exits 0', async (t) => {
  const dir = await tempDir(t, 'sessionflow-cli-import-');
  const store = join(dir, 'store');
  const lean = await runCli(['import', join(FIXTURES, 'lean', 'GOOG_minute_trade_2015-12-23_2015-12-28.csv'), '--store', store, '--interval', '1m', '--symbol', 'GOOG']);
  t.is(lean.code, 0, lean.stderr);
  // 1,091 rows in the fixture (its README), all valid; 3 trading days → 3 row groups in one yearly file.
  t.regex(lean.stdout, /^imported 1091 bars of 1 symbol \(GOOG\) from 1 file into /m);
  t.regex(lean.stdout, /^rows read 1091, accepted 1091, rejected 0$/m);
  t.regex(lean.stdout, /wrote {5}.*\/1m\/GOOG\/2015\.parquet: 1091 rows in 3 row groups/);
  t.is(lean.stderr, '');

  const kibot = await runCli(['import', join(FIXTURES, 'import', 'SPY.txt'), '--store', store, '--interval', '1m', '--format', 'kibot', '--json']);
  t.is(kibot.code, 0, kibot.stderr);
  const report = JSON.parse(kibot.stdout) as { rowsAccepted: number; symbols: string[]; inputs: Array<{ format: string }> };
  t.like(report, { rowsAccepted: 10, symbols: ['SPY'] });
  t.is(report.inputs[0]!.format, 'kibot');
  t.deepEqual(readStoreManifest(store)!.symbols, ['GOOG', 'SPY']);
});

test('import: lists rejected rows with file:line and exits 1 for an unknown column mapping', async (t) => {
  const dir = await tempDir(t, 'sessionflow-cli-import-');
  const bad = join(FIXTURES, 'import', 'generic_bad_rows.csv');
  const rejected = await runCli(['import', bad, '--store', join(dir, 'store'), '--interval', '1m', '--symbol', 'T']);
  t.is(rejected.code, 0, rejected.stderr);
  // The fixture's rows 7-14 are broken on purpose (see spec/import/import-bars.spec.ts for the list).
  t.regex(rejected.stdout, /^rows read 14, accepted 6, rejected 8, 1 out of order \(sorted\)$/m);
  t.regex(rejected.stdout, /^ {2}rejected high_below_low: 1$/m);
  t.true(rejected.stdout.includes(`    ${bad}:8: high_below_low: high 470.7 < low 470.9`));
  t.true(rejected.stdout.includes(`    ${bad}:14: wrong_column_count: 2 columns, expected at least 6`));
  const result = await runCli(['import', bad, '--store', join(dir, 'store'), '--interval', '1m', '--symbol', 'T', '--map', 'price=close']);
  t.is(result.code, 1);
  t.regex(result.stderr, /^error: map: expected a column of .*generic_bad_rows\.csv \(timestamp, open, high, low, close, volume\), got "price=close"$/m);
});

test('import: every row rejected (1m bars stamped hh:mm:30) exits 1 and says why, with the grid it expected', async (t) => {
  const dir = await tempDir(t, 'sessionflow-cli-import-');
  const csv = join(dir, 'half-minutes.csv');
  const { writeFile } = await import('node:fs/promises');
  const open = Date.parse('2024-01-02T14:30:30Z');
  await writeFile(csv, ['timestamp,open,high,low,close,volume', ...Array.from({ length: 5 }, (_, m) => `${new Date(open + m * 60_000).toISOString()},10,11,9,10,100`)].join('\n') + '\n');
  const result = await runCli(['import', csv, '--store', join(dir, 'store'), '--interval', '1m', '--symbol', 'HALF']);
  t.is(result.code, 1);
  t.regex(result.stdout, /^rows read 5, accepted 0, rejected 5$/m);
  t.regex(result.stdout, /^ {2}rejected misaligned_timestamp: 5$/m);
  t.regex(result.stdout, /half-minutes\.csv:2: misaligned_timestamp: 2024-01-02T14:30:30\.000Z is not on the 60 s grid anchored at the session open \(2024-01-02T14:30:00\.000Z\)/);
  t.regex(result.stderr, /^error: no row of .*half-minutes\.csv was imported \(5 read, 5 rejected\); see the reasons above$/m);
});
