import { join } from 'node:path';
import type { RunPlan } from '../config/plan-run.ts';
import type { BacktestStats } from '../metrics/compute-stats.ts';
import { nanAsNull } from './nan-as-null.ts';
import type { DayResult } from '../session/results.ts';
import { totalsOf } from '../session/results.ts';
import type { CoverageReport } from './check-coverage.ts';
import { writeFileAtomic, type OutputFs } from './write-file-atomic.ts';

/**
 * How a run ended, as recorded in `summary.json`: `insufficient-data` when the run read no
 * bars, or (symbol, session) pairs got less than `--min-coverage` of their bars (see
 * checkCoverage; `--allow-empty` records `ok` and keeps the findings under `coverage`).
 */
export type RunStatus = 'ok' | 'failed' | 'interrupted' | 'insufficient-data';

/**
 * Write `OUT/summary.json`: the config echo, per-day results, totals, the status, the error
 * (and the signal) if any, the data coverage findings and the outputs that could not be
 * written. Written atomically (temp file + rename) so a Ctrl-C during the write never leaves
 * half a file; called on every ending so finished days are never lost.
 *
 * @throws DataError naming the file when it cannot be written (no temporary file remains).
 *
 * @example
 * ```ts
 * writeSummary('runs/jan', { plan, days, status: 'ok', elapsedMs: 1234 });
 * ```
 */
export function writeSummary(
  out: string,
  run: { plan: RunPlan | undefined; days: readonly DayResult[]; status: RunStatus; elapsedMs: number; error?: string; signal?: string; exported?: readonly string[]; tables?: readonly string[]; stats?: BacktestStats; coverage?: CoverageReport; outputErrors?: readonly string[] },
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
    totals: totalsOf(run.days, run.elapsedMs),
    ...(run.stats ? { stats: run.stats } : {}),
    ...(run.coverage ? { coverage: run.coverage } : {}),
    // Per-day detail tables (fills, orders, equity, …) are files of their own (`tables`), not summary lines.
    days: run.days.map(({ tables, ...day }) => ({ ...day, tables: Object.keys(tables ?? {}) })),
    exported: run.exported ?? [],
    tables: run.tables ?? [],
  };
  return writeFileAtomic(file, prettyJsonBytes(body), fs);
}

/**
 * `JSON.stringify(value, nanAsNull, 2) + '\n'` as bytes, built one top-level key (and one
 * array element) at a time: a year of 2,000 symbols makes a summary longer than the longest
 * string V8 allows (~512 MB), and JSON.stringify of the whole would throw at the very end
 * of the run, losing it. Byte for byte the same document.
 */
function prettyJsonBytes(value: Record<string, unknown>): Buffer {
  const chunks: Buffer[] = [];
  const text = (t: string): void => void chunks.push(Buffer.from(t));
  // A nested value at depth `indent`: JSON.stringify's own lines, shifted right.
  const nested = (v: unknown, indent: string): string => JSON.stringify(v, nanAsNull, 2).replaceAll('\n', `\n${indent}`);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  text('{');
  entries.forEach(([key, v], i) => {
    text(`${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `);
    if (Array.isArray(v) && v.length > 0) {
      text('[');
      v.forEach((element, j) => text(`${j === 0 ? '' : ','}\n    ${element === undefined ? 'null' : nested(element, '    ')}`));
      text('\n  ]');
    } else text(nested(v, '  '));
  });
  text(entries.length > 0 ? '\n}\n' : '}\n');
  return Buffer.concat(chunks);
}
