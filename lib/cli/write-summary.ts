import { join } from 'node:path';
import type { RunPlan } from '../config/plan-run.ts';
import type { BacktestStats } from '../metrics/compute-stats.ts';
import { prettyJsonChunks } from './pretty-json.ts';
import type { RunTotals } from '../session/results.ts';
import type { CoverageReport } from './check-coverage.ts';
import { writeFileAtomic, type OutputFs } from './write-file-atomic.ts';

/**
 * How a run ended, as recorded in `summary.json`: `insufficient-data` when the run read no
 * bars, or (symbol, session) pairs got less than `--min-coverage` of their bars (see
 * checkCoverage; `--allow-empty` records `ok` and keeps the findings under `coverage`).
 */
export type RunStatus = 'ok' | 'failed' | 'interrupted' | 'insufficient-data';

/** Where a run's per-day detail is: summary.json points to it rather than holding it. */
export interface DaysPointer {
  /** `OUT/days.ndjson`: a header line, then one finished day per line (read it with `readRunDays`). */
  readonly file: string;
  readonly count: number;
  readonly first?: string;
  readonly last?: string;
}

/**
 * Write `OUT/summary.json`: the config echo, the plan, totals, statistics, the status, the
 * error (and the signal) if any, the data coverage findings, the outputs that could not be
 * written, and pointers to the detail: the days (`days.ndjson`), the tables and the exported
 * files. It stays small however long the run (the days are not in it). Written atomically
 * (temp file + rename) so a Ctrl-C during the write never leaves half a file; called on every
 * ending so finished days are never lost.
 *
 * @throws DataError naming the file when it cannot be written (no temporary file remains).
 *
 * @example
 * ```ts
 * writeSummary('runs/jan', { plan, totals, days: { file: 'runs/jan/days.ndjson', count: 21 }, status: 'ok' });
 * ```
 */
export function writeSummary(
  out: string,
  run: { plan: RunPlan | undefined; totals: RunTotals; days: DaysPointer; status: RunStatus; error?: string; signal?: string; exported?: readonly string[]; tables?: readonly string[]; stats?: BacktestStats; coverage?: CoverageReport; outputErrors?: readonly string[] },
  fs?: OutputFs,
): string {
  const file = join(out, 'summary.json');
  const body = {
    name: run.plan?.config.name,
    status: run.status,
    ...(run.error ? { error: run.error } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.outputErrors && run.outputErrors.length > 0 ? { outputErrors: run.outputErrors } : {}),
    config: run.plan?.config,
    plan: run.plan
      ? {
          calendar: run.plan.calendar.name,
          baseInterval: run.plan.base.name,
          derivedIntervals: run.plan.derived.map((i) => i.name),
          sessions: run.plan.sessions.map((s) => s.date),
          missing: run.plan.availability.missing,
        }
      : undefined,
    totals: run.totals,
    ...(run.stats ? { stats: run.stats } : {}),
    ...(run.coverage ? { coverage: run.coverage } : {}),
    days: run.days,
    exported: run.exported ?? [],
    tables: run.tables ?? [],
  };
  return writeFileAtomic(file, prettyJsonChunks(body), fs);
}
