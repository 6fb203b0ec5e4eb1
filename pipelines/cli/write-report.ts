import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadReportOverlays } from '../../lib/cli/load-report-overlays.ts';
import { loadReportPrices } from '../../lib/cli/load-report-prices.ts';
import { RunJournal } from '../../lib/cli/run-journal.ts';
import { renderReport } from '../../lib/cli/render-report.ts';
import { reportData, reportDayOf, type ReportDay } from '../../lib/cli/report-data.ts';
import { writeFileAtomic } from '../../lib/cli/write-file-atomic.ts';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseInterval } from '../../lib/calendar/interval.ts';
import type { RunPlan } from '../../lib/config/plan-run.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { BacktestStats } from '../../lib/metrics/compute-stats.ts';
import { openBarLoader } from '../../lib/store/threaded-bar-loader.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { decodeThreadsFor } from '../../lib/config/decode-threads-for.ts';


/**
 * Write `dir/report.html` from what `sessionflow run --out dir` wrote and the store's bars of
 * the charted symbols (see registerReportCommand); returns the file's path.
 *
 * @example
 * ```ts
 * await writeReport('/abs/runs/jan', ['SPY'], '5m'); // '/abs/runs/jan/report.html'
 * ```
 */
export async function writeReport(dir: string, symbols: readonly string[] | undefined, interval: string | undefined): Promise<string> {
  const summaryFile = join(dir, 'summary.json');
  let summary: { config: unknown; stats?: BacktestStats };
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as typeof summary;
  } catch (error) {
    throw new Error(`${summaryFile}: not a run's summary (${(error as Error).message.split('\n')[0]}); pass the --out folder of sessionflow run`);
  }
  if (!summary.stats) throw new Error(`${summaryFile}: no statistics (the run had no broker, or no finished day): nothing to report`);
  // The days with the broker's tables, from the run's journal (OUT/days.ndjson), without their carry.
  const days: ReportDay[] = [];
  for (const day of RunJournal.days(dir)) days.push(reportDayOf(day));
  const tables = { fills: days.flatMap((d) => d.tables.fills!) as unknown as Array<Record<string, unknown>> };
  const config = parseConfig(summary.config);
  const calendar = getCalendar(config.calendar);
  const sessions = calendar.sessions(config.backtest.start, config.backtest.end);
  const base = config.streams.map((s) => parseInterval(s)).sort((a, b) => a.ms - b.ms)[0]!;
  const plan = { config, sessions, base, calendar } as unknown as RunPlan;
  const store = { ...config.store, timezone: config.store.timezone ?? calendar.timezone };
  const chart = symbols ?? [...new Set((tables.fills ?? []).map((f) => String(f.symbol)))].slice(0, 8);
  // The charted symbols' files decode side by side on the decode threads.
  const source = openBarLoader(store, new ParquetBarReader(store), decodeThreadsFor(config));
  let prices;
  try {
    prices = await loadReportPrices(plan, source, chart, days.map((d) => d.date), interval);
  } finally {
    source.close?.();
  }
  const file = join(dir, 'report.html');
  const overlays = loadReportOverlays(dir, chart, days.map((d) => d.date));
  // Atomically: a failed write keeps the previous report, never half of a new one.
  writeFileAtomic(file, renderReport(reportData({ name: config.name, timezone: calendar.timezone, stats: summary.stats, days, prices, overlays })));
  return file;
}
