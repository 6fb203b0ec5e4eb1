/**
 * Scanners from a session config: parameter, name and schedule validation (every problem at
 * its JSON path, before the first day), the defaults filled in, and the universe forms (a
 * list, a file relative to the config file, the store's symbols, the top-level default)
 * through the real engine.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../lib/config/parse-config.ts';
import type { SessionConfigInput } from '../../../lib/config/schema.ts';
import { ConfigError } from '../../../lib/errors.ts';
import type { SessionComponent } from '../../../lib/session/component.ts';
import type { BacktestResult } from '../../../lib/session/results.ts';
import { backtest } from '../../../pipelines/backtest.ts';
import { componentsFromConfig } from '../../../pipelines/components-from-config.ts';
import { prepareRun } from '../../../pipelines/prepare-run.ts';
import { makeEngineStore, quietEngineLogs, type EngineStore } from '../../helpers/engine-fixtures.ts';
import { scansOf, storeSection } from './scanner-fixtures.ts';

type ScannerSpec = NonNullable<SessionConfigInput['scanners']>[number];

const BASE = { backtest: { start: '2024-01-02', end: '2024-01-05' }, store: { root: '/no-such-store', layout: '{interval}/{symbol}/{date}.parquet' }, symbols: ['SPY'] };
const withScanners = (scanners: unknown[], extra: Record<string, unknown> = {}) => parseConfig({ ...BASE, ...extra, scanners });

function problemsOf(t: ExecutionContext, make: () => unknown): Array<[string, string]> {
  const error = t.throws(make, { instanceOf: ConfigError });
  return error.problems.map((p) => [p.path, p.message]);
}

test('scanner params: wrong types, out-of-range values and unknown keys are ConfigErrors at scanners[i].params.<key>, all reported together', (t) => {
  const config = withScanners([
    { name: 'gap', params: { minPercent: '3' }, universe: ['A'] },
    { name: 'gap', as: 'gap2', params: { direction: 'sideways', count: 2.5, bogus: 1 }, universe: ['A'] },
    { name: 'top-dollar-volume', params: { count: 0, sessions: 261 }, universe: ['A'] },
    { name: 'relative-volume', params: { sessions: 61, minRatio: -1 }, universe: ['A'] },
    { name: 'new-high-low', params: { side: 'HIGH', minBars: 0 }, universe: ['A'] },
    { name: 'price-volume-filter', params: { dropFailing: 'yes', maxPrice: null, basis: 'yesterday', minVolume: -5 }, universe: ['A'] },
    { name: 'gap', as: 'fine', params: { minPercent: 0, direction: 'down', count: 1 }, universe: ['A'] },
  ]);
  const problems = problemsOf(t, () => componentsFromConfig(config));
  t.deepEqual(
    problems.map(([path]) => path),
    [
      'scanners[0].params.minPercent',
      'scanners[1].params.direction',
      'scanners[1].params.count',
      'scanners[1].params.bogus',
      'scanners[2].params.count',
      'scanners[2].params.sessions',
      'scanners[3].params.sessions',
      'scanners[3].params.minRatio',
      'scanners[4].params.side',
      'scanners[4].params.minBars',
      'scanners[5].params.minVolume',
      'scanners[5].params.basis',
      'scanners[5].params.dropFailing',
    ],
  );
  const message = new Map(problems);
  t.regex(message.get('scanners[0].params.minPercent')!, /got "3"$/);
  t.is(message.get('scanners[1].params.direction'), '"up", "down" or "both"; got "sideways"');
  t.is(message.get('scanners[1].params.count'), 'a whole number; got 2.5');
  t.is(message.get('scanners[1].params.bogus'), 'unknown parameter "bogus"; allowed: minPercent, direction, count');
  t.is(message.get('scanners[2].params.count'), 'at least 1; got 0');
  t.is(message.get('scanners[2].params.sessions'), 'at most 260; got 261');
  t.is(message.get('scanners[3].params.sessions'), 'at most 60; got 61');
  t.is(message.get('scanners[3].params.minRatio'), 'a ratio >= 0; got -1');
  t.is(message.get('scanners[4].params.side'), '"high" or "low"; got "HIGH"');
  t.is(message.get('scanners[5].params.minVolume'), 'a volume >= 0; got -5');
  t.is(message.get('scanners[5].params.basis'), '"prior" or "today"; got "yesterday"');
  t.regex(message.get('scanners[5].params.dropFailing')!, /got "yes"$/);
});

test('scanner names: an unknown name is a ConfigError at scanners[i].name listing the scanners, with "did you mean" for a near miss only', (t) => {
  const config = withScanners([
    { name: 'gap', universe: ['A'] },
    { name: 'top-dolar-volume', universe: ['A'] },
    { name: 'Relative-Volumes', universe: ['A'] },
    { name: 'momentum-burst', universe: ['A'] },
  ]);
  const error = t.throws(() => componentsFromConfig(config), { instanceOf: ConfigError });
  t.deepEqual(
    error.problems.map((p) => [p.path, p.value, / did you mean "([^"]+)"\?$/.exec(p.message)?.[1]]),
    [
      ['scanners[1].name', 'top-dolar-volume', 'top-dollar-volume'],
      ['scanners[2].name', 'Relative-Volumes', 'relative-volume'],
      ['scanners[3].name', 'momentum-burst', undefined],
    ],
  );
  t.is(error.problems[0]!.expected, 'a registered scanner (gap, new-high-low, price-volume-filter, relative-volume, top-dollar-volume)');
  t.regex(error.message, /^invalid session config \(3 problems\):\n {2}scanners\[1\]\.name: expected a registered scanner \(.*\), got "top-dolar-volume"; did you mean "top-dollar-volume"\?\n/);
});

test('scanner names: matched case-insensitively; the same scanner twice needs distinct "as" names', (t) => {
  const ok = componentsFromConfig(withScanners([{ name: 'GAP', universe: ['A'] }, { name: 'gap', as: 'gap-down', params: { direction: 'down' }, universe: ['A'] }]));
  t.deepEqual(
    ok.filter((c) => c.kind === 'scanner').map((c) => [c.name, c.describe?.().scanner]),
    [
      ['gap', 'gap'],
      ['gap-down', 'gap'],
    ],
  );
  t.deepEqual(problemsOf(t, () => componentsFromConfig(withScanners([{ name: 'gap', universe: ['A'] }, { name: 'Gap', universe: ['A'] }]))).map(([p]) => p), ['scanners[1].as']);
});

test('scanner schedules: each bad entry is a ConfigError at scanners[i].schedule[j]', (t) => {
  const config = withScanners([{ name: 'new-high-low', schedule: ['pre', '10:61', 'every 0m', 'open+30s', 'close-1h', 'open-5m', 'at noon'], universe: ['A'] }]);
  t.deepEqual(
    problemsOf(t, () => componentsFromConfig(config)).map(([p]) => p),
    ['scanners[0].schedule[1]', 'scanners[0].schedule[2]', 'scanners[0].schedule[5]', 'scanners[0].schedule[6]'],
  );
});

test('prepareRun: reports the scanners’ problems of an object config before any data is read', (t) => {
  const error = t.throws(
    () =>
      prepareRun({
        ...BASE,
        scanners: [
          { name: 'gapp', universe: ['A'] },
          { name: 'gap', params: { minPercent: -1 }, universe: ['A'] },
        ],
      }),
    { instanceOf: ConfigError },
  );
  t.deepEqual(
    error.problems.map((p) => p.path),
    ['scanners[0].name', 'scanners[1].params.minPercent'],
  );
  t.regex(error.problems[0]!.message, /did you mean "gap"\?$/);
});

test('scanner defaults: params, schedule and maxAdds the config leaves out are filled in from the definition', (t) => {
  const components = componentsFromConfig(
    withScanners([
      { name: 'gap', universe: ['A'] },
      { name: 'top-dollar-volume', universe: ['A'] },
      { name: 'relative-volume', universe: ['A'] },
      { name: 'new-high-low', universe: ['A'] },
      { name: 'price-volume-filter', params: { minPrice: 5 }, schedule: ['pre', '10:00'], maxAdds: 3, universe: ['A', 'B'] },
    ]),
  );
  const described = components.filter((c) => c.kind === 'scanner').map((c) => c.describe!());
  t.deepEqual(
    described.map((d) => [d.name, d.schedule, d.maxAdds, d.params]),
    [
      ['gap', ['open+1m'], 10, { minPercent: 2, direction: 'both', count: 10 }],
      ['top-dollar-volume', ['pre'], 10, { count: 20, sessions: 1, minPrice: 0 }],
      ['relative-volume', ['every 30m'], 10, { sessions: 10, minRatio: 2, count: 10 }],
      ['new-high-low', ['every 15m'], 10, { side: 'high', minBars: 5, count: 10 }],
      ['price-volume-filter', ['pre', '10:00'], 3, { minPrice: 5, maxPrice: null, minVolume: 0, maxVolume: null, basis: 'prior', dropFailing: false, count: 50 }],
    ],
  );
  t.deepEqual(components.filter((c) => c.kind === 'scanner').map((c) => c.needs?.schedule), [['open+1m'], ['pre'], ['every 30m'], ['every 15m'], ['pre', '10:00']]);
  t.deepEqual(described[4]!.universe, 2);
});

// ---------------------------------------------------------------------------------------
// Universe forms through the engine: top-dollar-volume with a large count adds every universe
// symbol that is not active, so the day's additions show which universe the scanner used.
// ---------------------------------------------------------------------------------------

let store: EngineStore;
let bare: EngineStore;
let dir = '';
const DAY = '2024-04-03';

test.before(async () => {
  quietEngineLogs();
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-scanner-config-'));
  [store, bare] = await Promise.all([
    makeEngineStore({ symbols: 4, from: '2024-04-01', to: DAY, missingDaySymbol: false }),
    makeEngineStore({ symbols: ['ALPHA', 'BRAVO', 'CHARLIE'], from: '2024-04-01', to: DAY, missingDaySymbol: false }),
  ]);
  // Without the manifest, "store" is listed from the folders.
  await rm(join(bare.root, 'store.json'));
});

test.after.always(async () => {
  await Promise.all([store?.dispose(), bare?.dispose(), dir && rm(dir, { recursive: true, force: true })]);
});

function configOver(root: string, scanners: ScannerSpec[], extra: Partial<SessionConfigInput> = {}): SessionConfigInput {
  return { name: 'universe-spec', store: { ...storeSection(root), decodeThreads: 0 }, symbols: ['DEMO01'], streams: ['1m'], scanners, backtest: { start: DAY, end: DAY, speed: 0 }, ...extra };
}

async function runOf(t: ExecutionContext, config: string | SessionConfigInput, components: SessionComponent[] = []): Promise<BacktestResult> {
  const result = await backtest(config, { components }).result();
  t.teardown(() => result.dispose());
  return result;
}

const addedBy = (result: BacktestResult, by: string) => result.days[0]!.additions.filter((a) => a.by === by).map((a) => a.symbol).sort();

test('scanner universe: a list limits the picks to its symbols; the top-level universe is the default, a scanner’s own overrides it', async (t) => {
  const result = await runOf(
    t,
    configOver(
      store.root,
      [
        { name: 'top-dollar-volume', as: 'default', params: { count: 10 } },
        { name: 'top-dollar-volume', as: 'own', params: { count: 10 }, universe: ['DEMO04'] },
      ],
      { universe: ['DEMO02', 'DEMO03'] },
    ),
  );
  t.deepEqual(addedBy(result, 'default'), ['DEMO02', 'DEMO03']);
  t.deepEqual(addedBy(result, 'own'), ['DEMO04']);
  t.deepEqual(scansOf(result.days[0]!, 'default').map((s) => s.universe), [2]);
  t.deepEqual(scansOf(result.days[0]!, 'own').map((s) => s.universe), [1]);
});

test('scanner universe: "store" (also the default without any universe) is every symbol of the store, from its manifest or its folders', async (t) => {
  const [manifest, folders, implicit] = await Promise.all([
    runOf(t, configOver(store.root, [{ name: 'top-dollar-volume', params: { count: 10 }, universe: 'store' }])),
    runOf(t, configOver(bare.root, [{ name: 'top-dollar-volume', params: { count: 10 }, universe: 'store' }], { symbols: ['ALPHA'] })),
    runOf(t, configOver(store.root, [{ name: 'top-dollar-volume', params: { count: 10 } }])),
  ]);
  t.deepEqual(addedBy(manifest, 'top-dollar-volume'), ['DEMO02', 'DEMO03', 'DEMO04']);
  t.deepEqual(scansOf(manifest.days[0]!, 'top-dollar-volume')[0]!.picks, 4);
  t.deepEqual(addedBy(folders, 'top-dollar-volume'), ['BRAVO', 'CHARLIE']);
  t.deepEqual(scansOf(folders.days[0]!, 'top-dollar-volume')[0]!.universe, 3);
  t.deepEqual(addedBy(implicit, 'top-dollar-volume'), ['DEMO02', 'DEMO03', 'DEMO04']);
});

test('scanner universe: {"file"} resolves against the config file’s folder, whatever the working directory', async (t) => {
  const folder = join(dir, 'file-form');
  await mkdir(join(folder, 'lists'), { recursive: true });
  await writeFile(join(folder, 'lists', 'picks.txt'), '# two of the four\nDEMO04\nDEMO02, DEMO04\n');
  const configFile = join(folder, 'session.json');
  await writeFile(configFile, JSON.stringify(configOver(store.root, [{ name: 'top-dollar-volume', params: { count: 10 }, universe: { file: 'lists/picks.txt' } }])));
  t.not(process.cwd(), folder);
  const result = await runOf(t, configFile);
  t.deepEqual(addedBy(result, 'top-dollar-volume'), ['DEMO02', 'DEMO04']);
  t.deepEqual(scansOf(result.days[0]!, 'top-dollar-volume')[0]!.universe, 2);
});

test('scanner universe: bad lines of a universe file are reported with file:line at scanners[i].universe.file before the first day', async (t) => {
  const folder = join(dir, 'bad-file');
  await mkdir(folder, { recursive: true });
  const list = join(folder, 'universe.txt');
  await writeFile(list, 'DEMO02\nDEMO 03?\n\n$SPX\n');
  const configFile = join(folder, 'session.json');
  await writeFile(configFile, JSON.stringify(configOver(store.root, [{ name: 'gap', universe: ['DEMO02'] }, { name: 'top-dollar-volume', universe: { file: 'universe.txt' } }])));
  const error = t.throws(() => prepareRun(configFile), { instanceOf: ConfigError });
  t.deepEqual(
    error.problems.map((p) => [p.path, p.message]),
    [
      ['scanners[1].universe.file', `${list}:2: "03?" is not a symbol`],
      ['scanners[1].universe.file', `${list}:4: "$SPX" is not a symbol`],
    ],
  );
});
