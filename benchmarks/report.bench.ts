/**
 * `npm run bench:report`: what the statistics and the HTML report cost next to the run they
 * describe. Runs the standard pipeline with the broker and a strategy trading every symbol
 * every 30 bars over a generated store (default 500 symbols × 250 sessions), then times
 * `runStats` and the report (prices of 8 symbols read from the store, data, HTML), and
 * prints their share of the run's wall time and the page's size. Targets (issue 13): under
 * 5 % of the run, under 20 MB.
 *
 * Options: --symbols N --sessions N --cache DIR
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadReportPrices } from '../lib/cli/load-report-prices.ts';
import { renderReport } from '../lib/cli/render-report.ts';
import { reportData } from '../lib/cli/report-data.ts';
import { runStats } from '../lib/metrics/run-stats.ts';
import { broker } from '../operators/execution/broker.ts';
import { defineStrategy } from '../operators/strategies/define-strategy.ts';
import { backtest } from '../pipelines/backtest.ts';
import { ensureBenchStore } from './bench-store.ts';
import { benchConfig, planBench } from './session-loop.bench.ts';

const { values: args } = parseArgs({ options: { symbols: { type: 'string', default: '500' }, sessions: { type: 'string', default: '250' }, cache: { type: 'string', default: '.cache/bench' } } });
const SYMBOLS = Number(args.symbols);
const SESSIONS = Number(args.sessions);

async function main(): Promise<void> {
  const t0 = performance.now();
  const store = await ensureBenchStore(resolve(args.cache!), SYMBOLS, SESSIONS, 1, 'yearly', undefined, 'snappy');
  console.log(`sessionflow report bench — ${SYMBOLS} symbols × ${SESSIONS} sessions; store ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const config = benchConfig(store, 1);
  const started = performance.now();
  const { plan, source } = await planBench(config);
  const step = 30 * 60_000;
  const trader = defineStrategy({
    name: 'every-30-bars',
    onBar(ctx, bar) {
      if ((bar.end - ctx.session.open) % step !== 0) return;
      if (ctx.position(bar.symbol).quantity > 0) ctx.sell(bar.symbol, 10);
      else ctx.buy(bar.symbol, 10);
    },
  }).create({});
  const result = await backtest(config, { plan, source, components: [broker({ cash: 1e9 }), trader] }).result();
  const runMs = performance.now() - started;
  const s0 = performance.now();
  const stats = runStats(result.days, plan.calendar)!;
  const statsMs = performance.now() - s0;
  const r0 = performance.now();
  const traded = [...new Set(result.days.flatMap((d) => ((d.tables.fills ?? []) as unknown as Array<{ symbol: string }>).map((f) => f.symbol)))].slice(0, 8);
  const prices = await loadReportPrices(plan, source, traded, result.days.map((d) => d.date));
  const pricesMs = performance.now() - r0;
  const data = reportData({ name: 'bench', timezone: plan.calendar.timezone, stats, days: result.days, prices });
  const dataMs = performance.now() - r0 - pricesMs;
  const html = renderReport(data);
  const reportMs = performance.now() - r0;
  const mb = Buffer.byteLength(html) / 1048576;
  result.dispose();
  source.close?.();
  console.log(`run ${(runMs / 1000).toFixed(1)} s (${stats.trades} round trips); statistics ${statsMs.toFixed(0)} ms; report ${reportMs.toFixed(0)} ms (prices ${pricesMs.toFixed(0)}, data ${dataMs.toFixed(0)}, html ${(reportMs - pricesMs - dataMs).toFixed(0)}); together ${(((statsMs + reportMs) / runMs) * 100).toFixed(2)} % of the run; report.html ${mb.toFixed(1)} MB`);
  console.log(`${(statsMs + reportMs) / runMs < 0.05 ? 'PASS' : 'FAIL'}  statistics and report under 5 % of the run`);
  console.log(`${mb < 20 ? 'PASS' : 'FAIL'}  report.html under 20 MB`);
}

await main();
