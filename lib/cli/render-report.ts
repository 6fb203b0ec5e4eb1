import { readFileSync } from 'node:fs';
import { escapeHtml } from './escape-html.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BacktestStats } from '../metrics/compute-stats.ts';

/** A point of a line in exchange time (seconds, shifted so the UTC-only charts show exchange clocks). */
export interface ReportPoint {
  readonly time: number;
  readonly value: number;
}

/** A candle in exchange time (seconds). */
export interface ReportCandle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A fill marker in exchange time (seconds, the start of its candle). */
export interface ReportMarker {
  readonly time: number;
  readonly side: 'buy' | 'sell';
  readonly text: string;
}

/** An indicator column of a symbol, as recorded (epoch ms; report-data shifts and thins it). */
export interface ReportOverlay {
  readonly symbol: string;
  /** `interval/column`, e.g. `5m/ema_9`. */
  readonly name: string;
  readonly time: readonly number[];
  readonly value: readonly number[];
}

/** Everything the page shows, already downsampled and shifted to exchange time. */
export interface ReportData {
  readonly name: string;
  readonly timezone: string;
  readonly stats: BacktestStats;
  /** Label, formatted value rows of the statistics table, most important first. */
  readonly statsRows: ReadonlyArray<readonly [string, string]>;
  readonly equity: readonly ReportPoint[];
  /** Drawdown in percent (<= 0), aligned with `equity`. */
  readonly drawdown: readonly ReportPoint[];
  readonly symbols: ReadonlyArray<{ readonly symbol: string; readonly interval: string; readonly candles: readonly ReportCandle[]; readonly markers: readonly ReportMarker[]; readonly lines: ReadonlyArray<{ readonly name: string; readonly points: readonly ReportPoint[] }> }>;
  readonly trades: ReadonlyArray<{ readonly symbol: string; readonly direction: string; readonly entry: number; readonly exit: number; readonly entryLabel: string; readonly exitLabel: string; readonly entryPrice: number; readonly exitPrice: number; readonly quantity: number; readonly pnl: number; readonly returnPct: number }>;
  readonly monthly: ReadonlyArray<{ readonly month: string; readonly returnPct: number }>;
  readonly quality: ReadonlyArray<{ readonly date: string; readonly symbols: number; readonly minScore: number; readonly meanScore: number }>;
  /** What was thinned out to keep the page usable, in words. */
  readonly downsampled: readonly string[];
}

/**
 * One self-contained HTML page (lightweight-charts inlined from the installed package, no
 * network): the key numbers first, the equity curve with its drawdown pane, a price chart per
 * traded symbol with its fills marked, the statistics table, the monthly returns coloured by
 * sign, a sortable trades table whose rows move the price chart to the trade, and the
 * per-day data quality.
 *
 * @example
 * ```ts
 * writeFileSync('runs/jan/report.html', renderReport(data));
 * ```
 */
export function renderReport(data: ReportData): string {
  // The package exports only its ESM build; the standalone script sits beside its package.json.
  const library = readFileSync(join(dirname(createRequire(import.meta.url).resolve('lightweight-charts/package.json')), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
  const s = data.stats;
  const key = (label: string, value: string, sign?: number): string => `<div class="key"><div class="label">${escapeHtml(label)}</div><div class="value${sign === undefined ? '' : sign >= 0 ? ' up' : ' down'}">${escapeHtml(value)}</div></div>`;
  const pct = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)} %` : 'n/a');
  const num = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  // The data go in as JSON inside a script element; "</" is escaped so no value can close it.
  const json = JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)).replace(/<\//g, '<\\/');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.name)} — sessionflow report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0 24px 48px;color:#1d2330;background:#fff}
h1{font-size:20px;margin:20px 0 4px}h2{font-size:16px;margin:28px 0 8px}
.note{color:#667;font-size:12px}.keys{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.key{border:1px solid #dde;border-radius:6px;padding:8px 14px;min-width:120px}.label{color:#667;font-size:12px}.value{font-size:20px;font-weight:600}
.up{color:#1a7f37}.down{color:#c62828}.chart{height:360px;border:1px solid #eef;margin-bottom:8px}
table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}th{cursor:pointer;background:#f6f7fb;position:sticky;top:0}
td:first-child,th:first-child{text-align:left}.scroll{max-height:420px;overflow:auto;display:inline-block;border:1px solid #eef}
tr.trade:hover{background:#eef4ff;cursor:pointer}.pos{background:#e6f4ea}.neg{background:#fdecea}
</style></head><body>
<h1>${escapeHtml(data.name)}</h1>
<div class="note">times in exchange time (${escapeHtml(data.timezone)}); return-based ratios from session-level equity, annualised over ${s.periodsPerYear} periods${data.downsampled.length ? `; downsampled for display: ${escapeHtml(data.downsampled.join('; '))}` : ''}</div>
<div class="keys">${key('Return', pct(s.returnPct), s.returnPct)}${key('Sharpe', num(s.sharpe))}${key('Max. drawdown', pct(s.maxDrawdownPct), -1)}${key('Trades', String(s.trades))}${key('Win rate', pct(s.winRatePct))}${key('Buy & hold', pct(s.buyHoldReturnPct), s.buyHoldReturnPct)}</div>
<h2>Equity and drawdown</h2><div id="equity" class="chart"></div>
<h2>Prices and fills</h2><div id="prices"></div>
<h2>Statistics</h2><div class="scroll"><table id="stats"></table></div>
<h2>Monthly returns</h2><table id="monthly"></table>
<h2>Trades</h2><div class="note">click a row to move its symbol's chart to the trade; click a header to sort</div><div class="scroll"><table id="trades"></table></div>
<h2>Data quality per day</h2><div class="scroll"><table id="quality"></table></div>
<script>${library}</script>
<script id="data" type="application/json">${json}</script>
<script>
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var L = LightweightCharts;
  var charts = {};
  function fmt(x, d) { return x === null || x === undefined ? 'n/a' : (typeof x === 'number' ? x.toFixed(d === undefined ? 2 : d) : String(x)); }
  function cell(tag, text, cls) { var c = document.createElement(tag); c.textContent = text; if (cls) c.className = cls; return c; }
  // Equity with its drawdown in a second pane.
  var eq = L.createChart(document.getElementById('equity'), { autoSize: true, timeScale: { timeVisible: true } });
  eq.addSeries(L.LineSeries, { color: '#2962ff', lineWidth: 2, title: 'equity' }).setData(D.equity);
  eq.addSeries(L.AreaSeries, { lineColor: '#c62828', topColor: 'rgba(198,40,40,0.05)', bottomColor: 'rgba(198,40,40,0.35)', title: 'drawdown %' }, 1).setData(D.drawdown);
  eq.timeScale().fitContent();
  charts.__equity = eq;
  // One price chart per traded symbol, fills marked.
  D.symbols.forEach(function (s) {
    var box = document.createElement('div');
    box.appendChild(cell('div', s.symbol + ' (' + s.interval + ')', 'note'));
    var el = document.createElement('div'); el.className = 'chart'; el.dataset.symbol = s.symbol; box.appendChild(el);
    document.getElementById('prices').appendChild(box);
    var chart = L.createChart(el, { autoSize: true, timeScale: { timeVisible: true } });
    var candles = chart.addSeries(L.CandlestickSeries, {});
    candles.setData(s.candles.map(function (c) { return { time: c.time, open: c.open, high: c.high, low: c.low, close: c.close }; }));
    chart.addSeries(L.HistogramSeries, { color: 'rgba(100,110,140,0.5)', priceFormat: { type: 'volume' } }, 1).setData(s.candles.map(function (c) { return { time: c.time, value: c.volume }; }));
    var colors = ['#ff9800', '#7b1fa2', '#00897b', '#5d4037', '#1565c0', '#c2185b'];
    s.lines.forEach(function (l, i) { chart.addSeries(L.LineSeries, { color: colors[i % colors.length], lineWidth: 1, title: l.name, priceLineVisible: false, lastValueVisible: false }).setData(l.points); });
    L.createSeriesMarkers(candles, s.markers.map(function (m) {
      return m.side === 'buy' ? { time: m.time, position: 'belowBar', color: '#1a7f37', shape: 'arrowUp', text: m.text } : { time: m.time, position: 'aboveBar', color: '#c62828', shape: 'arrowDown', text: m.text };
    }));
    chart.timeScale().fitContent();
    charts[s.symbol] = chart;
  });
  window.__sessionflowReport = { charts: charts, markers: D.symbols.reduce(function (n, s) { return n + s.markers.length; }, 0) };
  // Statistics.
  var st = document.getElementById('stats');
  D.statsRows.forEach(function (r) { var tr = document.createElement('tr'); tr.appendChild(cell('td', r[0])); tr.appendChild(cell('td', r[1])); st.appendChild(tr); });
  // Monthly returns, coloured by sign.
  var mt = document.getElementById('monthly');
  var head = document.createElement('tr'); head.appendChild(cell('th', 'month')); head.appendChild(cell('th', 'return %')); mt.appendChild(head);
  D.monthly.forEach(function (m) { var tr = document.createElement('tr'); tr.appendChild(cell('td', m.month)); tr.appendChild(cell('td', fmt(m.returnPct), m.returnPct >= 0 ? 'pos' : 'neg')); mt.appendChild(tr); });
  // Trades: sortable; a click moves that symbol's chart to the trade.
  var tt = document.getElementById('trades');
  var cols = [['symbol', 'symbol'], ['direction', 'direction'], ['entryLabel', 'entry'], ['exitLabel', 'exit'], ['entryPrice', 'entry price'], ['exitPrice', 'exit price'], ['quantity', 'quantity'], ['pnl', 'P&L'], ['returnPct', 'return %']];
  var rows = D.trades.slice();
  function drawTrades() {
    tt.innerHTML = '';
    var h = document.createElement('tr');
    cols.forEach(function (c) { var th = cell('th', c[1]); th.onclick = function () { var k = c[0] === 'entryLabel' ? 'entry' : c[0] === 'exitLabel' ? 'exit' : c[0]; var dir = tt.dataset.sort === k ? -1 : 1; tt.dataset.sort = dir === 1 ? k : ''; rows.sort(function (a, b) { return a[k] < b[k] ? -dir : a[k] > b[k] ? dir : 0; }); drawTrades(); }; h.appendChild(th); });
    tt.appendChild(h);
    rows.forEach(function (t) {
      var tr = document.createElement('tr'); tr.className = 'trade';
      cols.forEach(function (c) { var v = t[c[0]]; tr.appendChild(cell('td', typeof v === 'number' ? fmt(v) : v, c[0] === 'pnl' || c[0] === 'returnPct' ? (t.pnl >= 0 ? 'pos' : 'neg') : '')); });
      tr.onclick = function () {
        var chart = charts[t.symbol]; if (!chart) return;
        var pad = Math.max(600, (t.exit - t.entry) / 2);
        chart.timeScale().setVisibleRange({ from: t.entry - pad, to: t.exit + pad });
        var el = document.querySelector('.chart[data-symbol="' + t.symbol + '"]'); if (el) el.scrollIntoView({ block: 'center' });
      };
      tt.appendChild(tr);
    });
  }
  drawTrades();
  // Quality.
  var qt = document.getElementById('quality');
  var qh = document.createElement('tr'); ['date', 'symbols', 'lowest score', 'mean score'].forEach(function (x) { qh.appendChild(cell('th', x)); }); qt.appendChild(qh);
  D.quality.forEach(function (q) { var tr = document.createElement('tr'); tr.appendChild(cell('td', q.date)); tr.appendChild(cell('td', String(q.symbols))); tr.appendChild(cell('td', fmt(q.minScore, 1), q.minScore < 90 ? 'neg' : '')); tr.appendChild(cell('td', fmt(q.meanScore, 1))); qt.appendChild(tr); });
})();
</script></body></html>
`;
}

