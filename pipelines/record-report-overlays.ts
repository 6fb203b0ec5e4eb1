import { join } from 'node:path';
import { writeFileAtomic } from '../lib/cli/write-file-atomic.ts';
import type { Json, SessionComponent } from '../lib/session/component.ts';
import { isBrokerComponent } from '../operators/execution/broker.ts';

/** One indicator line of one symbol and day, as `OUT/overlays/<date>/<SYMBOL>.json` holds it. */
export interface OverlayLine {
  /** `<interval>/<column>`, e.g. `5m/ema_9`. */
  readonly name: string;
  /** Bar starts (epoch ms UTC) of the finite values. */
  readonly time: readonly number[];
  readonly value: readonly number[];
}

/**
 * A day component that keeps the report's indicator lines for the symbols it charts: the
 * first `limit` symbols to trade, in the order of their first fill (the report's own choice
 * of price charts), from the day of that fill on. At each day's end it writes their
 * indicator columns, every interval, to `OUT/overlays/<date>/<SYMBOL>.json`: the report
 * draws the strategy's lines on every day, not only on the one day `--export last` keeps,
 * at the cost of a few small files rather than exporting every symbol's SessionData. The
 * charted list crosses days through `carry` (DESIGN §7), so a resumed run goes on with it.
 *
 * @example
 * ```ts
 * createBacktest(config, { components: [...components, recordReportOverlays({ out: 'runs/jan', limit: 8 })] });
 * ```
 */
export function recordReportOverlays(options: { readonly out: string; readonly limit: number; readonly broker?: string }): SessionComponent {
  const charted = new WeakMap<object, string[]>();
  return {
    name: 'report-overlays',
    setup(ctx) {
      const carried = (ctx.carried as { charted?: unknown } | undefined)?.charted;
      charted.set(ctx.scope, Array.isArray(carried) ? carried.filter((s): s is string => typeof s === 'string') : []);
    },
    onSessionEnd(ctx) {
      const list = charted.get(ctx.scope) ?? [];
      const found = ctx.component(options.broker ?? 'broker');
      if (isBrokerComponent(found)) {
        for (const fill of found.account(ctx.scope).day.fills) {
          if (list.length >= options.limit) break;
          if (!list.includes(fill.symbol)) list.push(fill.symbol);
        }
      }
      for (const symbol of list) {
        const entry = ctx.data.get(symbol);
        if (!entry) continue;
        const lines: OverlayLine[] = [];
        for (const [interval, series] of entry.bars) {
          const start = series.start;
          for (const column of series.columnNames()) {
            if (column === 'partial') continue;
            const values = series.column(column);
            const time: number[] = [];
            const value: number[] = [];
            for (let i = 0; i < series.length; i++) {
              const v = values[i]!;
              // Warming up (NaN) is not a value to draw.
              if (Number.isFinite(v)) {
                time.push(start[i]!);
                value.push(v);
              }
            }
            if (value.length > 0) lines.push({ name: `${interval}/${column}`, time, value });
          }
        }
        if (lines.length > 0) writeFileAtomic(join(options.out, 'overlays', ctx.session.date, `${symbol}.json`), JSON.stringify({ symbol, date: ctx.session.date, lines }));
      }
      charted.set(ctx.scope, list);
    },
    carry: (ctx): Json => ({ charted: [...(charted.get(ctx.scope) ?? [])] }),
  };
}
