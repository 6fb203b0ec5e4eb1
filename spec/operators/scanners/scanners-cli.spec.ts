/**
 * The CLI's view of scanners, through `main` in this process: `sessionflow scanners` lists
 * the registered ones as they describe themselves, and `sessionflow validate` prints the
 * configured ones with their resolved schedule and universe.
 */
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig, makeDemoStore, writeJson } from '../../helpers/cli-fixtures.ts';
import { runCli } from '../../helpers/cli.ts';

interface ListedScanner {
  kind: string;
  name: string;
  description: string;
  schedule: string[];
  params: Record<string, { description: string; default?: unknown; required: boolean }>;
}

/** The built-ins' documented schedules and parameter defaults. */
const BUILTINS: Record<string, { schedule: string[]; defaults: Record<string, unknown> }> = {
  'top-dollar-volume': { schedule: ['pre'], defaults: { count: 20, sessions: 1, minPrice: 0 } },
  gap: { schedule: ['open+1m'], defaults: { minPercent: 2, direction: 'both', count: 10 } },
  'relative-volume': { schedule: ['every 30m'], defaults: { sessions: 10, minRatio: 2, count: 10 } },
  'new-high-low': { schedule: ['every 15m'], defaults: { side: 'high', minBars: 5, count: 10 } },
  'price-volume-filter': { schedule: ['pre'], defaults: { minPrice: 0, maxPrice: null, minVolume: 0, maxVolume: null, basis: 'prior', dropFailing: false, count: 50 } },
};

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-scanners-cli-'));
  await makeDemoStore(join(dir, 'store'), { symbols: 3, start: '2024-01-02', sessions: 3, missingDay: false });
  await writeJson(
    join(dir, 'scanners.json'),
    demoConfig('store', {
      scanners: [
        { name: 'gap', schedule: ['open+5m', '10:00'], universe: ['DEMO01', 'DEMO02'], params: { minPercent: 3 } },
        { name: 'top-dollar-volume', as: 'liquid', universe: 'store', params: { count: 2 }, maxAdds: 4 },
      ],
    }),
  );
  await writeJson(join(dir, 'bad-scanner.json'), demoConfig('store', { scanners: [{ name: 'gapp', universe: ['DEMO01'] }, { name: 'relative-volume', params: { minRatio: 'high' }, universe: ['DEMO01'] }] }));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

test('scanners --json: lists the five built-ins with their description, default schedule and parameters (defaults, not required)', async (t) => {
  const { code, stdout, stderr } = await runCli(['scanners', '--json']);
  t.is(code, 0);
  t.is(stderr, '');
  const listed = JSON.parse(stdout) as ListedScanner[];
  t.deepEqual(
    listed.map((s) => s.name),
    ['top-dollar-volume', 'gap', 'relative-volume', 'new-high-low', 'price-volume-filter'],
  );
  for (const s of listed) {
    const builtin = BUILTINS[s.name]!;
    t.is(s.kind, 'scanner');
    t.true(s.description.length > 10, s.name);
    t.deepEqual(s.schedule, builtin.schedule, s.name);
    t.deepEqual(Object.keys(s.params), Object.keys(builtin.defaults), s.name);
    for (const [key, p] of Object.entries(s.params)) {
      t.deepEqual(p.default, builtin.defaults[key], `${s.name}.${key}`);
      t.false(p.required, `${s.name}.${key}`);
      t.true(p.description.length > 0, `${s.name}.${key}`);
    }
  }
});

test('scanners: prints a table of every built-in with its schedule and params, and how to use one in a config', async (t) => {
  const { code, stdout } = await runCli(['scanners']);
  t.is(code, 0);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const [name, builtin] of Object.entries(BUILTINS)) t.regex(stdout, new RegExp(`│ ${escape(name)} +│ ${escape(builtin.schedule.join(', '))} +│ ${Object.keys(builtin.defaults)[0]}=`), name);
  t.regex(stdout, /direction="both": "up", "down" or "both"/);
  t.regex(stdout, /^Use in a config: "scanners": \[\{"name": "<name>"/m);
});

test('validate: prints a "scanners:" section with each scanner’s schedule, first-session instants, universe, max adds and params', async (t) => {
  const { code, stdout, stderr } = await runCli(['validate', join(dir, 'scanners.json')]);
  t.is(code, 0, stderr);
  t.regex(stdout, /^config spec: valid$/m);
  const section = stdout.slice(stdout.indexOf('\nscanners:\n'));
  t.true(section.length > 0 && stdout.includes('\nscanners:\n'), stdout);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) => line.split('│').slice(1, -1).map((cell) => cell.trim()));
  t.deepEqual(rows, [
    ['scanner', 'schedule', 'first session', 'universe', 'max adds', 'params'],
    ['gap', 'open+5m, 10:00', '09:35 10:00', '2 (DEMO01, DEMO02)', '10', '{"minPercent":3,"direction":"both","count":10}'],
    ['liquid (top-dollar-volume)', 'pre', 'pre', '3 (DEMO01, DEMO02, DEMO03)', '4', '{"count":2,"sessions":1,"minPrice":0}'],
  ]);
});

test('validate --json: lists the scanners with schedule, first-session instants, universe and params', async (t) => {
  const { code, stdout } = await runCli(['validate', '--json', join(dir, 'scanners.json')]);
  t.is(code, 0);
  const plan = JSON.parse(stdout) as { valid: boolean; scanners: unknown[]; components: Array<{ name: string; kind: string }> };
  t.true(plan.valid);
  t.deepEqual(plan.scanners, [
    { name: 'gap', scanner: 'gap', schedule: ['open+5m', '10:00'], firstSession: ['09:35', '10:00'], universe: 2, universeSample: ['DEMO01', 'DEMO02'], maxAdds: 10, params: { minPercent: 3, direction: 'both', count: 10 } },
    { name: 'liquid', scanner: 'top-dollar-volume', schedule: ['pre'], firstSession: ['pre'], universe: 3, universeSample: ['DEMO01', 'DEMO02', 'DEMO03'], maxAdds: 4, params: { count: 2, sessions: 1, minPrice: 0 } },
  ]);
  t.deepEqual(
    plan.components.filter((c) => c.kind === 'scanner').map((c) => c.name),
    ['gap', 'liquid'],
  );
});

test('validate: a config with an unknown scanner or a bad scanner parameter prints each problem at its path and exits 1', async (t) => {
  const file = join(dir, 'bad-scanner.json');
  const { code, stdout, stderr } = await runCli(['validate', file]);
  t.is(code, 1);
  t.is(stdout, '');
  t.regex(stderr, /^ {2}scanners\[0\]\.name: expected a registered scanner \(gap, new-high-low, price-volume-filter, relative-volume, top-dollar-volume\), got "gapp"; did you mean "gap"\?$/m);
  t.regex(stderr, /^ {2}scanners\[1\]\.params\.minRatio: .*got "high"$/m);
  const json = await runCli(['validate', '--json', file]);
  t.is(json.code, 1);
  t.deepEqual(
    (JSON.parse(json.stdout) as { problems: Array<{ path: string }> }).problems.map((p) => p.path),
    ['scanners[0].name', 'scanners[1].params.minRatio'],
  );
});
