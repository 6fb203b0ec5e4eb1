/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDemo } from '../../pipelines/demo/prepare-demo.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';

// The report of the opening-range breakout example over the demo store, checked as a file and
// in a real browser (Debian's chromium through playwright-core; .ci/run installs it).
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
let dir: string;
let report: string;
let fills: number;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-report-'));
  await prepareDemo(dir);
  const config = JSON.parse(await readFile(join(REPO_ROOT, 'pipelines/examples/configs/opening-range-breakout.json'), 'utf8')) as { store: { root: string } };
  config.store.root = join(dir, 'store');
  await writeFile(join(dir, 'orb.json'), JSON.stringify(config));
  const { code, stderr } = await runCli(['run', join(dir, 'orb.json'), '--out', join(dir, 'out'), '--report', '--export', 'none']);
  if (code !== 0) throw new Error(stderr);
  report = join(dir, 'out', 'report.html');
  fills = (await readFile(join(dir, 'out', 'fills.csv'), 'utf8')).trim().split('\n').length - 1;
});

test.after.always(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('report: run --report writes one self-contained report.html (no network), well under 20 MB', async (t) => {
  const html = await readFile(report, 'utf8');
  t.true((await stat(report)).size < 20 * 1024 * 1024);
  t.false(/<script[^>]+src=/.test(html), 'no external scripts');
  t.false(/<link[^>]+href=/.test(html), 'no external stylesheets');
  t.regex(html, /LightweightCharts/);
  const data = JSON.parse(/<script id="data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!.replace(/<\\\//g, '</')) as { symbols: Array<{ markers: unknown[] }>; trades: unknown[]; statsRows: Array<[string, string]> };
  t.is(data.symbols.reduce((n, s) => n + s.markers.length, 0), fills, 'one marker per fill');
  t.true(data.trades.length > 10);
  t.true(data.statsRows.some(([label]) => label === 'Sharpe Ratio'));
});

// Serial (AVA runs these before the others): it rewrites report.html and restores it.
test.serial('report: sessionflow report RUN_DIR rebuilds the same page from the run\'s files, and names the file when the folder is not a run', async (t) => {
  const first = await readFile(report, 'utf8');
  const { code, stdout, stderr } = await runCli(['report', join(dir, 'out')]);
  t.is(code, 0, stderr);
  t.regex(stdout, /report: .*report\.html/);
  t.is(await readFile(report, 'utf8'), first);
  // --interval 15m: candles are 15-minute windows anchored at the open (26 per full session).
  const coarse = await runCli(['report', join(dir, 'out'), '--interval', '15m', '--symbol', 'DEMO01']);
  t.is(coarse.code, 0, coarse.stderr);
  const data = JSON.parse(/<script id="data" type="application\/json">([\s\S]*?)<\/script>/.exec(await readFile(report, 'utf8'))![1]!.replace(/<\\\//g, '</')) as { symbols: Array<{ symbol: string; interval: string; candles: Array<{ time: number }> }> };
  t.deepEqual(data.symbols.map((s) => [s.symbol, s.interval]), [['DEMO01', '15m']]);
  t.true(data.symbols[0]!.candles.every((c) => (c.time / 60) % 15 === 0), 'windows start on the quarter hours of a 09:30 open');
  t.true(data.symbols[0]!.candles.length <= 21 * 26);
  t.true(((data as unknown as { downsampled: string[] }).downsampled).some((d) => /prices: 1 of the \d+ traded symbols charted/.test(d)), 'the page says not every traded symbol is charted');
  t.is((await runCli(['report', join(dir, 'out')])).code, 0);
  t.is(await readFile(report, 'utf8'), first, 'the default page again');
  const missing = await runCli(['report', dir]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /summary\.json: not a run's summary/);
});

test('report: with --export all the strategy\'s indicator columns are drawn over the prices', async (t) => {
  const config = JSON.parse(await readFile(join(REPO_ROOT, 'pipelines/examples/configs/ema-crossover.json'), 'utf8')) as { store: { root: string }; backtest: { end: string } };
  config.store.root = join(dir, 'store');
  config.backtest.end = '2024-01-05';
  await writeFile(join(dir, 'ema.json'), JSON.stringify(config));
  const { code, stderr } = await runCli(['run', join(dir, 'ema.json'), '--out', join(dir, 'ema'), '--report', '--export', 'all']);
  t.is(code, 0, stderr);
  const html = await readFile(join(dir, 'ema', 'report.html'), 'utf8');
  const data = JSON.parse(/<script id="data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!.replace(/<\\\//g, '</')) as { symbols: Array<{ symbol: string; lines: Array<{ name: string; points: unknown[] }> }> };
  t.true(data.symbols.length > 0);
  for (const s of data.symbols) {
    t.deepEqual(s.lines.map((l) => l.name).sort(), ['5m/ema_21', '5m/ema_9'], s.symbol);
    // Four sessions of 78 five-minute bars, warmed on history: a value at every bar.
    for (const l of s.lines) t.is(l.points.length, 4 * 78, `${s.symbol} ${l.name}`);
  }
});

test('report: with the default --export last the charted symbols\' indicator lines cover every day from their first fill on', async (t) => {
  const config = JSON.parse(await readFile(join(REPO_ROOT, 'pipelines/examples/configs/ema-crossover.json'), 'utf8')) as { store: { root: string }; backtest: { end: string } };
  config.store.root = join(dir, 'store');
  config.backtest.end = '2024-01-08';
  await writeFile(join(dir, 'ema-last.json'), JSON.stringify(config));
  const out = join(dir, 'ema-last');
  const { code, stderr } = await runCli(['run', join(dir, 'ema-last.json'), '--out', out, '--report']);
  t.is(code, 0, stderr);
  // First fill date of each symbol, in fill order (the report charts the first 8 traded).
  const rows = (await readFile(join(out, 'fills.csv'), 'utf8')).trim().split('\n').slice(1).map((line) => line.split(','));
  const firstFill = new Map<string, string>();
  for (const [date, , symbol] of rows) if (!firstFill.has(symbol!)) firstFill.set(symbol!, date!);
  const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
  const data = JSON.parse(/<script id="data" type="application\/json">([\s\S]*?)<\/script>/.exec(await readFile(join(out, 'report.html'), 'utf8'))![1]!.replace(/<\\\//g, '</')) as { symbols: Array<{ symbol: string; lines: Array<{ name: string; points: unknown[] }> }> };
  t.true(data.symbols.length > 0);
  for (const s of data.symbols) {
    const days = dates.length - dates.indexOf(firstFill.get(s.symbol)!);
    t.deepEqual(s.lines.map((l) => l.name).sort(), ['5m/ema_21', '5m/ema_9'], s.symbol);
    for (const l of s.lines) t.is(l.points.length, days * 78, `${s.symbol} ${l.name}: ${days} days of 78 bars`);
  }
  // One small file per charted symbol and day, not every symbol's SessionData.
  t.true(existsSync(join(out, 'overlays', dates.at(-1)!, `${data.symbols[0]!.symbol}.json`)));
  t.false(existsSync(join(out, 'sessions', dates[0]!)));
});

test('report: --report without --out is refused with a clear message', async (t) => {
  const { code, stderr } = await runCli(['run', join(dir, 'orb.json'), '--report']);
  t.is(code, 1);
  t.regex(stderr, /--report needs --out/);
});

(CHROMIUM ? test : test.skip)('report: in headless chromium the page loads without console errors, every chart draws, markers match the fills and a trade row moves its chart', async (t) => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`file://${report}`);
  await page.waitForFunction(() => (window as unknown as { __sessionflowReport?: unknown }).__sessionflowReport !== undefined);
  const info = await page.evaluate(() => {
    const r = (window as unknown as { __sessionflowReport: { markers: number; charts: Record<string, unknown> } }).__sessionflowReport;
    // Every chart container has at least one canvas with a drawn (non-transparent) pixel.
    const undrawn = [...document.querySelectorAll('.chart')].filter((box) =>
      ![...box.querySelectorAll('canvas')].some((c) => {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) return false;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
        return false;
      }),
    ).length;
    return { markers: r.markers, charts: Object.keys(r.charts).length, boxes: document.querySelectorAll('.chart').length, undrawn };
  });
  t.deepEqual(errors, []);
  t.is(info.undrawn, 0, `${info.undrawn} of ${info.boxes} charts drew nothing`);
  t.is(info.markers, fills);
  // Clicking the last trade row moves that symbol's chart to the trade (on the chart's next frame).
  type Charts = { __sessionflowReport: { charts: Record<string, { timeScale(): { getVisibleRange(): { from: number; to: number } | null } }> } };
  const clicked = await page.evaluate(() => {
    const row = ([...document.querySelectorAll('tr.trade')] as HTMLTableRowElement[]).at(-1)!;
    const symbol = row.cells[0]!.textContent!;
    const before = (window as unknown as Charts).__sessionflowReport.charts[symbol]!.timeScale().getVisibleRange();
    row.click();
    return { symbol, before };
  });
  await page.waitForFunction(
    ({ symbol, before }) => JSON.stringify((window as unknown as Charts).__sessionflowReport.charts[symbol]!.timeScale().getVisibleRange()) !== JSON.stringify(before),
    clicked,
  );
  const moved = { ...clicked, after: await page.evaluate((symbol) => (window as unknown as Charts).__sessionflowReport.charts[symbol]!.timeScale().getVisibleRange(), clicked.symbol) };
  t.notDeepEqual(moved.after, moved.before, `${moved.symbol}: the visible range changed`);
  t.true(moved.after !== null && moved.after.to - moved.after.from < (moved.before!.to - moved.before!.from) / 2, 'zoomed in on the trade');
  const shots = join(REPO_ROOT, '.cache', 'test-output');
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'report.png') });
  t.log(`screenshot: ${join(shots, 'report.png')}`);
});

if (!CHROMIUM) console.warn('report.spec: no chromium at /usr/bin/chromium (apt-get install -y chromium): the browser test is skipped');
