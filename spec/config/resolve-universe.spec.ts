import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { resolveUniverse } from '../../lib/config/resolve-universe.ts';
import { ConfigError } from '../../lib/errors.ts';
import { DEMO_YEARLY_LAYOUT } from '../../lib/store/demo-data.ts';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sessionflow-universe-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const configOver = (root: string) => parseConfig({ backtest: { start: '2024-01-02', end: '2024-01-05' }, store: { root, layout: DEMO_YEARLY_LAYOUT }, symbols: ['SPY'] });

test('resolveUniverse: a list is used as written, as a copy', (t) => {
  const list = ['MSFT', 'AAPL', 'BRK.B'];
  const resolved = resolveUniverse(list, configOver('/store'), 'universe', '1m');
  t.deepEqual(resolved, ['MSFT', 'AAPL', 'BRK.B']);
  t.not(resolved, list);
});

test('resolveUniverse: a file lists one symbol per line or comma-separated, with # comments, blank lines, CRLF and duplicates kept once, in file order', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'universe.txt');
  await writeFile(file, '# large caps\r\nMSFT\r\n\r\nAAPL, GOOG,NVDA  # tech\r\n  BRK.B\tSPY\r\nAAPL\r\n#TSLA\r\n');
  t.deepEqual(resolveUniverse({ file }, configOver('/store'), 'scanners[0].universe', '1m'), ['MSFT', 'AAPL', 'GOOG', 'NVDA', 'BRK.B', 'SPY']);
});

test('resolveUniverse: reports every bad entry of a file with file:line at <path>.file', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'universe.txt');
  await writeFile(file, 'AAPL\n$$$\nMSFT, !bad # fine: # starts a comment\n\n-X\n');
  const error = t.throws(() => resolveUniverse({ file }, configOver('/store'), 'scanners[1].universe', '1m'), { instanceOf: ConfigError });
  t.deepEqual(
    error.problems.map((p) => [p.path, p.message]),
    [
      ['scanners[1].universe.file', `${file}:2: "$$$" is not a symbol`],
      ['scanners[1].universe.file', `${file}:3: "!bad" is not a symbol`],
      ['scanners[1].universe.file', `${file}:5: "-X" is not a symbol`],
    ],
  );
  t.true(error.message.startsWith('scanners[1].universe.file: 3 bad entries:\n'), error.message);
  t.is(error.file, file);
});

test('resolveUniverse: a missing or empty file is a ConfigError at <path>.file', async (t) => {
  const dir = await tempDir(t);
  const missing = join(dir, 'nope.txt');
  const gone = t.throws(() => resolveUniverse({ file: missing }, configOver('/store'), 'universe', '1m'), { instanceOf: ConfigError });
  t.is(gone.problems[0]!.path, 'universe.file');
  t.is(gone.problems[0]!.value, missing);
  t.regex(gone.message, /no such file/);
  const empty = join(dir, 'empty.txt');
  await writeFile(empty, '# nothing yet\n\n');
  const none = t.throws(() => resolveUniverse({ file: empty }, configOver('/store'), 'universe', '1m'), { instanceOf: ConfigError });
  t.is(none.problems[0]!.path, 'universe.file');
  t.regex(none.message, /a file listing at least one symbol/);
});

test('resolveUniverse: "store" lists the store’s symbols at the base interval, and an empty store is a ConfigError at the path', async (t) => {
  const root = await tempDir(t);
  for (const dir of ['1m/SPY', '1m/AAPL', '5m/QQQ']) await mkdir(join(root, dir), { recursive: true });
  t.deepEqual(resolveUniverse('store', configOver(root), 'universe', '1m'), ['AAPL', 'SPY']);
  t.deepEqual(resolveUniverse('store', configOver(root), 'universe', '5m'), ['QQQ']);
  const error = t.throws(() => resolveUniverse('store', configOver(root), 'scanners[0].universe', '15m'), { instanceOf: ConfigError });
  t.is(error.problems[0]!.path, 'scanners[0].universe');
  t.regex(error.message, /a store holding symbols \(none found under .* for layout "\{interval\}\/\{symbol\}\/\{yyyy\}\.parquet"\)/);
});

test('parseConfig: a universe file resolves against the config’s folder (baseDir), at the top level and per scanner', (t) => {
  const config = parseConfig(
    {
      backtest: { start: '2024-01-02', end: '2024-01-05' },
      store: { root: 'store', layout: DEMO_YEARLY_LAYOUT },
      symbols: ['SPY'],
      universe: { file: 'lists/all.txt' },
      scanners: [{ name: 'gap', universe: { file: '../shared/gappers.txt' } }, { name: 'top-dollar-volume', universe: { file: '/abs/liquid.txt' } }, { name: 'new-high-low' }],
    },
    { baseDir: '/configs/jan' },
  );
  t.deepEqual(config.universe, { file: '/configs/jan/lists/all.txt' });
  t.deepEqual(
    config.scanners.map((s) => s.universe),
    [{ file: '/configs/shared/gappers.txt' }, { file: '/abs/liquid.txt' }, undefined],
  );
});
