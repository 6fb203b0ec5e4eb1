import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionContext } from '../../lib/session/create-backtest.ts';
import type { BacktestResult } from '../../lib/session/results.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { componentsFromConfig } from '../../pipelines/components-from-config.ts';
import { makeEngineStore, onSlice, quietEngineLogs, standardConfig, type EngineStore } from '../helpers/engine-fixtures.ts';

// 3 symbols over 2024-11-21 … 2024-11-29 (Thanksgiving week; 11-29 closes at 13:00), with
// more missing minutes than the default so some windows are incomplete or empty.
const DAYS = ['2024-11-26', '2024-11-27', '2024-11-29'];
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 3, from: '2024-11-21', to: '2024-11-29', missingMinuteRate: 0.03 });
});

test.after.always(async () => {
  await store?.dispose();
});

interface Audit {
  slices: number;
  problems: string[];
  /** New derived rows seen per `SYMBOL/interval`, summed over the run. */
  derivedSeen: Map<string, number>;
  partialSeen: number;
}

/**
 * A stage that checks, at every slice, that nothing in SessionData ends after the tick,
 * that every bar new since the previous slice ends at or before it (derived bars exactly at
 * it when audited after deriveBars: a window is emitted when the clock reaches its end,
 * not later), and that the
 * history never reaches into today.
 */
function auditor(audit: Audit, where: string, derivedAtTick: boolean): (ctx: SessionContext) => SlicePipeline {
  return (ctx) => {
    const lengths = new Map<string, number>();
    let previous = Number.NEGATIVE_INFINITY;
    const base = ctx.data.baseInterval;
    return onSlice((slice: TimeSlice) => {
      audit.slices++;
      const T = slice.time;
      const problem = (text: string) => audit.problems.push(`${where} ${slice.session.date} #${slice.index} ${new Date(T).toISOString()}: ${text}`);
      if (!(T > previous)) problem(`tick not after the previous one (${previous})`);
      previous = T;
      if (slice.isClose !== (T === slice.session.close)) problem('isClose and time disagree');
      for (const entry of slice.data.entries()) {
        for (const [interval, series] of entry.bars) {
          const key = `${entry.symbol}/${interval}`;
          const n = series.length;
          if (n > 0 && series.end[n - 1]! > T) problem(`${key} last bar ends at ${new Date(series.end[n - 1]!).toISOString()}`);
          const seen = lengths.get(key) ?? 0;
          for (let row = seen; row < n; row++) {
            const end = series.end[row]!;
            if (end > T) problem(`${key} row ${row} ends after the tick`);
            if (interval !== base) {
              // Before the pipeline, derived rows new since the last slice were made by the last slice.
              if (derivedAtTick && end !== T) problem(`${key} row ${row} (end ${new Date(end).toISOString()}) appeared late`);
              audit.derivedSeen.set(key, (audit.derivedSeen.get(key) ?? 0) + 1);
              if (series.partial[row] === 1) audit.partialSeen++;
            }
          }
          lengths.set(key, n);
        }
        for (const [interval, history] of entry.history) {
          if (history.length > 0 && history.end[history.length - 1]! > slice.session.open) problem(`${entry.symbol}/${interval} history reaches into today`);
        }
      }
      for (const [interval, closed] of slice.closed) {
        for (let k = 0; k < closed.count; k++) {
          const end = closed.end(k);
          if (end > T) problem(`closed ${interval} bar of ${closed.symbol(k)} ends after the tick`);
          if (closed.series(k).end[closed.row(k)] !== end) problem(`closed ${interval} bar of ${closed.symbol(k)}: the view and its series disagree on the end`);
        }
      }
    });
  };
}

async function audited(streams: string[], extraIndicators = true): Promise<{ result: BacktestResult; before: Audit; after: Audit }> {
  const input = standardConfig(store, DAYS[0]!, DAYS.at(-1)!, { streams, ...(extraIndicators ? {} : { indicators: [] }) });
  const config = parseConfig(input);

  const before: Audit = { slices: 0, problems: [], derivedSeen: new Map(), partialSeen: 0 };
  const after: Audit = { slices: 0, problems: [], derivedSeen: new Map(), partialSeen: 0 };
  const first = auditor(before, 'before the pipeline', false);
  const last = auditor(after, 'after the pipeline', true);
  // One auditor before the standard components (what the drain made visible) and one after them.
  const result = await backtest(config, { replace: [{ name: 'audit-before', stage: first }, ...componentsFromConfig(config), { name: 'audit-after', stage: last }] }).result();
  return { result, before, after };
}

test('backtest: at every slice of a data-driven run no series holds a bar ending after the tick, and derived bars appear exactly at their window end', async (t) => {
  const { result, before, after } = await audited(['1m', '5m', '15m']);
  t.deepEqual(result.days.map((d) => d.date), DAYS);
  const ticks = result.days.reduce((n, d) => n + d.ticks, 0);
  t.is(before.slices, ticks);
  t.is(after.slices, ticks);
  t.deepEqual(before.problems, []);
  t.deepEqual(after.problems, []);
  // The auditor saw every derived bar of the last day appear (none was added after the close).
  const data = result.sessionData!;
  for (const symbol of data.symbols()) {
    for (const interval of ['5m', '15m']) t.true(data.series(symbol, interval).length > 0);
  }
  const lastDay = result.days.at(-1)!;
  t.is(lastDay.barsOut['5m'], data.symbols().reduce((n, s) => n + data.series(s, '5m').length, 0));
  const seen5m = [...after.derivedSeen].filter(([k]) => k.endsWith('/5m')).reduce((n, [, v]) => n + v, 0);
  t.is(seen5m, result.days.reduce((n, d) => n + (d.barsOut['5m'] ?? 0), 0), 'every 5m bar of the run was seen appearing');
  result.dispose();
});

test('backtest: a window cut by the close (60m at 15:30 and at an early close) appears only at the close', async (t) => {
  const { result, after } = await audited(['1m', '5m', '60m'], false);
  t.deepEqual(after.problems, []);
  // 15:30–16:00 on the two full days, 12:30–13:00 on the early close: one partial bar per
  // symbol and day, except the generator's missing day (the last symbol on 2024-11-26).
  t.deepEqual(store.summary.missingDay, { symbol: 'DEMO03', date: '2024-11-26' });
  t.is(after.partialSeen, 3 * store.symbols.length - 1);
  const data = result.sessionData!;
  t.true(data.session.earlyClose);
  const hourly = data.series('DEMO01', '60m');
  const last = hourly.last()!;
  t.true(last.partial);
  t.is(last.end, data.session.close);
  t.is(last.start, data.session.close - 30 * 60_000);
  result.dispose();
});
