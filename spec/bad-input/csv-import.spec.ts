/**
 * Bad-input matrix, `sessionflow import` (issue 15, point 7): each case writes one real
 * input file and imports it in process. Rows the bar rules refuse are counted by reason and
 * quoted with `file:line` and the values (exit 0 when some rows were kept, 1 when none
 * were); a file that cannot be read as CSV at all is refused naming it (exit 1). Never a
 * stack trace.
 */
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { noStack, refused } from './helpers.ts';

const HEADER = 'timestamp,open,high,low,close,volume';
const OPEN = Date.parse('2024-01-02T14:30:00Z');
/** One CSV row at minute `m` of 2024-01-02's session. */
const row = (m: number, cells: readonly (string | number)[] = [10, 11, 9, 10.5, 100], sep = ','): string => [new Date(OPEN + m * 60_000).toISOString(), ...cells].join(sep);
const good = (n: number): string[] => Array.from({ length: n }, (_, m) => row(m));
const lines = (...rows: string[]): string => rows.join('\n') + '\n';

interface ImportCase {
  readonly title: string;
  /** The input's content. */
  readonly content: string | Uint8Array;
  /** Its file name (default `case-<i>.csv`). */
  readonly name?: string;
  /** Options replacing `--interval 1m --symbol T`. */
  readonly args?: readonly string[];
  readonly code: 0 | 1;
  /** What stdout (the report) names; `FILE` is the input's path. */
  readonly stdout?: readonly string[];
  /** What stderr names (for exit 1). */
  readonly stderr?: readonly string[];
}

const CASES: readonly ImportCase[] = [
  // --- rows refused by the bar rules, quoted with file:line and values ---
  { title: 'an unparseable timestamp is bad_timestamp quoting it', content: lines(HEADER, ...good(2), 'not-a-time,10,11,9,10.5,100'), code: 0, stdout: ['rows read 3, accepted 2, rejected 1', 'FILE:4: bad_timestamp: timestamp "not-a-time" is not a recognised date/time'] },
  { title: 'a short row is wrong_column_count', content: lines(HEADER, ...good(2), '2024-01-02T14:35:00Z,10,11'), code: 0, stdout: ['FILE:4: wrong_column_count: 3 columns, expected at least 6'] },
  { title: 'a row longer than the header is wrong_column_count, not read shifted', content: lines(HEADER, ...good(2), row(3, [10, 11, 9, 10.5, 100, 7, 8])), code: 0, stdout: ['FILE:4: wrong_column_count: 8 columns, expected 6 as in the header'] },
  { title: 'an unquoted decimal comma in a comma file is wrong_column_count, not a misread volume', content: lines(HEADER, ...good(2), row(3, [10, 11, 5, 9, 10, 5])), code: 0, stdout: ['FILE:4: wrong_column_count: 7 columns, expected 6 as in the header (an unquoted decimal comma'] },
  { title: 'Infinity is non_finite', content: lines(HEADER, ...good(2), row(3, [10, 'Infinity', 9, 10.5, 100])), code: 0, stdout: ['FILE:4: non_finite: infinite price/volume (open 10, high Infinity, low 9, close 10.5, volume 100)'] },
  { title: '1e400 is non_finite, not a huge price', content: lines(HEADER, ...good(2), row(3, [10, '1e400', 9, 10.5, 100])), code: 0, stdout: ['FILE:4: non_finite: infinite price/volume', 'high Infinity'] },
  { title: 'an infinite volume is non_finite', content: lines(HEADER, ...good(2), row(3, [10, 11, 9, 10.5, '-Infinity'])), code: 0, stdout: ['FILE:4: non_finite:', 'volume -Infinity'] },
  { title: 'NaN is null_or_nan', content: lines(HEADER, ...good(2), row(3, ['NaN', 11, 9, 10.5, 100])), code: 0, stdout: ['FILE:4: null_or_nan: empty or non-numeric price/volume (open NaN, high 11'] },
  { title: 'an empty price cell is null_or_nan', content: lines(HEADER, ...good(2), row(3, [10, 11, 9, '', 100])), code: 0, stdout: ['FILE:4: null_or_nan:', 'close NaN'] },
  { title: 'a negative volume is negative_volume', content: lines(HEADER, ...good(2), row(3, [10, 11, 9, 10.5, -3])), code: 0, stdout: ['FILE:4: negative_volume: volume -3'] },
  { title: 'a high below the low is high_below_low', content: lines(HEADER, ...good(2), row(3, [10, 9, 11, 10, 100])), code: 0, stdout: ['FILE:4: high_below_low: high 9 < low 11'] },
  { title: 'an open above the high is open_close_outside_range', content: lines(HEADER, ...good(2), row(3, [12, 11, 9, 10, 100])), code: 0, stdout: ['FILE:4: open_close_outside_range: open 12 / close 10 outside [9, 11]'] },
  { title: 'a repeated timestamp is duplicate_timestamp naming the first', content: lines(HEADER, ...good(3), row(1)), code: 0, stdout: ['FILE:5: duplicate_timestamp: T 2024-01-02T14:31:00.000Z already imported from FILE:3'] },
  { title: 'a bar at hh:mm:30 is misaligned_timestamp naming the grid', content: lines(HEADER, row(0), '2024-01-02T14:31:30Z,10,11,9,10.5,100'), code: 0, stdout: ['FILE:3: misaligned_timestamp: 2024-01-02T14:31:30.000Z is not on the 60 s grid anchored at the session open (2024-01-02T14:30:00.000Z)'] },
  { title: '1m data imported as 5m is misaligned_timestamp on the 300 s grid', content: lines(HEADER, ...good(10)), args: ['--interval', '5m', '--symbol', 'T'], code: 0, stdout: ['rows read 10, accepted 2, rejected 8', 'FILE:3: misaligned_timestamp: 2024-01-02T14:31:00.000Z is not on the 300 s grid'] },
  { title: 'unsorted rows are sorted and counted', content: lines(HEADER, ...good(5).reverse()), code: 0, stdout: ['rows read 5, accepted 5, rejected 0, 4 out of order (sorted)'] },
  // --- delimiters ---
  { title: 'a semicolon file is detected and read', content: lines(HEADER.replaceAll(',', ';'), ...Array.from({ length: 3 }, (_, m) => row(m, undefined, ';'))), code: 0, stdout: ['input FILE: generic, 3 rows', 'rows read 3, accepted 3, rejected 0'] },
  { title: 'a tab file is detected and read', content: lines(HEADER.replaceAll(',', '\t'), ...Array.from({ length: 3 }, (_, m) => row(m, undefined, '\t'))), code: 0, stdout: ['input FILE: generic, 3 rows', 'rows read 3, accepted 3, rejected 0'] },
  { title: 'decimal commas in a semicolon file are refused as non-numeric, never misread', content: lines(HEADER.replaceAll(',', ';'), ...Array.from({ length: 3 }, (_, m) => row(m, ['10,5', '11,5', '9,5', '10,7', 100], ';'))), code: 1, stdout: ['FILE:2: null_or_nan: empty or non-numeric price/volume (open NaN'], stderr: ['no row of FILE was imported (3 read, 3 rejected)'] },
  { title: 'a comma file read with --delimiter ";" names the columns it could not find', content: lines(HEADER, ...good(2)), args: ['--interval', '1m', '--symbol', 'T', '--delimiter', 'semicolon'], code: 1, stderr: ['columns: expected the generic preset\'s columns', 'in FILE', '"timestamp,open,high,low,close,volume"'] },
  // --- files that are not CSV bars ---
  { title: 'a binary file is not text, naming the NUL byte', content: Uint8Array.from({ length: 2000 }, (_, i) => (i * 37) % 256), code: 1, stderr: ['"FILE" is not a text file (a NUL byte at offset 0)'] },
  { title: 'a Parquet file under a .csv name is named as Parquet', content: Uint8Array.from([...Buffer.from('PAR1'), ...new Uint8Array(100).fill(1), ...Buffer.from('PAR1')]), code: 1, stderr: ['"FILE" is not a text file (it is a Parquet file: give it a .parquet name)'] },
  { title: 'a gzip file under a .csv name is named as gzip', content: Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]), code: 1, stderr: ['"FILE" is not a text file (it is gzip-compressed: give it a .csv.gz name)'] },
  { title: 'an empty file says it is empty', content: '', code: 1, stderr: ['CSV file "FILE" is empty'] },
  { title: 'a header without rows imports nothing and exits 1', content: lines(HEADER), code: 1, stderr: ['no row of FILE was imported (0 read, 0 rejected)'] },
  { title: 'a file without bar columns names what is missing', content: lines('a,b,c', '1,2,3'), code: 1, stderr: ['columns: expected the generic preset\'s columns; missing open, high, low, volume, timestamp (or date and time) in FILE', 'got "a,b,c"'] },
  { title: 'epoch seconds declared as --unit ms are bad_timestamp naming the value, not an abort', content: lines('ts,open,high,low,close,volume', '1704205800,10,11,9,10.5,100', '1704205860,10,11,9,10.5,100'), args: ['--interval', '1m', '--symbol', 'T', '--unit', 'ms'], code: 1, stdout: ['FILE:2: bad_timestamp: timestamp "1704205800" reads as 1970-01-20T17:23:25.800Z, outside the calendar', 'is --unit right?', 'FILE:3: bad_timestamp: timestamp "1704205860"'], stderr: ['no row of FILE was imported (2 read, 2 rejected)'] },
  { title: 'a --map naming a column the file lacks', content: lines(HEADER, ...good(2)), args: ['--interval', '1m', '--symbol', 'T', '--map', 'price=close'], code: 1, stderr: ['map: expected a column of FILE (timestamp, open, high, low, close, volume), got "price=close"'] },
  { title: 'no symbol and no symbol column', content: lines(HEADER, ...good(2)), args: ['--interval', '1m'], code: 1, stderr: ['symbol: expected --symbol or --symbol-column: FILE has no symbol column'] },
  { title: 'an unknown --tz', content: lines(HEADER, ...good(2)), args: ['--interval', '1m', '--symbol', 'T', '--tz', 'Mars/Base'], code: 1, stderr: ['tz: expected an IANA time zone such as "America/New_York" or "UTC", got "Mars/Base"'] },
  { title: 'a bad --interval', content: lines(HEADER, ...good(2)), args: ['--interval', '1x', '--symbol', 'T'], code: 1, stderr: ['interval: expected an interval like "1m", "5m", "1h" or "1d", got "1x"'] },
  { title: 'a two-character --delimiter', content: lines(HEADER, ...good(2)), args: ['--interval', '1m', '--symbol', 'T', '--delimiter', '::'], code: 1, stderr: ['--delimiter must be one character other than a quote or a line break', 'got "::"'] },
  { title: 'a negative --price-scale', content: lines(HEADER, ...good(2)), args: ['--interval', '1m', '--symbol', 'T', '--price-scale', '-2'], code: 1, stderr: ['--price-scale must be a number > 0, got "-2"'] },
];

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-bad-csv-'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

CASES.forEach((c, i) => {
  test(`import: ${c.title}`, async (t) => {
    const file = join(dir, c.name ?? `case-${i}.csv`);
    await writeFile(file, c.content);
    const result = await runCli(['import', file, '--store', join(dir, `store-${i}`), '--no-progress', ...(c.args ?? ['--interval', '1m', '--symbol', 'T'])]);
    const at = (texts: readonly string[] | undefined): string[] => (texts ?? []).map((s) => s.replaceAll('FILE', file));
    if (c.code === 1) refused(t, result, 1, at(c.stderr));
    else {
      t.is(result.code, 0, result.stderr);
      noStack(t, result.stderr);
    }
    for (const name of at(c.stdout)) t.true(result.stdout.includes(name), `stdout does not name ${JSON.stringify(name)}:\n${result.stdout}`);
  });
});
