import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { lazyParquet } from '../store/lazy-parquet.ts';
import type { ReportOverlay } from './render-report.ts';

/** Bar fields of an exported series (everything else is an indicator column). */
const BAR_FIELDS = new Set(['start', 'end', 'open', 'high', 'low', 'close', 'volume', 'partial']);

/**
 * The indicator columns of `symbols` over `dates`: what `run --report` recorded for the
 * symbols it charts (`OUT/overlays/<date>/<SYMBOL>.json`, every day from their first fill on;
 * see recordReportOverlays), else the SessionData a run exported (`--export all` writes
 * `OUT/sessions/<date>/<SYMBOL>/<interval>.parquet`). One line per (interval, column), at the
 * start of each bar, NaN rows (warming up) left out; days with neither are skipped.
 *
 * @example
 * ```ts
 * const overlays = loadReportOverlays('runs/jan', ['SPY'], result.days.map((d) => d.date));
 * ```
 */
export function loadReportOverlays(out: string, symbols: readonly string[], dates: readonly string[]): ReportOverlay[] {
  const lines = new Map<string, { symbol: string; name: string; time: number[]; value: number[] }>();
  const add = (symbol: string, name: string, time: ArrayLike<number>, value: ArrayLike<number>): void => {
    const key = `${symbol}\u0000${name}`;
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { symbol, name, time: [], value: [] }));
    for (let i = 0; i < value.length; i++) {
      const v = Number(value[i]);
      if (!Number.isFinite(v)) continue;
      line.time.push(Number(time[i]));
      line.value.push(v);
    }
  };
  for (const date of dates) {
    for (const symbol of symbols) {
      // What `run --report` recorded for the charted symbols (every day they were charted),
      // else the day's exported SessionData.
      const recorded = join(out, 'overlays', date, `${symbol}.json`);
      if (existsSync(recorded)) {
        const day = JSON.parse(readFileSync(recorded, 'utf8')) as { lines?: Array<{ name: string; time: number[]; value: number[] }> };
        for (const line of day.lines ?? []) add(symbol, line.name, line.time, line.value);
        continue;
      }
      const folder = join(out, 'sessions', date, symbol);
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.parquet')).sort()) {
        const interval = basename(file, '.parquet');
        const table = lazyParquet.arrow().tableFromIPC(lazyParquet.wasm().readParquet(new Uint8Array(readFileSync(join(folder, file)))).intoIPCStream());
        const start = table.getChild('start').toArray() as Float64Array;
        for (const name of table.names) {
          if (BAR_FIELDS.has(name)) continue;
          add(symbol, `${interval}/${name}`, start, table.getChild(name).toArray() as Float64Array);
        }
      }
    }
  }
  return [...lines.values()];
}
