import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { DataError } from '../../lib/errors.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { importBars } from '../../lib/store/import/import-bars.ts';
import { readStoreManifest } from '../../lib/store/import/store-manifest.ts';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';
import { LEAN_FIXTURES, readLeanCsv, tempRoot } from '../helpers/lean-store.ts';

const IMPORT_FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const SPY_CSV = join(LEAN_FIXTURES, 'SPY_minute_trade_2013-10-04_2013-10-11.csv');
const xnys = getCalendar('XNYS');
const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

test('importBars: converts the Lean CSV into a yearly Snappy file with statistics and one row group per trading day', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const report = await importBars({ inputs: [SPY_CSV], store: root, interval: '1m', symbol: 'SPY' });
  // Expected rows come from the fixture itself, parsed by the test helper (csv-parse + Date.parse).
  const rows = readLeanCsv('SPY_minute_trade_2013-10-04_2013-10-11.csv');
  t.like(report, { rowsRead: rows.length, rowsAccepted: rows.length, rowsRejected: 0, symbols: ['SPY'], layout: '{interval}/{symbol}/{yyyy}.parquet' });
  t.is(report.inputs[0]!.format, 'lean');
  const file = join(root, '1m', 'SPY', '2013.parquet');
  t.deepEqual(report.files.map((f) => f.path), [file]);

  // hyparquet (an independent reader) sees Snappy chunks (the default) with min/max statistics, one row group per local date.
  const bytes = await readFile(file);
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const days = new Set(rows.map((r) => r.localDate));
  t.is(meta.row_groups.length, days.size);
  for (const group of meta.row_groups) {
    for (const chunk of group.columns) {
      t.is(chunk.meta_data?.codec, 'SNAPPY');
      t.not(chunk.meta_data?.statistics?.min_value, undefined);
    }
  }
  const byDay = [...days].map((d) => rows.filter((r) => r.localDate === d).length);
  t.deepEqual(meta.row_groups.map((g) => Number(g.num_rows)), byDay);

  // The store reads back through the manifest: 390 regular-session bars on 2013-10-07, equal to the CSV's.
  const manifest = readStoreManifest(root)!;
  t.like(manifest.store, { layout: '{interval}/{symbol}/{yyyy}.parquet', timestamp: { column: 'ts', unit: 'ms', label: 'start' }, timezone: 'America/New_York' });
  t.deepEqual(manifest.symbols, ['SPY']);
  t.deepEqual(manifest.dates, { from: '2013-10-04', to: '2013-10-11' });
  const session = xnys.session('2013-10-07')!;
  const loaded = await new ParquetBarReader(manifest.store).load('SPY', '1m', session.open, session.close, session.date);
  const expected = rows.filter((r) => r.start >= session.open && r.start < session.close);
  t.is(loaded.bars.length, 390);
  t.deepEqual([...loaded.bars.start], expected.map((r) => r.start));
  t.deepEqual([...loaded.bars.close], expected.map((r) => r.close));
  t.deepEqual([...loaded.bars.volume], expected.map((r) => r.volume));
});

test('importBars: re-importing the same data leaves byte-identical files, and split imports merge into the same file', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  await importBars({ inputs: [SPY_CSV], store: join(root, 'whole'), interval: '1m', symbol: 'SPY' });
  const whole = join(root, 'whole', '1m', 'SPY', '2013.parquet');
  const first = await sha(whole);
  const again = await importBars({ inputs: [SPY_CSV], store: join(root, 'whole'), interval: '1m', symbol: 'SPY' });
  t.is(await sha(whole), first);
  t.like(again.files[0], { written: false, added: 0, replaced: 0 });

  // The same rows in two halves (written by hand from the fixture), imported one after the other.
  const text = (await readFile(SPY_CSV, 'utf8')).trimEnd().split('\n');
  const header = text[0]!;
  const body = text.slice(1);
  const cut = body.findIndex((l) => l.includes(',2013-10-09T'));
  await writeFile(join(root, 'late.csv'), [header, ...body.slice(cut)].join('\n'));
  await writeFile(join(root, 'early.csv'), [header, ...body.slice(0, cut)].join('\n'));
  await importBars({ inputs: [join(root, 'late.csv')], store: join(root, 'split'), interval: '1m', symbol: 'SPY' });
  const merge = await importBars({ inputs: [join(root, 'early.csv')], store: join(root, 'split'), interval: '1m', symbol: 'SPY' });
  t.like(merge.files[0], { written: true, added: cut, replaced: 0, rows: body.length });
  t.is(await sha(join(root, 'split', '1m', 'SPY', '2013.parquet')), first);
});

test('importBars: rejects broken rows with reasons and file:line examples, sorts and de-duplicates the rest', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const csv = join(IMPORT_FIXTURES, 'generic_bad_rows.csv');
  const report = await importBars({ inputs: [csv], store: root, interval: '1m', symbol: 'TEST' });
  // Line by line (header = line 1): 2,3,5,6,15 good; 4 good but out of order; 7 bad timestamp; 8 high < low;
  // 9 empty close; 10 close above high; 11 volume -5; 12 at 09:40:30; 13 repeats line 3; 14 has 2 columns.
  t.is(report.rowsRead, 14);
  t.is(report.rowsAccepted, 6);
  t.is(report.reordered, 1);
  t.like(report.rejected, { bad_timestamp: 1, high_below_low: 1, null_or_nan: 1, open_close_outside_range: 1, negative_volume: 1, misaligned_timestamp: 1, duplicate_timestamp: 1, wrong_column_count: 1, missing_symbol: 0 });
  t.is(report.rowsRejected, 8);
  const lineOf = new Map(report.examples.map((e) => [e.reason, e.line]));
  t.deepEqual(Object.fromEntries(lineOf), { bad_timestamp: 7, high_below_low: 8, null_or_nan: 9, open_close_outside_range: 10, negative_volume: 11, misaligned_timestamp: 12, wrong_column_count: 14, duplicate_timestamp: 13 });
  t.true(report.examples.every((e) => e.file === csv));
  t.regex(report.examples.find((e) => e.reason === 'duplicate_timestamp')!.detail, /generic_bad_rows\.csv:3 \(identical values\)/);

  const session = xnys.session('2024-01-02')!;
  const loaded = await new ParquetBarReader(readStoreManifest(root)!.store).load('TEST', '1m', session.open, session.close, session.date);
  // 09:30-09:34 (09:33 naive ET, 09:34 as epoch ms) and 09:42 given as 14:42Z.
  t.deepEqual([...loaded.bars.start], [30, 31, 32, 33, 34, 42].map((m) => Date.UTC(2024, 0, 2, 14, m)));
  t.deepEqual([...loaded.bars.close], [470.2, 470.3, 470.4, 470.6, 470.7, 471.0]);
});

test('importBars: reads the Polygon flat-file preset (symbols from ticker, ns window_start) into one file per symbol', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const report = await importBars({ inputs: [join(IMPORT_FIXTURES, 'polygon_minute_aggs_sample.csv')], store: root, interval: '1m', layout: '{interval}/{symbol}/{date}.parquet' });
  t.is(report.inputs[0]!.format, 'polygon');
  t.deepEqual(report.symbols, ['GOOG', 'SPY']);
  t.deepEqual(report.files.map((f) => [f.path.slice(root.length), f.rows]), [['/1m/GOOG/2015-12-24.parquet', 5], ['/1m/SPY/2013-10-07.parquet', 10]]);
  const spy = readLeanCsv('SPY_minute_trade_2013-10-04_2013-10-11.csv').filter((r) => r.localDate === '2013-10-07' && r.localTime.startsWith('09:3'));
  const session = xnys.session('2013-10-07')!;
  const loaded = await new ParquetBarReader(readStoreManifest(root)!.store).load('SPY', '1m', session.open, session.close, session.date);
  t.deepEqual([...loaded.bars.start], spy.map((r) => r.start));
  t.deepEqual([...loaded.bars.high], spy.map((r) => r.high));
});

test('importBars: reads the header-less Kibot preset in US Eastern time, symbol from the file name; --label end shifts to bar starts', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const kibot = join(IMPORT_FIXTURES, 'SPY.txt');
  const report = await importBars({ inputs: [kibot], store: join(root, 'start'), interval: '1m', format: 'kibot' });
  t.deepEqual(report.symbols, ['SPY']);
  const spy = readLeanCsv('SPY_minute_trade_2013-10-04_2013-10-11.csv').filter((r) => r.localDate === '2013-10-07' && r.localTime.startsWith('09:3'));
  const session = xnys.session('2013-10-07')!;
  const starts = await new ParquetBarReader(readStoreManifest(join(root, 'start'))!.store).load('SPY', '1m', session.open, session.close, session.date);
  t.deepEqual([...starts.bars.start], spy.map((r) => r.start));
  t.deepEqual([...starts.bars.open], spy.map((r) => r.open));

  await importBars({ inputs: [kibot], store: join(root, 'end'), interval: '1m', format: 'kibot', label: 'end' });
  const ends = await new ParquetBarReader(readStoreManifest(join(root, 'end'))!.store).load('SPY', '1m', session.open - 60_000, session.close, session.date);
  t.deepEqual([...ends.bars.start], spy.map((r) => r.start - 60_000));
});

test('importBars: imports Parquet with another schema through --map, keeping the instants of a UTC TIMESTAMP column', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const rows = readLeanCsv('GOOG_minute_trade_2015-12-23_2015-12-28.csv').filter((r) => r.localDate === '2015-12-24');
  const source = join(root, 'vendor', 'goog.parquet');
  const wall = rows.map((r) => r.start);
  await writeParquetFile(source, {
    time_et: Float64Array.from(wall),
    px_open: Float64Array.from(rows, (r) => r.open),
    px_high: Float64Array.from(rows, (r) => r.high),
    px_low: Float64Array.from(rows, (r) => r.low),
    px_last: Float64Array.from(rows, (r) => r.close),
    qty: Float64Array.from(rows, (r) => r.volume),
  }, { timestampColumns: ['time_et'] });
  const report = await importBars({
    inputs: [join(root, 'vendor')],
    store: join(root, 'store'),
    interval: '1m',
    symbol: 'GOOG',
    map: { time_et: 'timestamp', px_open: 'open', px_high: 'high', px_low: 'low', px_last: 'close', qty: 'volume' },
  });
  t.is(report.rowsAccepted, rows.length);
  const session = xnys.session('2015-12-24')!;
  t.true(session.earlyClose);
  const loaded = await new ParquetBarReader(readStoreManifest(join(root, 'store'))!.store).loadMany('GOOG', '1m', [{ from: Date.UTC(2015, 11, 24), to: Date.UTC(2015, 11, 25), date: '2015-12-24' }]);
  t.true(loaded[0]!.ok);
  if (loaded[0]!.ok) t.deepEqual([...loaded[0]!.loaded.bars.start], wall);
});

test('importBars: an import that fails part-way leaves every store file whole and no temporary file behind', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  await importBars({ inputs: [SPY_CSV], store: root, interval: '1m', symbol: 'SPY', layout: '{interval}/{symbol}/{date}.parquet' });
  const kept = join(root, '1m', 'SPY', '2013-10-04.parquet');
  const before = await sha(kept);
  // A folder where 2013-10-07's file should go makes the import fail half-way through.
  await rm(join(root, '1m', 'SPY', '2013-10-07.parquet'));
  await mkdir(join(root, '1m', 'SPY', '2013-10-07.parquet', 'blocker'), { recursive: true });
  const bigger = join(root, 'more.csv');
  const text = (await readFile(SPY_CSV, 'utf8')).replace(/,(\d+)\n/g, (_, v: string) => `,${Number(v) + 1}\n`);
  await writeFile(bigger, text);
  const error = await t.throwsAsync(importBars({ inputs: [bigger], store: root, interval: '1m', symbol: 'SPY' }));
  t.true(error instanceof DataError);
  t.regex(error!.message, /2013-10-07\.parquet/);
  t.not(await sha(kept), before, 'files before the failure were rewritten with the new volumes');
  const reread = await new ParquetBarReader(readStoreManifest(root)!.store).load('SPY', '1m', xnys.session('2013-10-04')!.open, xnys.session('2013-10-04')!.close, '2013-10-04');
  t.is(reread.bars.length, 390);
  const leftovers = (await readdir(join(root, '1m', 'SPY'))).filter((f) => f.includes('.tmp-'));
  t.deepEqual(leftovers, []);
});

test('importBars: refuses a layout that differs from the store manifest, and inputs without a symbol', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  await importBars({ inputs: [SPY_CSV], store: root, interval: '1m', symbol: 'SPY' });
  const layout = await t.throwsAsync(importBars({ inputs: [SPY_CSV], store: root, interval: '1m', symbol: 'SPY', layout: '{interval}/{symbol}/{date}.parquet' }));
  t.regex(layout!.message, /layout: expected the layout of the existing store "\{interval\}\/\{symbol\}\/\{yyyy\}\.parquet"/);
  const symbol = await t.throwsAsync(importBars({ inputs: [SPY_CSV], store: root, interval: '1m' }));
  t.regex(symbol!.message, /--symbol or --symbol-column: .*SPY_minute_trade.* has no symbol column/);
});

test('importBars: compression zstd writes ZSTD pages holding the same bars', async (t) => {
  const snappyRoot = await tempRoot(t, 'sessionflow-import-snappy-');
  const zstdRoot = await tempRoot(t, 'sessionflow-import-zstd-');
  await importBars({ inputs: [SPY_CSV], store: snappyRoot, interval: '1m', symbol: 'SPY' });
  await importBars({ inputs: [SPY_CSV], store: zstdRoot, interval: '1m', symbol: 'SPY', compression: 'zstd' });
  const read = async (root: string) => {
    const bytes = await readFile(join(root, '1m', 'SPY', '2013.parquet'));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const meta = parquetMetadata(file);
    const rows: unknown[][] = [];
    await parquetRead({ file, metadata: meta, compressors, rowFormat: 'array', onComplete: (data) => rows.push(...(data as unknown[][])) });
    return { codecs: new Set(meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec))), rows, size: bytes.byteLength };
  };
  const snappy = await read(snappyRoot);
  const zstd = await read(zstdRoot);
  t.deepEqual([...zstd.codecs], ['ZSTD']);
  t.deepEqual([...snappy.codecs], ['SNAPPY']);
  t.is(zstd.rows.length, readLeanCsv('SPY_minute_trade_2013-10-04_2013-10-11.csv').length);
  t.deepEqual(zstd.rows, snappy.rows);
  t.true(zstd.size < snappy.size, `ZSTD (${zstd.size} bytes) is smaller than Snappy (${snappy.size} bytes)`);
  await t.throwsAsync(importBars({ inputs: [SPY_CSV], store: zstdRoot, interval: '1m', symbol: 'SPY', compression: 'brotli' as never }), { message: /compression/ });
});

test('importBars: Infinity, -Infinity and 1e400 are not prices: rejected as non_finite with the line and the value', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const csv = join(root, 'inf.csv');
  await writeFile(csv, ['timestamp,open,high,low,close,volume', '2024-01-02T14:30:00Z,10,11,9,10,100', '2024-01-02T14:31:00Z,10,Infinity,9,10,100', '2024-01-02T14:32:00Z,10,1e400,9,10,100', '2024-01-02T14:33:00Z,10,11,-Infinity,10,100', '2024-01-02T14:34:00Z,10,11,9,10,1e400', '2024-01-02T14:35:00Z,10,11,9,10,100'].join('\n') + '\n');
  const report = await importBars({ inputs: [csv], store: join(root, 'store'), interval: '1m', symbol: 'INF' });
  t.like(report, { rowsRead: 6, rowsAccepted: 2 });
  t.is(report.rejected.non_finite, 4);
  const example = report.examples.find((e) => e.reason === 'non_finite')!;
  t.like(example, { file: csv, line: 3 });
  t.regex(example.detail, /high Infinity/);
});

test('importBars: 1m data imported as --interval 5m is refused bar by bar (misaligned), not written as overlapping 5m bars', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const csv = join(root, 'one-minute.csv');
  const open = xnys.session('2024-01-02')!.open;
  const lines = Array.from({ length: 10 }, (_, m) => `${new Date(open + m * 60_000).toISOString()},10,11,9,10,100`);
  await writeFile(csv, ['timestamp,open,high,low,close,volume', ...lines].join('\n') + '\n');
  const report = await importBars({ inputs: [csv], store: join(root, 'store'), interval: '5m', symbol: 'X' });
  // 09:30 and 09:35 sit on the 5m grid anchored at the open; the eight minutes between do not.
  t.like(report, { rowsRead: 10, rowsAccepted: 2 });
  t.is(report.rejected.misaligned_timestamp, 8);
  t.regex(report.examples.find((e) => e.reason === 'misaligned_timestamp')!.detail, /2024-01-02T14:31:00\.000Z is not on the 300 s grid anchored at the session open \(2024-01-02T14:30:00\.000Z\)/);
});

test('importBars: hourly bars are checked against the grid anchored at the 09:30 open, not the hour', async (t) => {
  const root = await tempRoot(t, 'sessionflow-import-');
  const csv = join(root, 'hourly.csv');
  await writeFile(csv, ['timestamp,open,high,low,close,volume', '2024-01-02T14:30:00Z,10,11,9,10,100', '2024-01-02T15:30:00Z,10,11,9,10,100', '2024-01-02T16:00:00Z,10,11,9,10,100', '2024-01-02T16:30:00Z,10,11,9,10,100'].join('\n') + '\n');
  const report = await importBars({ inputs: [csv], store: join(root, 'store'), interval: '1h', symbol: 'H' });
  t.like(report, { rowsRead: 4, rowsAccepted: 3 });
  t.is(report.examples.find((e) => e.reason === 'misaligned_timestamp')!.line, 4);
});
