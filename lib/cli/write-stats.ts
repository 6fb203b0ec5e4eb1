import { join } from 'node:path';
import type { BacktestStats } from '../metrics/compute-stats.ts';
import { nanAsNull } from './nan-as-null.ts';
import { writeFileAtomic, type OutputFs } from './write-file-atomic.ts';

/**
 * Write `OUT/stats.json` (atomically, see writeFileAtomic; NaN as null) and return its path.
 *
 * @throws DataError naming the file when it cannot be written (no temporary file remains).
 * @example
 * ```ts
 * writeStats('runs/jan', stats); // 'runs/jan/stats.json'
 * ```
 */
export function writeStats(out: string, stats: BacktestStats, fs?: OutputFs): string {
  return writeFileAtomic(join(out, 'stats.json'), JSON.stringify(stats, nanAsNull, 2) + '\n', fs);
}
