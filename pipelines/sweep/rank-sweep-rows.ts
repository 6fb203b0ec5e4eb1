import type { ParameterSetResult } from './run-parameter-batch.ts';
import type { SweepObjective, SweepRow } from './sweep.ts';

/**
 * Parameter sets' results ranked by `objective`, best first; sets without a value (NaN) last;
 * ties keep the grid's order.
 *
 * @example
 * ```ts
 * rankSweepRows(results, 'sharpe', false)[0].rank; // 1
 * ```
 */
export function rankSweepRows(results: readonly ParameterSetResult[], objective: SweepObjective, minimize: boolean): SweepRow[] {
  const scored = results.map((r) => ({ ...r, score: r.stats ? r.stats[objective] : Number.NaN }));
  scored.sort((a, b) => {
    const aNaN = Number.isNaN(a.score);
    const bNaN = Number.isNaN(b.score);
    if (aNaN || bNaN) return aNaN === bNaN ? a.index - b.index : aNaN ? 1 : -1;
    return (minimize ? a.score - b.score : b.score - a.score) || a.index - b.index;
  });
  return scored.map((r, i) => ({ ...r, rank: i + 1 }));
}
