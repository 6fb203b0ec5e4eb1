/**
 * The generic Thrift compact codec and the cut-down footers built with it. The reference is
 * the files themselves: every footer of the parquet-testing fixtures (written by parquet-mr,
 * arrow-cpp, arrow-rs and others) must re-encode to its own bytes, and reading some row groups
 * through a cut footer must give exactly what parquet-wasm decodes from the whole file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { tableFromIPC } from '@uwdata/flechette';
import { readParquet } from 'parquet-wasm';
import { ParquetFile } from '../../lib/store/parquet-file.ts';
import { ThriftCompact } from '../../lib/store/thrift-compact.ts';
import { generateDemoStore } from '../../lib/store/demo-data.ts';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const FIXTURES = fileURLToPath(new URL('../fixtures/parquet-testing/', import.meta.url));

function footerOf(bytes: Uint8Array): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
  return bytes.subarray(bytes.length - 8 - length, bytes.length - 8);
}

test('every parquet-testing footer decodes and re-encodes to its own bytes', (t) => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.parquet'));
  t.true(files.length >= 30);
  let checked = 0;
  for (const name of files) {
    const bytes = readFileSync(join(FIXTURES, name));
    if (bytes.subarray(bytes.length - 4).toString('latin1') !== 'PAR1') continue; // encrypted footers ("PARE")
    let footer: Uint8Array;
    try {
      footer = footerOf(bytes);
    } catch {
      continue;
    }
    let decoded;
    try {
      decoded = ThriftCompact.decode(footer);
    } catch {
      // Deliberately damaged fixtures: refusing them is right; the round trip is about valid ones.
      continue;
    }
    t.deepEqual(Buffer.from(ThriftCompact.encode(decoded)), Buffer.from(footer), name);
    const skipping = ThriftCompact.decodeSkippingList(footer, 4);
    for (const [from, to] of skipping.spans) t.deepEqual(Buffer.from(ThriftCompact.encode(ThriftCompact.decode(footer.subarray(from, to)))), Buffer.from(footer.subarray(from, to)), `${name}: a row group alone`);
    checked++;
  }
  t.true(checked >= 30, `${checked} footers round-tripped`);
});

test('reading a few row groups of a yearly file through the cut footer gives the whole-file decode of those groups', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'sessionflow-thrift-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const sessions = getCalendar('XNYS').sessions('2024-01-02', '2024-02-29');
  const summary = await generateDemoStore({ out: root, symbols: 1, sessions, layout: 'yearly', seed: 5, missingDaySymbol: false });
  const path = join(root, '1m', summary.symbols[0]!, '2024.parquet');
  const whole = readFileSync(path);
  const file = await ParquetFile.open(path, { prefetchSmall: false });
  t.is(file.rowGroupRows.length, sessions.length, 'one row group per session');
  const decodeWhole = (groups: number[]) => tableFromIPC(readParquet(whole, { rowGroups: groups }).intoIPCStream(), { useBigInt: true });
  for (const groups of [[0], [7], [3, 4, 5], [10, 20, 30], [sessions.length - 1]]) {
    const got = await file.read({ rowGroups: groups, numeric: ['ts', 'open', 'high', 'low', 'close', 'volume'].map((name) => ({ name, ...(name === 'ts' ? { timestamp: true } : {}) })) });
    const want = decodeWhole(groups);
    t.is(got.rows, want.numRows, `${groups}: rows`);
    // The cut image itself (private: read() falls back to other paths if it ever failed).
    const image = (file as unknown as { compactImage(g: number[]): Uint8Array }).compactImage(groups);
    t.true(image.length < whole.length / 4, `${groups}: the image holds only the chosen row groups`);
    const viaImage = tableFromIPC(readParquet(image, {}).intoIPCStream(), { useBigInt: true });
    t.is(viaImage.numRows, want.numRows);
    for (const [k, name] of ['ts', 'open', 'high', 'low', 'close', 'volume'].entries()) {
      const column = want.getChild(name)!.toArray() as ArrayLike<number | bigint>;
      t.deepEqual([...got.columns[k]!], Array.from(column, (v) => Number(v)), `${groups}: ${name}`);
      t.deepEqual(Array.from(viaImage.getChild(name)!.toArray() as ArrayLike<number | bigint>, (v) => Number(v)), Array.from(column, (v) => Number(v)), `${groups}: ${name} via the cut footer`);
    }
  }
});
