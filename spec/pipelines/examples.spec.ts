import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { prepareDemo } from '../../pipelines/demo/prepare-demo.ts';
import { runCli, runDays } from '../helpers/cli.ts';

// `sessionflow start` writes the example configs beside the demo store it generates; here
// that happens in a temporary folder and each config is run through the CLI, as a user would.
let dir: string;
let examples: string[];

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-examples-'));
  ({ examples } = await prepareDemo(dir));
});

test.after.always(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What these tests read of a finished day (OUT/days.ndjson). */
interface ExampleDay {
  date: string;
  components: Record<string, { positions: number; fills: number; trades: number; equityEnd: number; equityStart: number }>;
}
interface Summary {
  status: string;
  days: { file: string; count: number };
  tables: string[];
  stats?: { equityFinal: number; trades: number; returnPct: number; sharpe: number | null; dailyReturns: unknown[] };
}

/** Run example `name` against the generated store; its summary and CSV tables. */
async function runExample(name: string): Promise<{ code: number; stderr: string; summary: Summary; days: ExampleDay[]; csv: (table: string) => Promise<Array<Record<string, string>>> }> {
  const path = examples.find((p) => basename(p) === `${name}.json`);
  if (!path) throw new Error(`prepareDemo wrote no example ${name}.json (it wrote ${examples.join(', ')})`);
  const out = join(dir, `out-${name}`);
  const { code, stdout, stderr } = await runCli(['run', path, '--out', out, '--export', 'none']);
  if (code === 0 && !/Sharpe Ratio/.test(stdout)) throw new Error(`no statistics table in the output of ${name}:\n${stdout}`);
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Summary;
  const csv = async (table: string): Promise<Array<Record<string, string>>> => {
    const [header, ...lines] = (await readFile(join(out, `${table}.csv`), 'utf8')).trim().split('\n');
    const names = header!.split(',');
    // The example tables hold no quoted commas in the columns read here.
    return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
  };
  return { code, stderr, summary, days: code === 0 ? (runDays(out) as unknown as ExampleDay[]) : [], csv };
}

test('examples: the opening-range breakout trades with brackets and is flat at every close', async (t) => {
  const { code, stderr, summary, days, csv } = await runExample('opening-range-breakout');
  t.is(code, 0, stderr);
  t.is(summary.status, 'ok');
  t.true(days.every((d) => d.components.broker!.positions === 0), 'no position is held overnight');
  const trades = await csv('trades');
  t.true(trades.length > 10);
  // Every round trip opens and closes within one session.
  for (const trade of trades) t.is(trade.entryTime!.slice(0, 10), trade.exitTime!.slice(0, 10));
  const fills = await csv('fills');
  const tags = new Set(fills.map((f) => f.tag));
  t.true(tags.has('opening-range-breakout'), 'entries');
  t.true(tags.has('opening-range-breakout:stop-loss') || tags.has('opening-range-breakout:take-profit'), 'bracket exits filled');
  // No entry before the opening range has closed (30 minutes after the 09:30 open, 14:30 or 15:00 UTC in January).
  for (const f of fills.filter((x) => x.tag === 'opening-range-breakout')) t.true(f.barStart!.slice(11, 16) >= '15:00', f.barStart);
});

test('examples: the EMA crossover trades from its config, with commissions charged per order', async (t) => {
  const { code, stderr, summary, days, csv } = await runExample('ema-crossover');
  t.is(code, 0, stderr);
  t.true(summary.tables.some((f) => f.endsWith('fills.parquet')));
  const fills = await csv('fills');
  t.true(fills.length > 20);
  // 0.005 per share with a 1.00 minimum: no fill of one order pays less than the minimum.
  for (const f of fills) t.true(Number(f.commission) >= 1 - 1e-9, `${f.orderId}: ${f.commission}`);
  const last = days.at(-1)!.components.broker!;
  t.true(Number.isFinite(last.equityEnd));
  // The statistics: in summary.json and stats.json with stable keys, computed from the days' equity.
  const stats = summary.stats!;
  t.is(stats.equityFinal, last.equityEnd);
  t.is(stats.trades, (await csv('trades')).length);
  t.true(Math.abs(stats.returnPct - (last.equityEnd / days[0]!.components.broker!.equityStart - 1) * 100) < 1e-9);
  t.is(stats.dailyReturns.length, days.length);
  const file = JSON.parse(await readFile(join(dir, 'out-ema-crossover', 'stats.json'), 'utf8')) as Record<string, unknown>;
  t.deepEqual(Object.keys(file), Object.keys(stats));
  t.is(typeof file.sharpe, 'number');
});

test('examples: the daily SMA crossover runs on daily bars derived from the demo store\'s 1m bars, filling at session opens', async (t) => {
  const { code, stderr, summary, days, csv } = await runExample('daily-sma-crossover');
  t.is(code, 0, stderr);
  t.is(summary.status, 'ok');
  const fills = await csv('fills');
  t.true(fills.length > 0);
  // One bar per session: every fill is on a bar starting at the open (09:30 New York = 14:30 UTC in January) and known at the close.
  for (const f of fills) {
    t.is(f.barStart!.slice(11, 16), '14:30', f.barStart);
    t.is(f.time!.slice(11, 16), '21:00', f.time);
  }
  const equity = await csv('equity');
  t.is(equity.length, days.length, 'one equity point per session');
});

test('examples: the SMA crossover sweeps on the demo data, and its best row reproduces with sessionflow run', async (t) => {
  const path = examples.find((p) => basename(p) === 'sma-crossover.json')!;
  const out = join(dir, 'sweep-sma');
  const swept = await runCli(['sweep', path, '--grid', 'strategies[0].params.fast=5..15:5', '--grid', 'strategies[0].params.slow=[30,60]', '--workers', '0', '--out', out, '--report', '--objective', 'returnPct']);
  t.is(swept.code, 0, swept.stderr);
  t.regex(swept.stdout, /6 parameter sets/);
  const best = /best by returnPct: (.+)/.exec(swept.stdout)![1]!;
  const args = best.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
  const ran = await runCli([...args.slice(1), '--out', join(dir, 'sweep-sma-best'), '--export', 'none', '--no-progress']);
  t.is(ran.code, 0, ran.stderr);
  const stats = JSON.parse(await readFile(join(dir, 'sweep-sma-best', 'stats.json'), 'utf8')) as { returnPct: number };
  const top = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')) as { top: Array<{ returnPct: number }> };
  t.is(stats.returnPct, top.top[0]!.returnPct);
});
