import test from 'ava';
import { join } from 'node:path';
import { LEAN_FIXTURES } from '../helpers/lean-store.ts';
import { importBars } from '../../lib/store/import/import-bars.ts';
import { tempDir } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';

test('data check: prints the per-symbol table and gaps, --json for machines, and exits 1 below --fail-below', async (t) => {
  const dir = await tempDir(t, 'sessionflow-cli-check-');
  const store = join(dir, 'store');
  await importBars({ inputs: [join(LEAN_FIXTURES, 'GOOG_minute_trade_2015-12-23_2015-12-28.csv')], store, interval: '1m', symbol: 'GOOG' });

  const human = await runCli(['data', 'check', '--store', store]);
  t.is(human.code, 0, human.stderr);
  t.regex(human.stdout, /^store .* 1m bars; XNYS 2015-12-23\.\.2015-12-28: 3 sessions$/m);
  t.regex(human.stdout, /│ GOOG +│ 3 +│ 0 +│ 990 +│/);
  // 2015-12-28 lacks 12:08 among others (the fixture has no trade bar that minute).
  t.regex(human.stdout, /^GOOG 2015-12-28 score \d+\.\d\d \(\d+\/390\): missing 12:08-12:09, /m);

  const json = await runCli(['data', 'check', '--store', store, '--symbols', 'GOOG,MSFT', '--from', '2015-12-24', '--to', '2015-12-24', '--json', '--fail-below', '50']);
  t.is(json.code, 1);
  const report = JSON.parse(json.stdout) as { symbols: Array<{ symbol: string; expected: number; score: number }>; failing: string[]; details: Array<{ symbol: string; expected: number; available: boolean }> };
  // 2015-12-24 closed at 13:00: 210 expected minutes for each symbol.
  t.deepEqual(report.symbols.map((s) => [s.symbol, s.expected]), [['GOOG', 210], ['MSFT', 210]]);
  t.deepEqual(report.failing, ['MSFT']);
  t.false(report.details.find((d) => d.symbol === 'MSFT')!.available);
  t.regex(json.stderr, /^quality below 50: MSFT 0\.00$/m);
});

test('data check: a symbol with no data on any session (a wrong name or case) fails naming it, with the store symbol meant', async (t) => {
  const dir = await tempDir(t, 'sessionflow-cli-check-');
  const store = join(dir, 'store');
  await importBars({ inputs: [join(LEAN_FIXTURES, 'GOOG_minute_trade_2015-12-23_2015-12-28.csv')], store, interval: '1m', symbol: 'GOOG' });
  const wrong = await runCli(['data', 'check', '--store', store, '--symbols', 'goog', '--from', '2015-12-23', '--to', '2015-12-28']);
  t.is(wrong.code, 1);
  t.regex(wrong.stderr, /^no data at all for goog \(did you mean "GOOG"\?\) in 2015-12-23\.\.2015-12-28$/m);
  const json = await runCli(['data', 'check', '--store', store, '--symbols', 'GOOG,NOPE', '--from', '2015-12-23', '--to', '2015-12-28', '--json']);
  t.is(json.code, 1);
  t.deepEqual((JSON.parse(json.stdout) as { noData: string[] }).noData, ['NOPE (not in the store\'s store.json)']);
});
