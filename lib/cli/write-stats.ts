import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BacktestStats } from '../metrics/compute-stats.ts';
import { nanAsNull } from './nan-as-null.ts';

/**
 * Write `OUT/stats.json` (atomically; NaN as null) and return its path.
 *
 * @example
 * ```ts
 * writeStats('runs/jan', stats); // 'runs/jan/stats.json'
 * ```
 */
export function writeStats(out: string, stats: BacktestStats): string {
  const file = join(out, 'stats.json');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(stats, nanAsNull, 2) + '\n');
  renameSync(tmp, file);
  return file;
}
