import test from 'ava';
import { renderSweepReport, type SweepReportRow } from '../../lib/cli/render-sweep-report.ts';

const FAST = 'strategies[0].params.fast';
const SLOW = 'strategies[0].params.slow';
const LEN = 'strategies[0].params.shares';

function rows(): SweepReportRow[] {
  const out: SweepReportRow[] = [];
  for (const fast of [2, 4]) for (const slow of [10, 20, 30]) for (const shares of [10, 20]) out.push({ rank: 0, parameters: { [FAST]: fast, [SLOW]: slow, [LEN]: shares }, score: fast * 10 + slow / 10 + (shares === 20 ? 0.5 : 0), stats: { returnPct: fast, trades: slow }, command: `sessionflow run s.json --set '${FAST}=${fast}'` });
  out.push({ rank: 0, parameters: { [FAST]: 6, [SLOW]: 10, [LEN]: 10 }, score: Number.NaN, stats: undefined, command: 'x <script>' });
  return out.sort((a, b) => (Number.isNaN(a.score) ? 1 : Number.isNaN(b.score) ? -1 : b.score - a.score)).map((r, i) => ({ ...r, rank: i + 1 }));
}

test('renderSweepReport: the top sets, and a heatmap over two parameters whose cells hold the best objective over the others', (t) => {
  const html = renderSweepReport({ title: 's.json', objective: 'sharpe', minimize: false, paths: [FAST, SLOW, LEN], rows: rows(), top: 5 });
  const top = html.slice(html.indexOf('<table class="top">'), html.indexOf('</table>'));
  t.is((top.match(/<tr>/g) ?? []).length, 6, 'header and 5 sets');
  t.true(top.includes('<td><b>43.500</b></td>'), 'the best set first (fast 4, slow 30, shares 20)');
  const heat = html.slice(html.indexOf('<table class="heat">'));
  // fast 2..6 across, slow 10..30 down; each cell the best over shares (the +0.5 of shares 20).
  for (const [fast, slow, best] of [[2, 10, '21.500'], [4, 20, '42.500'], [2, 30, '23.500']] as const) t.regex(heat, new RegExp(`title="fast=${fast}, slow=${slow}: sharpe ${best.replace('.', '\\.')}"`));
  t.regex(heat, /title="fast=6, slow=10: sharpe NaN"/, 'undefined objective shown as such');
  t.regex(heat, /title="fast=6, slow=20: sharpe not run"/, 'a combination that was not run is empty');
  t.regex(html, /the best sharpe over shares/);
  t.false(html.includes('<script>'), 'text is escaped');
  t.false(/<script|https?:\/\//.test(html), 'self-contained: no script, nothing fetched');
});

test('renderSweepReport: a walk-forward draws the out-of-sample and in-sample equity and lists the steps', (t) => {
  const curve = (start: number, n: number, step: number) => Array.from({ length: n }, (_, i) => ({ date: `2024-01-${String(i + 2).padStart(2, '0')}`, equity: start + i * step }));
  const html = renderSweepReport({
    title: 's.json',
    objective: 'returnPct',
    minimize: false,
    paths: [],
    rows: [],
    walkForward: {
      windows: { train: 10, test: 5 },
      steps: [{ train: { start: '2024-01-02', end: '2024-01-16' }, test: { start: '2024-01-17', end: '2024-01-23' }, parameters: { [FAST]: 4 }, inSample: { score: 2, returnPct: 2 }, outOfSample: { score: -1, returnPct: -1 } }],
      inSample: curve(100, 5, 2),
      outOfSample: curve(100, 5, -1),
      efficiency: -0.5,
    },
  });
  const points = (cls: string) => new RegExp(`class="${cls}"[^>]*points="([^"]+)"`).exec(html)![1]!.split(' ');
  t.is(points('in-sample').length, 5);
  t.is(points('out-of-sample').length, 5);
  // SVG y grows downwards: the rising in-sample line ends higher (smaller y) than it starts.
  const y = (p: string) => Number(p.split(',')[1]);
  t.true(y(points('in-sample').at(-1)!) < y(points('in-sample')[0]!));
  t.true(y(points('out-of-sample').at(-1)!) > y(points('out-of-sample')[0]!));
  t.regex(html, /2024-01-17\.\.2024-01-23/);
  t.false(html.includes('<table class="top">'), 'no top sets without rows');
});
