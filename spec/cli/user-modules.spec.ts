import test from 'ava';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoConfig, makeDemoStore, readJson, readParquetTable, tempDir, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli, runDays } from '../helpers/cli.ts';

// The user's own indicators, scanners and strategies from the command line: modules named in
// a config (resolved against the config file), and `--import` for code that registers.

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A demo store, the fixture modules copied beside a config, and the config's path. */
async function setup(t: Parameters<typeof tempDir>[0], overrides: Record<string, unknown>): Promise<{ dir: string; config: string }> {
  const dir = await tempDir(t);
  await makeDemoStore(join(dir, 'store'), { symbols: 3, start: '2024-01-02', sessions: 2 });
  for (const file of ['bar-range-indicator.ts', 'add-symbol-scanner.mjs']) await copyFile(join(FIXTURES, file), join(dir, file));
  const config = await writeJson(join(dir, 'session.json'), demoConfig('./store', { backtest: { start: '2024-01-02', end: '2024-01-03' }, symbols: ['DEMO01'], ...overrides }));
  return { dir, config };
}

test('config modules: a TypeScript indicator and a JavaScript scanner run from the CLI, resolved against the config file', async (t) => {
  const { dir, config } = await setup(t, {
    indicators: [{ module: './bar-range-indicator.ts', interval: '5m' }],
    scanners: [{ module: './add-symbol-scanner.mjs', export: 'addSymbol', universe: ['DEMO02', 'DEMO03'] }],
  });
  const out = join(dir, 'out');
  const { code, stderr } = await runCli(['run', config, '--out', out, '--no-progress']);
  t.is(code, 0, stderr);
  t.deepEqual(runDays(out).map((d) => d.additions.map((a) => a.symbol)), [['DEMO03'], ['DEMO03']], 'the module scanner added its symbol before each open');
  const bars = await readParquetTable(join(out, 'sessions', '2024-01-03', 'DEMO01', '5m.parquet'));
  t.true(bars.names.includes('bar_range'), bars.names.join(','));
  const [high, low, range] = [bars.column('high'), bars.column('low'), bars.column('bar_range')] as number[][];
  t.true(range!.length > 70);
  range!.forEach((r, i) => t.is(r, high![i]! - low![i]!));
});

test('config modules: a wrong export names the entry, the module, what was expected and what it exports', async (t) => {
  const { config } = await setup(t, { scanners: [{ module: './add-symbol-scanner.mjs', export: 'notAScanner', universe: ['DEMO02'] }] });
  const { code, stderr } = await runCli(['validate', config]);
  t.is(code, 1);
  t.regex(stderr, /scanners\[0\]\.export/);
  t.regex(stderr, /a scanner definition/);
  t.regex(stderr, /add-symbol-scanner\.mjs/);
  t.regex(stderr, /"addSymbol", "notAScanner"/);
});

test('config modules: a module that does not exist, and name and module together, are config errors at their paths', async (t) => {
  const { config } = await setup(t, { indicators: [{ module: './nope.ts', interval: '5m' }, { name: 'ema', module: './bar-range-indicator.ts', period: 9, interval: '5m' }] });
  const { code, stdout, stderr } = await runCli(['validate', '--json', config]);
  t.is(code, 1, stderr);
  const result = JSON.parse(stdout) as { valid: boolean; problems: Array<{ path: string; message: string }> };
  t.false(result.valid);
  t.deepEqual(result.problems.map((p) => p.path), ['indicators[1]']);
  t.regex(result.problems[0]!.message, /exactly one of "name"/);
  // The missing module is found when the run prepares its components (after the shape checks).
  const fixed = await setup(t, { indicators: [{ module: './nope.ts', interval: '5m' }] });
  const missing = await runCli(['validate', fixed.config]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /indicators\[0\]\.module: .*nope\.ts does not exist/);
});

test('--import: a module that registers a strategy lets a config name it; without it the name is unknown', async (t) => {
  const { dir, config } = await setup(t, { strategies: [{ name: 'hold-first' }] });
  const without = await runCli(['validate', config]);
  t.is(without.code, 1);
  t.regex(without.stderr, /strategies\[0\]\.name/);
  const out = join(dir, 'out');
  const { code, stderr } = await runCli(['run', '--import', join(FIXTURES, 'register-hold.mjs'), config, '--out', out, '--no-progress', '--export', 'none']);
  t.is(code, 0, stderr);
  const fills = await readJson<{ stats: { trades: number; exposureTimePct: number } }>(join(out, 'summary.json'));
  t.true(fills.stats.exposureTimePct > 90, 'bought at the first bar and held');
  const bad = await runCli(['run', '--import', './no-such-register.mjs', config]);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /--import \.\/no-such-register\.mjs: .*no-such-register\.mjs does not exist/);
});
