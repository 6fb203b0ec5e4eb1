import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig, demoFile, makeDemoStore, readJson, readParquetTable, tempDir, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli, runDays } from '../helpers/cli.ts';

interface Day {
  date: string;
  symbols: string[];
  skipped: Array<{ symbol: string; reason: string; file?: string }>;
  barsIn: number;
  barsOut: Record<string, number>;
  rejected: Record<string, number>;
  historyBars: number;
  ticks: number;
  phaseMs: Record<string, number>;
  quality: Record<string, { intervals: Record<string, { score: number }> }>;
  signals: Array<{ symbol: string; side: string; time: number }>;
}
interface Summary {
  name: string;
  status: 'ok' | 'failed' | 'interrupted';
  error?: string;
  config: { symbols: string[]; streams: string[]; store: { root: string } };
  plan: { baseInterval: string; derivedIntervals: string[]; sessions: string[] };
  totals: { days: number; barsIn: number; barsOut: Record<string, number>; ticks: number; signals: number; skipped: number };
  days: { file: string; count: number; first?: string; last?: string };
  exported: string[];
}

// One store for the file: 2 symbols × 2024-01-02..05 (DEMO02 has no 2024-01-04). The run
// covers 01-03..05 with one trailing session, so history and a skipped symbol are exercised.
const DATES = ['2024-01-03', '2024-01-04', '2024-01-05'];
let dir = '';
let store = '';
let config = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-run-'));
  store = join(dir, 'store');
  await makeDemoStore(store, { symbols: 2, start: '2024-01-02', sessions: 4 });
  config = await writeJson(
    join(dir, 'session.json'),
    demoConfig('store', {
      backtest: { start: '2024-01-03', end: '2024-01-05' },
      history: [{ trailingSessions: 1, intervals: ['1m'] }],
      indicators: [{ name: 'ema', period: 3, interval: '5m' }],
      strategies: [{ name: 'ema-crossover', params: { fast: 2, slow: 4, interval: '5m' } }],
    }),
  );
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

const sessionDirs = async (out: string): Promise<string[]> => (existsSync(join(out, 'sessions')) ? (await readdir(join(out, 'sessions'))).sort() : []);

test('run: exits 0, writes summary.json and the last day as Parquet per symbol and stream', async (t) => {
  const out = await tempDir(t);
  const { code, stdout, stderr } = await runCli(['run', config, '--out', out]);
  t.is(code, 0, stderr);
  t.regex(stdout, /│ date +│ symbols │ skipped │ bars in │ 1m out │ 5m out │/);
  t.true(stdout.includes(`summary: ${join(out, 'summary.json')}`));
  t.regex(stderr, /2024-01-04 DEMO02: skipped \(no data file/);

  const summary = await readJson<Summary>(join(out, 'summary.json'));
  t.is(summary.status, 'ok');
  t.is(summary.error, undefined);
  t.deepEqual(summary.config.symbols, ['DEMO01', 'DEMO02']);
  t.is(summary.config.store.root, store);
  t.like(summary.plan, { baseInterval: '1m', derivedIntervals: ['5m'], sessions: DATES });
  // The days are not in summary.json (it stays small however long the run): it points to them.
  t.deepEqual(summary.days, { file: join(out, 'days.ndjson'), count: 3, first: DATES[0], last: DATES[2] });
  t.deepEqual(
    runDays(out).map((d) => d.date),
    DATES,
  );
  for (const day of runDays(out)) {
    t.is(day.ticks, 390, day.date);
    t.true(day.barsIn > 380 * day.symbols.length, day.date);
    t.is(day.barsOut['1m'], day.barsIn, day.date);
    t.true(day.barsOut['5m']! > 0 && day.barsOut['5m']! <= 78 * day.symbols.length, day.date);
    t.deepEqual(Object.keys(day.phaseMs).sort(), ['active', 'end', 'init', 'teardown']);
    t.true(Object.values(day.rejected).every((n) => n === 0));
    t.true(day.historyBars > 0, day.date);
    for (const symbol of day.symbols) t.true(day.quality[symbol]!.intervals['1m']!.score > 90);
    t.true(Array.isArray(day.signals));
  }
  const skippedDay = runDays(out)[1]!;
  t.deepEqual(skippedDay.symbols, ['DEMO01']);
  t.deepEqual(skippedDay.skipped.map((s) => [s.symbol, s.file]), [['DEMO02', demoFile(store, 'DEMO02', '2024-01-04')]]);
  t.like(summary.totals, {
    days: 3,
    barsIn: runDays(out).reduce((n, d) => n + d.barsIn, 0),
    ticks: 3 * 390,
    skipped: 1,
    signals: runDays(out).reduce((n, d) => n + d.signals.length, 0),
  });
  t.true(summary.totals.signals > 0, 'the example strategy signals on 3 days of random walks');

  // --export last (the default): only the last day, every symbol and stream.
  t.deepEqual(await sessionDirs(out), ['2024-01-05']);
  const last = runDays(out)[2]!;
  const expected = ['DEMO01', 'DEMO02'].flatMap((s) => ['1m', '5m'].map((i) => join(out, 'sessions', '2024-01-05', s, `${i}.parquet`)));
  t.deepEqual([...summary.exported].sort(), expected);
  for (const interval of ['1m', '5m']) {
    let rows = 0;
    for (const symbol of ['DEMO01', 'DEMO02']) {
      const table = await readParquetTable(join(out, 'sessions', '2024-01-05', symbol, `${interval}.parquet`));
      t.deepEqual(table.names.slice(0, 8), ['start', 'end', 'open', 'high', 'low', 'close', 'volume', 'partial']);
      if (interval === '5m') t.true(table.names.includes('ema_3'), table.names.join(','));
      const start = table.column('start').map(Number);
      const end = table.column('end').map(Number);
      t.is(start[0], Date.parse('2024-01-05T14:30:00Z'));
      t.true(end.every((e, k) => e - start[k]! === (interval === '1m' ? 60_000 : 300_000)));
      rows += table.rows;
    }
    t.is(rows, last.barsOut[interval]!, interval);
  }
});

test('run --json --export all: prints only JSON on stdout, logs on stderr, and exports every day', async (t) => {
  const out = await tempDir(t);
  const { code, stdout, stderr } = await runCli(['run', config, '--out', out, '--json', '--export', 'all']);
  t.is(code, 0, stderr);
  const result = JSON.parse(stdout) as { status: string; totals: { days: number }; days: Day[]; summary: string };
  t.like(result, { status: 'ok', totals: { days: 3 }, summary: join(out, 'summary.json') });
  t.deepEqual(
    result.days.map((d) => d.date),
    DATES,
  );
  t.regex(stderr, /WARN/);
  t.deepEqual(await sessionDirs(out), DATES);
  t.deepEqual((await readdir(join(out, 'sessions', '2024-01-04'))).sort(), ['DEMO01']);
  const summary = await readJson<Summary>(join(out, 'summary.json'));
  t.is(summary.exported.length, 2 * 2 + 1 * 2 + 2 * 2);
});

test('run --export none: writes summary.json and no Parquet', async (t) => {
  const out = await tempDir(t);
  const { code, stderr } = await runCli(['run', config, '--out', out, '--export', 'none']);
  t.is(code, 0, stderr);
  t.deepEqual(await sessionDirs(out), []);
  const summary = await readJson<Summary>(join(out, 'summary.json'));
  t.is(summary.status, 'ok');
  t.deepEqual(summary.exported, []);
});

/** A store whose DEMO01 file of 2024-01-04 is not Parquet (it still exists, so validation passes). */
async function corruptStore(t: { teardown(fn: () => Promise<void>): void }): Promise<{ dir: string; file: string; config: string }> {
  const root = await tempDir(t);
  await makeDemoStore(join(root, 'store'), { symbols: 2, start: '2024-01-03', sessions: 3, missingDay: false });
  const file = demoFile(join(root, 'store'), 'DEMO01', '2024-01-04');
  await writeFile(file, 'this is not parquet at all');
  const cfg = await writeJson(join(root, 'session.json'), demoConfig('store', { backtest: { start: '2024-01-03', end: '2024-01-05' } }));
  return { dir: root, file, config: cfg };
}

test('run --allow-empty: a corrupt Parquet file skips that symbol that day, records the reason naming the file, and exits 0', async (t) => {
  const { dir: root, file, config: cfg } = await corruptStore(t);
  const out = join(root, 'out');
  // Without --allow-empty the empty (symbol, session) pair fails the run (spec/cli/faults.spec.ts).
  const { code, stderr } = await runCli(['run', cfg, '--out', out, '--export', 'none', '--allow-empty']);
  t.is(code, 0, stderr);
  t.true(stderr.includes(`2024-01-04 DEMO01: skipped (`) && stderr.includes(file), stderr);
  t.true(stderr.includes(`warning: 1 (symbol, session) pair got no 1m bars although their data file exists:\n  DEMO01 2024-01-04: 0 of 390 bars: not a Parquet file`), stderr);
  const summary = await readJson<Summary>(join(out, 'summary.json'));
  t.is(summary.status, 'ok');
  t.deepEqual(
    runDays(out).map((d) => d.symbols),
    [['DEMO01', 'DEMO02'], ['DEMO02'], ['DEMO01', 'DEMO02']],
  );
  const [skip] = runDays(out)[1]!.skipped;
  t.is(skip!.symbol, 'DEMO01');
  t.is(skip!.file, file);
  t.regex(skip!.reason, /not a Parquet file/);
  t.true(skip!.reason.includes(file));
});

test('run --strict: a corrupt Parquet file fails the run with exit 2, naming day, phase, symbol and file', async (t) => {
  const { dir: root, file, config: cfg } = await corruptStore(t);
  const out = join(root, 'out');
  const { code, stderr } = await runCli(['run', cfg, '--out', out, '--strict', '--export', 'none']);
  // Validation passed (the file exists), so this is a run failure, not invalid input.
  t.is(code, 2);
  t.regex(stderr, /^error: 2024-01-04 phase 2 \(init\) DEMO01: not a Parquet file/m);
  t.true(stderr.includes(file));
  const summary = await readJson<Summary>(join(out, 'summary.json'));
  t.is(summary.status, 'failed');
  t.true(summary.error!.includes(file));
  t.deepEqual(
    runDays(out).map((d) => d.date),
    ['2024-01-03'],
  );
});

// Serial: --log-level sets the process-wide logger level, and this test needs `info` (its
// trigger is an info line) while the concurrent tests' invocations set the default `warn`.
test.serial('run: Ctrl-C tears the current day down, exits 130 and records the finished days in summary.json', async (t) => {
  const out = await tempDir(t);
  const interrupt = new AbortController();
  let pressed = false;
  // Ctrl-C once the second day has begun, so the first is finished; like a real SIGINT it
  // arrives as a later event-loop task, not inside the engine's log call. Clock-driven, the
  // second day needs a timer per tick, so it is still running when the interrupt lands.
  const { code, stdout, stderr } = await runCli(['--log-level', 'info', 'run', config, '--out', out, '--speed', '10000'], {
    signal: interrupt.signal,
    onStderr: (text) => {
      if (pressed || !/2024-01-04 phase 1 teardown/.test(text)) return;
      pressed = true;
      setImmediate(() => interrupt.abort());
    },
  });
  t.true(interrupt.signal.aborted, stderr);
  t.is(code, 130, `${stdout}\n${stderr}`);
  t.regex(stderr, /interrupted after 1 of 3 sessions; the current day was torn down/);
  t.true(stdout.includes(`summary: ${join(out, 'summary.json')}`));
  const summary = await readJson<Summary>(join(out, 'summary.json'));
  t.is(summary.status, 'interrupted');
  t.deepEqual(
    runDays(out).map((d) => d.date),
    ['2024-01-03'],
  );
  t.is(summary.totals.days, 1);
  t.deepEqual(summary.exported, []);
});
