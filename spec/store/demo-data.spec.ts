import test from 'ava';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readParquet } from 'parquet-wasm';
import { tableFromIPC } from '@uwdata/flechette';
import { parquetMetadata } from 'hyparquet';
import type { Session } from '../../lib/calendar/types.ts';
import { ConfigError } from '../../lib/errors.ts';
import { DEMO_DAILY_LAYOUT, DEMO_YEARLY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import type { DemoStoreDescriptor } from '../../lib/store/demo-data.ts';

const MINUTE = 60_000;

function session(date: string, closeUtc = '21:00'): Session {
  return { date, open: Date.parse(`${date}T14:30:00Z`), close: Date.parse(`${date}T${closeUtc}:00Z`), earlyClose: closeUtc !== '21:00' };
}

const SESSIONS = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'].map((d) => session(d));

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sessionflow-demo-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

async function hashTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await listFiles(root)) out[file] = createHash('sha256').update(await readFile(join(root, file))).digest('hex');
  return out;
}

interface Bars {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

async function readBars(path: string): Promise<Bars> {
  const table = tableFromIPC(readParquet(new Uint8Array(await readFile(path))).intoIPCStream());
  const col = (name: string) => Float64Array.from(table.getChild(name).toArray() as ArrayLike<number>);
  return { ts: col('ts'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') };
}

const dailyPath = (out: string, symbol: string, date: string) => join(out, '1m', symbol, date.slice(0, 4), date.slice(5, 7), `${date}.parquet`);

test('generateDemoStore: same seed and options give byte-identical files', async (t) => {
  const dir = await tempDir(t);
  const options = { symbols: 3, sessions: SESSIONS, seed: 7 };
  await generateDemoStore({ ...options, out: join(dir, 'a') });
  await generateDemoStore({ ...options, out: join(dir, 'b') });
  await generateDemoStore({ ...options, seed: 8, out: join(dir, 'c') });
  const a = await hashTree(join(dir, 'a'));
  const b = await hashTree(join(dir, 'b'));
  const c = await hashTree(join(dir, 'c'));
  t.is(Object.keys(a).length, 3 * 4 - 1 + 1);
  t.deepEqual(a, b);
  t.notDeepEqual(
    Object.entries(a).filter(([f]) => f.endsWith('.parquet')),
    Object.entries(c).filter(([f]) => f.endsWith('.parquet')),
  );
});

test('generateDemoStore: every bar is a valid whole-minute OHLCV bar inside its session', async (t) => {
  const dir = await tempDir(t);
  const sessions = [...SESSIONS.slice(0, 2), session('2024-01-04', '18:00'), SESSIONS[3]!];
  const summary = await generateDemoStore({ out: dir, symbols: ['AAA', 'BBB', 'CCC'], sessions, seed: 1 });
  let rows = 0;
  for (const symbol of summary.symbols) {
    for (const s of sessions) {
      if (summary.missingDay?.symbol === symbol && summary.missingDay.date === s.date) continue;
      const bars = await readBars(dailyPath(dir, symbol, s.date));
      rows += bars.ts.length;
      t.true(bars.ts.length <= (s.close - s.open) / MINUTE);
      for (let i = 0; i < bars.ts.length; i++) {
        const [o, h, l, c, v, ts] = [bars.open[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!, bars.volume[i]!, bars.ts[i]!];
        if (!(l <= Math.min(o, c) && Math.max(o, c) <= h && l > 0)) t.fail(`${symbol} ${s.date} row ${i}: o=${o} h=${h} l=${l} c=${c}`);
        if (!(v >= 0 && Number.isInteger(v))) t.fail(`${symbol} ${s.date} row ${i}: volume ${v}`);
        if (!(ts >= s.open && ts + MINUTE <= s.close && ts % MINUTE === 0)) t.fail(`${symbol} ${s.date} row ${i}: ts ${ts} outside the session`);
        if (i > 0 && !(ts > bars.ts[i - 1]!)) t.fail(`${symbol} ${s.date} row ${i}: ts not ascending`);
        for (const p of [o, h, l, c]) if (Math.abs(p * 100 - Math.round(p * 100)) > 1e-6) t.fail(`${symbol} ${s.date} row ${i}: ${p} not in cents`);
      }
    }
  }
  t.is(rows, summary.rows);
  const early = await readBars(dailyPath(dir, 'AAA', '2024-01-04'));
  t.true(early.ts.length <= 210 && early.ts.length > 200);
});

test('generateDemoStore: intraday volume is U-shaped', async (t) => {
  const dir = await tempDir(t);
  const summary = await generateDemoStore({ out: dir, symbols: 4, sessions: SESSIONS, seed: 3, missingDaySymbol: false });
  let edges = 0;
  let edgeCount = 0;
  let middle = 0;
  let middleCount = 0;
  for (const symbol of summary.symbols) {
    for (const s of SESSIONS) {
      const bars = await readBars(dailyPath(dir, symbol, s.date));
      // Normalise per file so high-volume symbols do not dominate.
      const mean = bars.volume.reduce((a, b) => a + b, 0) / bars.volume.length;
      for (let i = 0; i < bars.ts.length; i++) {
        const minute = (bars.ts[i]! - s.open) / MINUTE;
        const v = bars.volume[i]! / mean;
        if (minute < 30 || minute >= 360) {
          edges += v;
          edgeCount++;
        } else if (minute >= 150 && minute < 240) {
          middle += v;
          middleCount++;
        }
      }
    }
  }
  const ratio = edges / edgeCount / (middle / middleCount);
  t.log(`edge/middle volume ratio ${ratio.toFixed(2)}`);
  t.true(ratio > 1.5);
});

test('generateDemoStore: the last symbol misses one middle session, which has no file', async (t) => {
  const dir = await tempDir(t);
  const summary = await generateDemoStore({ out: dir, symbols: 3, sessions: SESSIONS });
  t.deepEqual(summary.missingDay, { symbol: 'DEMO03', date: '2024-01-04' });
  await t.throwsAsync(access(dailyPath(dir, 'DEMO03', '2024-01-04')));
  await t.notThrowsAsync(access(dailyPath(dir, 'DEMO02', '2024-01-04')));
  await t.notThrowsAsync(access(dailyPath(dir, 'DEMO03', '2024-01-05')));
  t.is(summary.files, 3 * 4 - 1);
  const parquet = (await listFiles(dir)).filter((f) => f.endsWith('.parquet'));
  t.is(parquet.length, summary.files);

  const none = await generateDemoStore({ out: join(dir, 'none'), symbols: 3, sessions: SESSIONS, missingDaySymbol: false });
  t.is(none.missingDay, null);
  t.is(none.files, 12);
});

test('generateDemoStore: minutes go missing but never the opening bar', async (t) => {
  const dir = await tempDir(t);
  const summary = await generateDemoStore({ out: dir, symbols: 3, sessions: SESSIONS, missingMinuteRate: 0.02, seed: 11 });
  let total = 0;
  for (const symbol of summary.symbols) {
    let missing = 0;
    for (const s of SESSIONS) {
      if (summary.missingDay?.symbol === symbol && summary.missingDay.date === s.date) continue;
      const bars = await readBars(dailyPath(dir, symbol, s.date));
      t.is(bars.ts[0], s.open, `${symbol} ${s.date} starts at the open`);
      missing += 390 - bars.ts.length;
    }
    t.is(summary.missingMinutes[symbol], missing);
    t.true(missing > 0, `${symbol} has missing minutes`);
    total += missing;
  }
  t.true(total < 0.05 * summary.rows);
  // The default rate is small but not zero.
  const defaults = await generateDemoStore({ out: join(dir, 'defaults'), symbols: 10, sessions: SESSIONS });
  const rate = Object.values(defaults.missingMinutes).reduce((a, b) => a + b, 0) / (defaults.rows + 1);
  t.true(rate > 0.0005 && rate < 0.01, `default missing rate ${rate}`);
});

test('generateDemoStore: sessions are separated by overnight gaps', async (t) => {
  const dir = await tempDir(t);
  const summary = await generateDemoStore({ out: dir, symbols: 5, sessions: SESSIONS, missingDaySymbol: false, seed: 5 });
  let gaps = 0;
  let pairs = 0;
  for (const symbol of summary.symbols) {
    for (let d = 1; d < SESSIONS.length; d++) {
      const before = await readBars(dailyPath(dir, symbol, SESSIONS[d - 1]!.date));
      const after = await readBars(dailyPath(dir, symbol, SESSIONS[d]!.date));
      pairs++;
      if (after.open[0] !== before.close[before.close.length - 1]) gaps++;
    }
  }
  t.true(gaps >= pairs - 1, `${gaps} of ${pairs} session pairs gap`);
});

test('generateDemoStore: the yearly layout writes one row group per session', async (t) => {
  const dir = await tempDir(t);
  const sessions = [session('2023-12-28'), session('2023-12-29'), ...SESSIONS];
  const summary = await generateDemoStore({ out: dir, symbols: 2, sessions, layout: 'yearly', seed: 9 });
  t.deepEqual(summary.missingDay, { symbol: 'DEMO02', date: '2024-01-03' });
  t.deepEqual((await listFiles(dir)).filter((f) => f.endsWith('.parquet')), ['1m/DEMO01/2023.parquet', '1m/DEMO01/2024.parquet', '1m/DEMO02/2023.parquet', '1m/DEMO02/2024.parquet']);
  t.is(summary.files, 4);
  for (const symbol of summary.symbols) {
    const buf = await readFile(join(dir, '1m', symbol, '2024.parquet'));
    const md = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const expected = SESSIONS.filter((s) => !(summary.missingDay?.symbol === symbol && summary.missingDay.date === s.date));
    t.is(md.row_groups.length, expected.length);
    md.row_groups.forEach((rg, g) => {
      const stats = rg.columns[0]!.meta_data!.statistics!;
      t.is((stats.min_value as Date).getTime(), expected[g]!.open);
      t.true((stats.max_value as Date).getTime() < expected[g]!.close);
    });
  }
  const descriptor = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as DemoStoreDescriptor;
  t.is(descriptor.layout, DEMO_YEARLY_LAYOUT);
});

test('generateDemoStore: writes store.json describing the store', async (t) => {
  const dir = await tempDir(t);
  await generateDemoStore({ out: dir, symbols: 2, sessions: SESSIONS, seed: 4 });
  const descriptor = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as DemoStoreDescriptor;
  t.like(descriptor, {
    root: '.',
    layout: DEMO_DAILY_LAYOUT,
    timestamp: { column: 'ts', label: 'start' },
    interval: '1m',
    symbols: ['DEMO01', 'DEMO02'],
    sessions: { from: '2024-01-02', to: '2024-01-05' },
    seed: 4,
    missingDay: { symbol: 'DEMO02', date: '2024-01-04' },
  });
  t.is(typeof descriptor.generator.version, 'number');
});

test('generateDemoStore: rejects unordered sessions and bad symbol names', async (t) => {
  const dir = await tempDir(t);
  await t.throwsAsync(generateDemoStore({ out: dir, symbols: 2, sessions: [SESSIONS[1]!, SESSIONS[0]!] }), { instanceOf: ConfigError });
  await t.throwsAsync(generateDemoStore({ out: dir, symbols: ['A', '../B'], sessions: SESSIONS }), { instanceOf: ConfigError });
  await t.throwsAsync(generateDemoStore({ out: dir, symbols: 0, sessions: SESSIONS }), { instanceOf: ConfigError });
});

