import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { EXIT } from '../../lib/cli/exit-codes.ts';
import { loadReportOverlays } from '../../lib/cli/load-report-overlays.ts';
import { loadReportPrices } from '../../lib/cli/load-report-prices.ts';
import { renderReport } from '../../lib/cli/render-report.ts';
import { reportData } from '../../lib/cli/report-data.ts';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseInterval } from '../../lib/calendar/interval.ts';
import type { RunPlan } from '../../lib/config/plan-run.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { BacktestStats } from '../../lib/metrics/compute-stats.ts';
import type { DayResult } from '../../lib/session/results.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import type { CliIo } from './cli-io.ts';
import { printError } from './print-error.ts';
import { helpExamples } from './help-examples.ts';

/** Columns of the CSV tables that hold instants (ISO 8601 in the files). */
const TIME_COLUMNS = new Set(['time', 'barStart', 'entryTime', 'exitTime', 'submittedAt']);

/**
 * Add `sessionflow report RUN_DIR [--symbol S…] [--interval 5m]` to `program`: rebuild `RUN_DIR/report.html`
 * from what `run --out` wrote (summary.json with the statistics, the fills, trades and equity
 * tables) and the store's bars of the traded symbols (or `--symbol`). Exit 1 with a message
 * naming the file when the folder is not a finished run with a broker.
 *
 * @example
 * ```ts
 * registerReportCommand(program, processIo(), (c) => (code = c));
 * // sessionflow report runs/jan --symbol SPY
 * ```
 */
export function registerReportCommand(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program
    .command('report')
    .description('write RUN_DIR/report.html from a finished run (sessionflow run --out RUN_DIR)')
    .argument('<run-dir>', 'the --out folder of a run')
    .option('--symbol <symbol...>', 'symbols to chart (default: the first 8 traded)')
    .option('--interval <interval>', 'candles of this interval, windows anchored at the open (default: the base interval)')
    .addHelpText('after', helpExamples(['sessionflow report runs/jan', 'sessionflow report runs/jan --symbol SPY --symbol QQQ --interval 5m']))
    .action(async (runDir: string, opts: { symbol?: string[]; interval?: string }) => {
      try {
        const file = await writeReport(resolve(runDir), opts.symbol, opts.interval);
        io.stdout.write(`report: ${file}\n`);
        setCode(EXIT.ok);
      } catch (error) {
        printError(error, io.stderr);
        setCode(EXIT.invalidInput);
      }
    });
}

async function writeReport(dir: string, symbols: readonly string[] | undefined, interval: string | undefined): Promise<string> {
  const summaryFile = join(dir, 'summary.json');
  let summary: { config: unknown; stats?: BacktestStats; days: Array<Omit<DayResult, 'tables'>> };
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as typeof summary;
  } catch (error) {
    throw new Error(`${summaryFile}: not a run's summary (${(error as Error).message.split('\n')[0]}); pass the --out folder of sessionflow run`);
  }
  if (!summary.stats) throw new Error(`${summaryFile}: no statistics (the run had no broker, or no finished day): nothing to report`);
  const tables: Record<string, Array<Record<string, unknown>>> = {};
  for (const name of ['fills', 'trades', 'equity']) {
    const path = join(dir, `${name}.csv`);
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      tables[name] = []; // an empty table is not written (no trade closed, no fill)
      continue;
    }
    tables[name] = (parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>).map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = TIME_COLUMNS.has(k) ? Date.parse(v) : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
      return out;
    });
  }
  const days = summary.days.map((d) => ({ ...d, tables: Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, rows.filter((r) => r.date === d.date)])) })) as unknown as DayResult[];
  const config = parseConfig(summary.config);
  const calendar = getCalendar(config.calendar);
  const sessions = calendar.sessions(config.backtest.start, config.backtest.end);
  const base = config.streams.map((s) => parseInterval(s)).sort((a, b) => a.ms - b.ms)[0]!;
  const plan = { config, sessions, base, calendar } as unknown as RunPlan;
  const store = { ...config.store, timezone: config.store.timezone ?? calendar.timezone };
  const chart = symbols ?? [...new Set((tables.fills ?? []).map((f) => String(f.symbol)))].slice(0, 8);
  const prices = await loadReportPrices(plan, new ParquetBarReader(store), chart, days.map((d) => d.date), interval);
  const file = join(dir, 'report.html');
  const overlays = loadReportOverlays(dir, chart, days.map((d) => d.date));
  writeFileSync(file, renderReport(reportData({ name: config.name, timezone: calendar.timezone, stats: summary.stats, days, prices, overlays })));
  return file;
}
