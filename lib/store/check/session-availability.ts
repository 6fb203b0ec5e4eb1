import type { Session } from '../../calendar/types.ts';
import type { ParquetBarReader } from '../bar-reader.ts';
import type { Availability } from '../types.ts';

/** One (symbol, session) to look up. */
export interface AvailabilityQuery {
  readonly symbol: string;
  readonly session: Session;
}

/**
 * Whether each (symbol, session) has data, without decoding any bars: per-day layouts `stat`
 * the file, coarser ones consult footer statistics (`ParquetBarReader.exists`). This is the
 * loop's step 0 (`planRun`) and the first pass of `sessionflow data check`, so both report
 * the same missing files with the same reasons. At most `concurrency` lookups run at once.
 *
 * @example
 * ```ts
 * const found = await checkAvailability(reader, '1m', [{ symbol: 'SPY', session }]);
 * if (!found[0]!.ok) console.log(found[0]!.reason);
 * ```
 */
export async function checkAvailability(reader: ParquetBarReader, interval: string, queries: readonly AvailabilityQuery[], concurrency = 16): Promise<Availability[]> {
  const out = new Array<Availability>(queries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const i = next++;
      const { symbol, session } = queries[i]!;
      out[i] = await reader.exists(symbol, interval, session.date, session.open, session.close);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queries.length) }, worker));
  return out;
}
