import type { Session } from '../../calendar/types.ts';
import type { Availability } from '../types.ts';

/** One (symbol, session) to look up. */
export interface AvailabilityQuery {
  readonly symbol: string;
  readonly session: Session;
}

/** What {@link checkAvailability} needs: `ParquetBarReader` or a `ThreadedBarLoader`. */
export interface AvailabilitySource {
  existsMany(symbol: string, interval: string, windows: ReadonlyArray<{ date: string; from: number; to: number }>): Promise<Availability[]>;
}

/**
 * Whether each (symbol, session) has data, without decoding any bars: per-day layouts `stat`
 * the file, coarser ones consult footer statistics (`ParquetBarReader.exists`). This is the
 * loop's step 0 (`planRun`) and the first pass of `sessionflow data check`, so both report
 * the same missing files with the same reasons. Queries are asked per symbol (with decode
 * threads, a symbol's footers are then parsed by the thread that later decodes it, and
 * symbols are checked in parallel); at most `concurrency` symbols are looked up at once.
 *
 * @example
 * ```ts
 * const found = await checkAvailability(reader, '1m', [{ symbol: 'SPY', session }]);
 * if (!found[0]!.ok) console.log(found[0]!.reason);
 * ```
 */
export async function checkAvailability(source: AvailabilitySource, interval: string, queries: readonly AvailabilityQuery[], concurrency = 16): Promise<Availability[]> {
  const out = new Array<Availability>(queries.length);
  const bySymbol = new Map<string, number[]>();
  queries.forEach((q, i) => {
    const list = bySymbol.get(q.symbol);
    if (list) list.push(i);
    else bySymbol.set(q.symbol, [i]);
  });
  const symbols = [...bySymbol.keys()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < symbols.length) {
      const symbol = symbols[next++]!;
      const indexes = bySymbol.get(symbol)!;
      const found = await source.existsMany(symbol, interval, indexes.map((i) => ({ date: queries[i]!.session.date, from: queries[i]!.session.open, to: queries[i]!.session.close })));
      indexes.forEach((i, k) => (out[i] = found[k]!));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, symbols.length) }, worker));
  return out;
}
