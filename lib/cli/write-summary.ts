import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunPlan } from '../config/plan-run.ts';
import type { BacktestStats } from '../metrics/compute-stats.ts';
import { nanAsNull } from './nan-as-null.ts';
import type { DayResult } from '../session/results.ts';
import { totalsOf } from '../session/results.ts';

/** How a run ended, as recorded in `summary.json`. */
export type RunStatus = 'ok' | 'failed' | 'interrupted';

/**
 * Write `OUT/summary.json`: the config echo, per-day results, totals, the status and
 * the error if any. Written atomically (temp file + rename) so a Ctrl-C during the write
 * never leaves half a file; called on every ending so finished days are never lost.
 *
 * @example
 * ```ts
 * writeSummary('runs/jan', { plan, days, status: 'ok', elapsedMs: 1234 });
 * ```
 */
export function writeSummary(out: string, run: { plan: RunPlan | undefined; days: readonly DayResult[]; status: RunStatus; elapsedMs: number; error?: string; exported?: readonly string[]; tables?: readonly string[]; stats?: BacktestStats }): string {
  mkdirSync(out, { recursive: true });
  const file = join(out, 'summary.json');
  const body = {
    name: run.plan?.config.name,
    status: run.status,
    ...(run.error ? { error: run.error } : {}),
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
    totals: totalsOf(run.days, run.elapsedMs),
    ...(run.stats ? { stats: run.stats } : {}),
    // Per-day detail tables (fills, orders, equity, …) are files of their own (`tables`), not summary lines.
    days: run.days.map(({ tables, ...day }) => ({ ...day, tables: Object.keys(tables ?? {}) })),
    exported: run.exported ?? [],
    tables: run.tables ?? [],
  };
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(body, nanAsNull, 2) + '\n');
  renameSync(tmp, file);
  return file;
}
