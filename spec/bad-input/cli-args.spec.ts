/**
 * Bad-input matrix, command-line arguments and outputs (issue 15, point 7): unknown options,
 * bad numbers, unusable `--out` folders, files where folders belong and the reverse. Every
 * case runs `main` in process on real files and expects exit 1 with a message naming the
 * option, path or value — as text on stderr, and with `--json` as one JSON object on stdout.
 */
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig, makeDemoStore, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { jsonAnswer, refused } from './helpers.ts';

interface ArgsCase {
  readonly title: string;
  /** The arguments; `@CONFIG` is a valid config, `@STORE` its store, `@DIR` the temp folder. */
  readonly args: readonly string[];
  /** What the message names (same placeholders). */
  readonly names: readonly string[];
}

const CASES: readonly ArgsCase[] = [
  { title: 'an unknown option of run', args: ['run', '@CONFIG', '--bogus'], names: ["unknown option '--bogus'"] },
  { title: 'a negative --speed', args: ['run', '@CONFIG', '--speed', '-1'], names: ["option '--speed <multiplier>' argument '-1' is invalid", 'speed must be a number >= 0, got "-1"'] },
  { title: 'a --speed that is not a number', args: ['run', '@CONFIG', '--speed', 'abc'], names: ['speed must be a number >= 0, got "abc"'] },
  { title: 'a --min-coverage above 1', args: ['run', '@CONFIG', '--min-coverage', '1.5'], names: ['--min-coverage must be a share from 0 to 1 (or a percentage such as 90%), got "1.5"'] },
  { title: 'a --min-coverage of 150%', args: ['run', '@CONFIG', '--min-coverage', '150%'], names: ['--min-coverage must be a share from 0 to 1', 'got "150%"'] },
  { title: 'an --export that is not a choice', args: ['run', '@CONFIG', '--export', 'bogus'], names: ["option '--export <which>' argument 'bogus' is invalid. Allowed choices are last, all, none."] },
  { title: '--report without --out', args: ['run', '@CONFIG', '--report'], names: ['--report needs --out <dir> (the report is written there)'] },
  { title: 'an --out that is a file', args: ['run', '@CONFIG', '--out', '@DIR/out-file.txt', '--no-progress'], names: ['@DIR/out-file.txt'] },
  { title: 'an --out under a file', args: ['run', '@CONFIG', '--out', '@DIR/out-file.txt/run', '--no-progress'], names: ['@DIR/out-file.txt'] },
  { title: 'a config path that does not exist', args: ['run', '@DIR/no-such.json'], names: ['@DIR/no-such.json: cannot read session config (no such file)'] },
  { title: 'a config path that is a folder', args: ['validate', '@DIR'], names: ['@DIR: cannot read session config (EISDIR)'] },
  { title: 'run without a config', args: ['run'], names: ["missing required argument 'config'"] },
  { title: 'an unknown --log-level', args: ['--log-level', 'loud', 'validate', '@CONFIG'], names: ["option '--log-level <level>' argument 'loud' is invalid", 'Allowed choices are'] },
  { title: 'an --import module that does not exist', args: ['--import', '@DIR/missing-module.js', 'validate', '@CONFIG'], names: ['@DIR/missing-module.js'] },
  { title: 'a --max-jump of -1 for data check', args: ['data', 'check', '--store', '@STORE', '--max-jump', '-1'], names: ['--max-jump must be a fraction > 0 (0.1 = 10 %), got "-1"'] },
  { title: 'a --fail-below that is not a number', args: ['data', 'check', '--store', '@STORE', '--fail-below', 'abc'], names: ['--fail-below must be a score in [0, 100], got "abc"'] },
  { title: 'a --fail-below above 100', args: ['data', 'check', '--store', '@STORE', '--fail-below', '101'], names: ['--fail-below must be a score in [0, 100], got "101"'] },
  { title: 'a data check --interval that is not one', args: ['data', 'check', '--store', '@STORE', '--interval', '7x'], names: ['interval: expected an interval like "1m", "5m", "1h" or "1d", got "7x"'] },
  { title: 'a data check --from that is not a date', args: ['data', 'check', '--store', '@STORE', '--from', '2024-13-01', '--to', '2024-01-04'], names: ['from: expected a date "YYYY-MM-DD", got "2024-13-01"'] },
  { title: 'a data check store that does not exist', args: ['data', 'check', '--store', '@DIR/no-store'], names: ['@DIR/no-store'] },
  { title: 'an unknown calendar', args: ['calendar', 'XLON'], names: ['"XLON"'] },
  { title: 'a calendar --from that is not a date', args: ['calendar', 'XNYS', '--from', 'tomorrow'], names: ['--from: expected a date "YYYY-MM-DD", got "tomorrow"'] },
  { title: 'a calendar range that ends before it starts', args: ['calendar', 'XNYS', '--from', '2024-02-01', '--to', '2024-01-01'], names: ['--to: expected a date on or after --from (2024-02-01), got "2024-01-01"'] },
  { title: 'a report of a folder that is not a run', args: ['report', '@STORE'], names: ['@STORE/summary.json: not a run\'s summary', 'pass the --out folder of sessionflow run'] },
  { title: 'import without --store', args: ['import', '@DIR/in.csv', '--interval', '1m'], names: ["required option '--store <dir>' not specified"] },
  { title: 'an import input that does not exist', args: ['import', '@DIR/no-such.csv', '--store', '@DIR/imported', '--interval', '1m', '--symbol', 'X'], names: ['@DIR/no-such.csv'] },
  { title: 'demo --symbols 0', args: ['demo', '--out', '@DIR/demo', '--symbols', '0'], names: ['--symbols must be a whole number >= 1, got "0"'] },
  { title: 'an unknown command', args: ['backtest', '@CONFIG'], names: ["unknown command 'backtest'"] },
];

let dir = '';
let config = '';
let store = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-bad-args-'));
  store = join(dir, 'store');
  await makeDemoStore(store, { symbols: 2, start: '2024-01-02', sessions: 3, missingDay: false });
  const base = demoConfig('store') as { store: Record<string, unknown> };
  config = await writeJson(join(dir, 'session.json'), { ...base, store: { ...base.store, decodeThreads: 0 } });
  await writeFile(join(dir, 'out-file.txt'), 'a file, not a folder\n');
  await writeFile(join(dir, 'in.csv'), 'timestamp,open,high,low,close,volume\n');
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

const fill = (text: string): string => text.replaceAll('@CONFIG', config).replaceAll('@STORE', store).replaceAll('@DIR', dir);

for (const c of CASES) {
  test(`args: ${c.title}`, async (t) => {
    const args = c.args.map(fill);
    const names = c.names.map(fill);
    const text = await runCli(args);
    refused(t, text, 1, names);
    // With --json the answer is one object on stdout, usage errors included.
    const json = jsonAnswer<{ ok: boolean; error: string }>(t, await runCli([...args, '--json']));
    t.false(json.ok);
    for (const name of names) t.true(json.error.includes(name), `the JSON error does not name ${JSON.stringify(name)}: ${json.error}`);
  });
}
