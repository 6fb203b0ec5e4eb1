import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { lazyParquet } from '../store/lazy-parquet.ts';
import type { ReportOverlay } from './render-report.ts';

/** Bar fields of an exported series (everything else is an indicator column). */
const BAR_FIELDS = new Set(['start', 'end', 'open', 'high', 'low', 'close', 'volume', 'partial']);

/**
 * The indicator columns of `symbols` over `dates`, from the SessionData a run exported
 * (`run --export all` writes `OUT/sessions/<date>/<SYMBOL>/<interval>.parquet`): one line per
 * (interval, column), at the start of each bar, NaN rows (warming up) left out. Days without
 * an export are skipped, so with `--export last` only the last day has lines.
 *
 * @example
 * ```ts
 * const overlays = loadReportOverlays('runs/jan', ['SPY'], result.days.map((d) => d.date));
 * ```
 */
export function loadReportOverlays(out: string, symbols: readonly string[], dates: readonly string[]): ReportOverlay[] {
  const lines = new Map<string, { symbol: string; name: string; time: number[]; value: number[] }>();
  for (const date of dates) {
    for (const symbol of symbols) {
      const folder = join(out, 'sessions', date, symbol);
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.parquet')).sort()) {
        const interval = basename(file, '.parquet');
        const table = lazyParquet.arrow().tableFromIPC(lazyParquet.wasm().readParquet(new Uint8Array(readFileSync(join(folder, file)))).intoIPCStream());
        const start = table.getChild('start').toArray() as Float64Array;
        for (const name of table.names) {
          if (BAR_FIELDS.has(name)) continue;
          const values = table.getChild(name).toArray() as Float64Array;
          const key = `${symbol}\u0000${interval}/${name}`;
          let line = lines.get(key);
          if (!line) lines.set(key, (line = { symbol, name: `${interval}/${name}`, time: [], value: [] }));
          for (let i = 0; i < values.length; i++) {
            const v = Number(values[i]);
            if (!Number.isFinite(v)) continue;
            line.time.push(Number(start[i]));
            line.value.push(v);
          }
        }
      }
    }
  }
  return [...lines.values()];
}
