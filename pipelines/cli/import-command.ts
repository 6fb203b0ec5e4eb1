import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import type { ImportReport } from '../../lib/store/import/import-bars.ts';
import { IMPORT_PRESETS } from '../../lib/store/import/import-presets.ts';
import { PARQUET_COMPRESSIONS, type ParquetCompression } from '../../lib/store/parquet-compressions.ts';
import type { TimestampUnit } from '../../lib/store/types.ts';
import type { CliIo } from './cli-io.ts';
import { printFailure } from './print-failure.ts';
import { helpExamples } from './help-examples.ts';

/** Options of `sessionflow import` as commander parses them. */
interface ImportCommandOptions {
  store: string;
  interval: string;
  symbol?: string;
  symbolColumn?: string;
  format?: string;
  map: Record<string, string>;
  tz?: string;
  label?: 'start' | 'end';
  unit?: TimestampUnit;
  layout?: string;
  calendar: string;
  rowGroupSize?: number;
  compression: ParquetCompression;
  priceScale?: number;
  delimiter?: string;
  json?: boolean;
  progress: boolean;
}

const collectMap = (text: string, previous: Record<string, string>): Record<string, string> => {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new InvalidArgumentError(`--map expects column=field, got ${JSON.stringify(text)}`);
  return { ...previous, [text.slice(0, eq)]: text.slice(eq + 1) };
};
const DELIMITER_NAMES: Readonly<Record<string, string>> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ' };
const delimiter = (text: string): string => {
  const d = DELIMITER_NAMES[text.toLowerCase()] ?? text;
  if ([...d].length !== 1 || d === '"' || d === '\n' || d === '\r') throw new InvalidArgumentError(`--delimiter must be one character other than a quote or a line break (or tab, comma, semicolon, pipe, space), got ${JSON.stringify(text)}`);
  return d;
};
const positiveNumber = (name: string, integer: boolean) => (text: string): number => {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`${name} must be a ${integer ? 'whole ' : ''}number > 0, got ${JSON.stringify(text)}`);
  return n;
};

/**
 * Add `sessionflow import <files or folders...>` to `program`: converts CSV (presets
 * `generic`, `lean`, `polygon`, `kibot`) and Parquet bar files into a store's layout and
 * prints the import report to `io` (rows per reason rejected, with file:line examples; files
 * written). The CSV delimiter is detected per file (tab, `;`, `,`, `|`) unless `--delimiter`
 * names it; a binary file is refused naming it. With `--json` the report, or the error, is one
 * JSON object on stdout. `setCode` receives the exit code: 0 ok (even with rejected rows), 1 invalid input or no row imported.
 *
 * @example
 * ```ts
 * registerImportCommand(program, processIo(), (c) => (code = c));
 * // sessionflow import downloads/ --store bars --interval 1m --format polygon
 * ```
 */
export function registerImportCommand(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program
    .command('import')
    .description('import CSV or Parquet bar files into a store (sorted, de-duplicated, validated, Snappy or ZSTD Parquet)')
    .argument('<inputs...>', 'files, or folders of .csv/.txt/.csv.gz/.parquet files')
    .requiredOption('--store <dir>', 'store folder (created if missing; store.json records its layout)')
    .requiredOption('--interval <interval>', 'bar interval of the input, e.g. 1m')
    .option('--symbol <symbol>', 'symbol of every row (files without a symbol column)')
    .option('--symbol-column <column>', 'column holding each row\'s symbol')
    .addOption(new Option('--format <preset>', 'input format (default: detected per file)').choices(Object.keys(IMPORT_PRESETS)))
    .option('--map <column=field>', 'use a source column as a field (timestamp, date, time, open, high, low, close, volume, symbol); repeatable', collectMap, {})
    .option('--tz <zone>', 'IANA zone of naive timestamps (default: the calendar\'s)')
    .addOption(new Option('--label <label>', 'whether source timestamps are bar starts or ends (default: the preset\'s)').choices(['start', 'end']))
    .addOption(new Option('--unit <unit>', 'unit of epoch timestamps (default: detected)').choices(['s', 'ms', 'us', 'ns']))
    .option('--layout <template>', 'store layout (default {interval}/{symbol}/{yyyy}.parquet, or the store\'s)')
    .option('--calendar <name>', 'exchange calendar deciding trading dates', 'XNYS')
    .option('--row-group-size <rows>', 'rows per row group instead of one row group per trading day', positiveNumber('--row-group-size', true))
    .addOption(new Option('--compression <codec>', 'page compression (snappy decodes ~4.5× faster, zstd files are ~35% smaller)').choices([...PARQUET_COMPRESSIONS]).default('snappy'))
    .option('--price-scale <factor>', 'multiply prices by this (e.g. 0.0001)', positiveNumber('--price-scale', false))
    .option('--delimiter <char>', 'CSV field delimiter: one character, or tab, comma, semicolon, pipe (default: detected per file from tab, ";", "," and "|")', delimiter)
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', helpExamples(['sessionflow import SPY_1m.csv --store store --interval 1m --symbol SPY', 'sessionflow import downloads/ --store store --interval 1m --symbol-column ticker --tz America/New_York', 'sessionflow import bars.csv --store store --interval 1m --symbol ES --map Date=date --map Time=time --calendar 24/5']))
    .action(async (inputs: string[], opts: ImportCommandOptions) => {
      const terminal = opts.progress && !opts.json ? io.terminal : undefined;
      const bar = terminal ? new cliProgress.SingleBar({ format: 'import {bar} {percentage}% of input bytes, eta {eta}s', stream: terminal, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      try {
        // The importer (CSV and Parquet readers, the writer) loads when the command runs, not for --help.
        const { importBars } = await import('../../lib/store/import/import-bars.ts');
        bar?.start(1, 0);
        const report = await importBars({
          inputs,
          store: opts.store,
          interval: opts.interval,
          calendar: opts.calendar,
          map: opts.map,
          ...(opts.symbol !== undefined ? { symbol: opts.symbol } : {}),
          ...(opts.symbolColumn !== undefined ? { symbolColumn: opts.symbolColumn } : {}),
          ...(opts.format !== undefined ? { format: opts.format } : {}),
          ...(opts.tz !== undefined ? { timezone: opts.tz } : {}),
          ...(opts.label !== undefined ? { label: opts.label } : {}),
          ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
          ...(opts.layout !== undefined ? { layout: opts.layout } : {}),
          ...(opts.rowGroupSize !== undefined ? { rowGroupSize: opts.rowGroupSize } : {}),
          compression: opts.compression,
          ...(opts.priceScale !== undefined ? { priceScale: opts.priceScale } : {}),
          ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
          ...(bar
            ? {
                onProgress: (done: number, total: number) => {
                  bar.setTotal(Math.max(1, total));
                  bar.update(done);
                },
              }
            : {}),
        });
        bar?.stop();
        // Rows read but none accepted: every row broke a rule (a wrong --interval, a wrong
        // --unit, a wrong column map). The report says why; the exit code must too.
        const nothing = report.rowsAccepted === 0;
        if (opts.json) io.stdout.write(`${JSON.stringify({ ok: !nothing, ...report }, null, 2)}\n`);
        else io.stdout.write(`${formatImportReport(report)}\n`);
        if (nothing && !opts.json) io.stderr.write(`error: no row of ${report.inputs.map((i) => i.file).join(', ')} was imported (${report.rowsRead} read, ${report.rowsRejected} rejected); see the reasons above\n`);
        setCode(nothing ? EXIT.invalidInput : EXIT.ok);
      } catch (error) {
        bar?.stop();
        printFailure(error, io, { json: opts.json });
        setCode(exitCodeFor(error, { started: false }));
      }
    });
}

function formatImportReport(r: ImportReport): string {
  const lines: string[] = [];
  const written = r.files.filter((f) => f.written);
  lines.push(`imported ${r.rowsAccepted} bars of ${r.symbols.length} symbol${r.symbols.length === 1 ? '' : 's'} (${r.symbols.join(', ')}) from ${r.inputs.length} file${r.inputs.length === 1 ? '' : 's'} into ${r.store} in ${r.elapsedMs.toFixed(0)} ms`);
  lines.push(`layout ${r.layout}; interval ${r.interval}; calendar ${r.calendar} (${r.timezone})`);
  for (const input of r.inputs) lines.push(`  input ${input.file}: ${input.format}, ${input.rows} rows`);
  lines.push(`rows read ${r.rowsRead}, accepted ${r.rowsAccepted}, rejected ${r.rowsRejected}${r.reordered > 0 ? `, ${r.reordered} out of order (sorted)` : ''}`);
  for (const [reason, count] of Object.entries(r.rejected)) if (count > 0) lines.push(`  rejected ${reason}: ${count}`);
  for (const e of r.examples) lines.push(`    ${e.file}:${e.line}: ${e.reason}: ${e.detail}`);
  lines.push(`files: ${written.length} written, ${r.files.length - written.length} unchanged`);
  for (const f of r.files) lines.push(`  ${f.written ? 'wrote    ' : 'unchanged'} ${f.path}: ${f.rows} rows in ${f.rowGroups} row group${f.rowGroups === 1 ? '' : 's'}, ${f.bytes} bytes (+${f.added} new, ${f.replaced} replaced)`);
  return lines.join('\n');
}
