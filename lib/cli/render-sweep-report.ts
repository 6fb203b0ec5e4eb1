import { escapeHtml } from './escape-html.ts';

/** One parameter set as the sweep report shows it. */
export interface SweepReportRow {
  readonly rank: number;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The objective's value (NaN when undefined for the set). */
  readonly score: number;
  readonly stats: Readonly<Record<string, number>> | undefined;
  readonly command: string;
}

/** A walk-forward's curves and steps, for the report's chart and table. */
export interface SweepReportWalkForward {
  readonly windows: { readonly train: number; readonly test: number };
  readonly steps: ReadonlyArray<{ readonly train: { readonly start: string; readonly end: string }; readonly test: { readonly start: string; readonly end: string }; readonly parameters: Readonly<Record<string, unknown>>; readonly inSample: { readonly score: number; readonly returnPct: number }; readonly outOfSample: { readonly score: number; readonly returnPct: number } }>;
  readonly inSample: ReadonlyArray<{ readonly date: string; readonly equity: number }>;
  readonly outOfSample: ReadonlyArray<{ readonly date: string; readonly equity: number }>;
  readonly efficiency: number;
}

/** What {@link renderSweepReport} draws. */
export interface SweepReportData {
  readonly title: string;
  readonly objective: string;
  readonly minimize: boolean;
  /** The grid's paths, in grid order. */
  readonly paths: readonly string[];
  /** All sets, ranked (best first). */
  readonly rows: readonly SweepReportRow[];
  /** The two paths of the heatmap (default: the grid's first two). */
  readonly heatmap?: readonly [string, string];
  readonly top?: number;
  readonly walkForward?: SweepReportWalkForward;
}

/**
 * The sweep's report as one self-contained HTML page (no script, no network): the top sets
 * with their headline statistics and reproducing commands; a heatmap of the objective over
 * two parameters (a cell shows the best value over the other parameters, so a grid of three
 * axes still reads as a map: what matters is whether good values form a plateau or a lonely
 * spike); and for a walk-forward, the stitched out-of-sample equity drawn next to the
 * in-sample one, with the steps.
 *
 * @example
 * ```ts
 * writeFileSync('sweeps/a/report.html', renderSweepReport({ title: 's.json', objective: 'sharpe', minimize: false, paths, rows }));
 * ```
 */
export function renderSweepReport(data: SweepReportData): string {
  const short = (path: string): string => path.replace(/^strategies\[\d+\]\.params\./, '');
  const parts = [
    `<h1>Sweep: ${escapeHtml(data.title)}</h1>`,
    data.rows.length > 0 ? `<p>${data.rows.length} parameter sets ranked by <b>${escapeHtml(data.objective)}</b> (${data.minimize ? 'lowest' : 'highest'} first).</p>` : '',
    data.rows.length > 0 ? topSets(data, short) : '',
    data.rows.length > 0 && (data.paths.length >= 2 || data.heatmap) ? heatmap(data, short) : '',
    data.walkForward ? walkForward(data.walkForward, data.objective, short) : '',
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`sweep: ${data.title}`)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d1d1f; }
table { border-collapse: collapse; margin: 8px 0 24px; }
th, td { padding: 3px 8px; border: 1px solid #ddd; text-align: right; }
th { background: #f4f4f6; }
td.cmd { text-align: left; font: 12px ui-monospace, monospace; }
table.heat td { width: 56px; font-size: 12px; }
.legend { font-size: 12px; color: #555; }
</style></head><body>
${parts.filter((p) => p !== '').join('\n')}
</body></html>
`;
}

const HEADLINE = ['returnPct', 'sharpe', 'maxDrawdownPct', 'trades', 'winRatePct', 'profitFactor'];

function topSets(data: SweepReportData, short: (path: string) => string): string {
  const rows = data.rows.slice(0, data.top ?? 20);
  const figures = HEADLINE.filter((k) => k !== data.objective);
  const head = ['rank', ...data.paths.map(short), data.objective, ...figures, 'reproduce'].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr><td>${r.rank}</td>${data.paths.map((p) => `<td>${escapeHtml(String(r.parameters[p]))}</td>`).join('')}<td><b>${num(r.score)}</b></td>${figures.map((k) => `<td>${num(r.stats?.[k])}</td>`).join('')}<td class="cmd">${escapeHtml(r.command)}</td></tr>`)
    .join('\n');
  return `<h2>Top ${rows.length} sets</h2>\n<table class="top"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function heatmap(data: SweepReportData, short: (path: string) => string): string {
  const [xPath, yPath] = data.heatmap ?? [data.paths[0]!, data.paths[1]!];
  const order = (values: unknown[]): unknown[] => [...new Map(values.map((v) => [JSON.stringify(v), v])).values()].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
  const xs = order(data.rows.map((r) => r.parameters[xPath]));
  const ys = order(data.rows.map((r) => r.parameters[yPath]));
  // Per cell, the best score over the other parameters.
  const better = (a: number, b: number): boolean => (Number.isNaN(b) ? !Number.isNaN(a) : !Number.isNaN(a) && (data.minimize ? a < b : a > b));
  const cells = new Map<string, number>();
  for (const r of data.rows) {
    const key = `${JSON.stringify(r.parameters[xPath])}|${JSON.stringify(r.parameters[yPath])}`;
    const was = cells.get(key);
    if (was === undefined || better(r.score, was)) cells.set(key, r.score);
  }
  // Coloured by rank, not by value: one outlier (a Sharpe of −37 without trades to speak of)
  // would otherwise paint every other cell the same green.
  const finite = [...new Set([...cells.values()].filter((v) => Number.isFinite(v)))].sort((a, b) => a - b);
  const colour = (v: number | undefined): string => {
    if (v === undefined) return '#fff';
    if (!Number.isFinite(v)) return '#eee';
    let t = finite.length > 1 ? finite.indexOf(v) / (finite.length - 1) : 0.5;
    if (data.minimize) t = 1 - t;
    // Red (worst) through pale yellow to green (best).
    const [r, g, b] = t < 0.5 ? mix([215, 48, 39], [255, 255, 191], t * 2) : mix([255, 255, 191], [26, 152, 80], (t - 0.5) * 2);
    return `rgb(${r},${g},${b})`;
  };
  const head = `<tr><th>${escapeHtml(short(yPath))} \\ ${escapeHtml(short(xPath))}</th>${xs.map((x) => `<th>${escapeHtml(String(x))}</th>`).join('')}</tr>`;
  const body = ys
    .map((y) => `<tr><th>${escapeHtml(String(y))}</th>${xs.map((x) => {
      const v = cells.get(`${JSON.stringify(x)}|${JSON.stringify(y)}`);
      return `<td style="background:${colour(v)}" title="${escapeHtml(`${short(xPath)}=${String(x)}, ${short(yPath)}=${String(y)}: ${data.objective} ${v === undefined ? 'not run' : num(v)}`)}">${v === undefined ? '' : num(v)}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  const others = data.paths.filter((p) => p !== xPath && p !== yPath);
  return `<h2>${escapeHtml(data.objective)} over ${escapeHtml(short(xPath))} × ${escapeHtml(short(yPath))}</h2>
<p class="legend">${others.length > 0 ? `Each cell: the best ${escapeHtml(data.objective)} over ${others.map((p) => escapeHtml(short(p))).join(', ')}. ` : ''}Coloured by rank: green is best, red worst; empty: not run; grey: undefined (e.g. no trades).</p>
<table class="heat"><thead>${head}</thead><tbody>
${body}
</tbody></table>`;
}

function walkForward(wf: SweepReportWalkForward, objective: string, short: (path: string) => string): string {
  const width = 900;
  const height = 260;
  const all = [...wf.inSample, ...wf.outOfSample].map((p) => p.equity);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const line = (points: SweepReportWalkForward['inSample']): string =>
    points.map((p, i) => `${((i / Math.max(1, points.length - 1)) * (width - 60) + 50).toFixed(1)},${(height - 20 - ((p.equity - lo) / (hi - lo || 1)) * (height - 40)).toFixed(1)}`).join(' ');
  const paths = Object.keys(wf.steps[0]?.parameters ?? {});
  const steps = wf.steps
    .map((s, i) => `<tr><td>${i + 1}</td><td>${s.train.start}..${s.train.end}</td><td>${s.test.start}..${s.test.end}</td>${paths.map((p) => `<td>${escapeHtml(String(s.parameters[p]))}</td>`).join('')}<td>${num(s.inSample.score)}</td><td>${num(s.inSample.returnPct)}</td><td>${num(s.outOfSample.score)}</td><td>${num(s.outOfSample.returnPct)}</td></tr>`)
    .join('\n');
  return `<h2>Walk-forward: train ${wf.windows.train}, test ${wf.windows.test} sessions</h2>
<p class="legend">Blue: out of sample (each test window traded with the set chosen on the window before it, stitched). Grey: in sample (the chosen set on the ${wf.windows.test} sessions before each choice). Efficiency ${num(wf.efficiency)} (annualised out-of-sample return / in-sample).</p>
<svg width="${width}" height="${height}" role="img" aria-label="walk-forward equity">
<rect x="0" y="0" width="${width}" height="${height}" fill="#fafafa" stroke="#ddd"/>
<text x="4" y="16" font-size="11">${num(hi)}</text><text x="4" y="${height - 6}" font-size="11">${num(lo)}</text>
<polyline class="in-sample" fill="none" stroke="#999" stroke-width="1.5" points="${line(wf.inSample)}"/>
<polyline class="out-of-sample" fill="none" stroke="#2962ff" stroke-width="2" points="${line(wf.outOfSample)}"/>
</svg>
<table><thead><tr><th>step</th><th>train</th><th>test</th>${paths.map((p) => `<th>${escapeHtml(short(p))}</th>`).join('')}<th>in ${escapeHtml(objective)}</th><th>in return %</th><th>out ${escapeHtml(objective)}</th><th>out return %</th></tr></thead><tbody>
${steps}
</tbody></table>`;
}

function mix(a: readonly number[], b: readonly number[], t: number): number[] {
  return a.map((x, i) => Math.round(x + (b[i]! - x) * t));
}

function num(v: number | undefined): string {
  if (v === undefined) return '';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 3);
}

