/**
 * `npm run bench:calendar`: how fast the XNYS calendar builds and answers lookups.
 *
 * - cold build: a fresh `node` process imports the calendar and builds every year 1990–2099
 *   (the typed-array tables all lookups use, with holidays and reasons), timed from just before
 *   `createXnysCalendar()`; this includes loading the time-zone table and unoptimised first-run
 *   code. Median of `--cold` processes (default 5), compared with the 50 ms target (PASS/FAIL).
 * - cold build + every session object: the same, but through `sessions('1990-01-01',
 *   '2099-12-31')`, which also creates (and freezes) all 27,644 `Session` objects — normally
 *   created only for the dates a run asks for. Also compared with the target.
 * - Wall time and CPU time (user + system of the process) are both reported: on a shared
 *   machine wall time includes waiting for a core.
 * - fresh instance: the same build on a new calendar instance in an already warm process.
 * - sessions() for one year, sessionAt() per minute instant over whole days (sequential, as a
 *   clock calls it, and shuffled), nextSession/previousSession, on a calendar whose years are built.
 *
 * Each figure is the median of `--runs` (default 7) timed repetitions. Figures go to a table on
 * stdout and to `.cache/bench/calendar.json`.
 *
 * Options: --runs N --cold N --out FILE
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';

const TARGET_MS = 50;
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    cold: { type: 'string', default: '5' },
    out: { type: 'string', default: '.cache/bench/calendar.json' },
    'cold-child': { type: 'boolean', default: false },
    'all-sessions': { type: 'boolean', default: false },
  },
});

if (args['cold-child']) {
  // Child mode: one cold build, reported as JSON on stdout.
  const { createXnysCalendar } = await import('../lib/calendar/xnys.ts');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const calendar = createXnysCalendar();
  const count = args['all-sessions'] ? calendar.sessions('1990-01-01', '2099-12-31').length : calendar.holidays('1990-01-01', '2099-12-31').length;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, count }));
  process.exit(0);
}

const RUNS = Math.max(1, Number(args.runs));
const COLD = Math.max(1, Number(args.cold));
const OUT = resolve(args.out);
const { createXnysCalendar } = await import('../lib/calendar/xnys.ts');

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Median over RUNS of `fn()`'s wall time in ms; `fn` returns a value so the work cannot be dropped. */
function timeRuns(fn: () => unknown): number {
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const out = fn();
    times.push(performance.now() - t0);
    sink += out === undefined ? 0 : 1;
  }
  if (sink < 0) console.log(sink);
  return median(times);
}

// 1. Cold builds, one fresh process each (tables only and with every session object, alternating).
const self = fileURLToPath(import.meta.url);
interface ColdRun {
  ms: number;
  cpuMs: number;
  count: number;
}
const coldRun = (allSessions: boolean): ColdRun => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--cold-child', ...(allSessions ? ['--all-sessions'] : [])], { encoding: 'utf8' })) as ColdRun;
const coldTables: ColdRun[] = [];
const coldAll: ColdRun[] = [];
for (let i = 0; i < COLD; i++) {
  coldTables.push(coldRun(false));
  coldAll.push(coldRun(true));
}
const coldMs = median(coldTables.map((r) => r.ms));
const coldCpuMs = median(coldTables.map((r) => r.cpuMs));
const coldAllMs = median(coldAll.map((r) => r.ms));
const coldAllCpuMs = median(coldAll.map((r) => r.cpuMs));
const coldSessions = coldAll[0]!.count;

// 2. Fresh instance in this (warming) process.
const freshMs = timeRuns(() => createXnysCalendar().sessions('1990-01-01', '2099-12-31').length);

// 3. Lookups on one calendar with every year built.
const xnys = createXnysCalendar();
xnys.sessions('1990-01-01', '2099-12-31');
const YEAR_CALLS = 2_000;
const sessionsYearMs = timeRuns(() => {
  let n = 0;
  for (let i = 0; i < YEAR_CALLS; i++) n += xnys.sessions('2024-01-01', '2024-12-31').length;
  return n;
});

// Every minute of 20 consecutive UTC days (sessions, nights, a weekend, the March DST change).
const minuteStart = Date.UTC(2024, 2, 1);
const minutes = new Float64Array(20 * 1440);
for (let i = 0; i < minutes.length; i++) minutes[i] = minuteStart + i * 60_000;
const shuffled = Float64Array.from(minutes);
let seed = 42;
for (let i = shuffled.length - 1; i > 0; i--) {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  const j = seed % (i + 1);
  [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
}
const sessionAtOver = (instants: Float64Array) => (): number => {
  let hits = 0;
  for (let r = 0; r < 10; r++) for (let i = 0; i < instants.length; i++) if (xnys.sessionAt(instants[i]!) !== undefined) hits++;
  return hits;
};
const SESSION_AT_CALLS = minutes.length * 10;
const sessionAtSequentialMs = timeRuns(sessionAtOver(minutes));
const sessionAtShuffledMs = timeRuns(sessionAtOver(shuffled));

const dates = xnys.sessions('2020-01-01', '2024-12-31').map((s) => s.date);
const neighbourMs = timeRuns(() => {
  let n = 0;
  for (let r = 0; r < 4; r++) {
    for (const date of dates) n += xnys.nextSession(date).open > xnys.previousSession(date).open ? 1 : 0;
  }
  return n;
});
const NEIGHBOUR_CALLS = dates.length * 4 * 2;

const rows: Array<[string, string, string]> = [
  ['cold build 1990–2099, fresh process', `${coldMs.toFixed(1)} ms`, `CPU ${coldCpuMs.toFixed(1)} ms; runs ${coldTables.map((r) => r.ms.toFixed(1)).join(', ')}`],
  [`cold build + all ${coldSessions} session objects`, `${coldAllMs.toFixed(1)} ms`, `CPU ${coldAllCpuMs.toFixed(1)} ms; runs ${coldAll.map((r) => r.ms.toFixed(1)).join(', ')}`],
  ['build 1990–2099, fresh instance, warm process', `${freshMs.toFixed(1)} ms`, `${((freshMs * 1e6) / coldSessions).toFixed(0)} ns/session`],
  ['sessions() for one year (built)', `${((sessionsYearMs * 1e6) / YEAR_CALLS / 1000).toFixed(2)} µs/call`, `${YEAR_CALLS} calls`],
  ['sessionAt(), minute instants in order', `${((sessionAtSequentialMs * 1e6) / SESSION_AT_CALLS).toFixed(1)} ns/call`, `${SESSION_AT_CALLS} calls`],
  ['sessionAt(), minute instants shuffled', `${((sessionAtShuffledMs * 1e6) / SESSION_AT_CALLS).toFixed(1)} ns/call`, `${SESSION_AT_CALLS} calls`],
  ['nextSession()/previousSession()', `${((neighbourMs * 1e6) / NEIGHBOUR_CALLS).toFixed(1)} ns/call`, `${NEIGHBOUR_CALLS} calls`],
];
const table = cliTable({ head: ['XNYS calendar', 'median', 'detail'] });
table.push(...rows);
console.log(table.toString());
console.log(`${coldMs < TARGET_MS ? 'PASS' : 'FAIL'}: cold build 1990–2099 ${coldMs.toFixed(1)} ms wall, ${coldCpuMs.toFixed(1)} ms CPU (target < ${TARGET_MS} ms)`);
console.log(`${coldAllMs < TARGET_MS ? 'PASS' : 'FAIL'}: cold build + all ${coldSessions} session objects ${coldAllMs.toFixed(1)} ms wall, ${coldAllCpuMs.toFixed(1)} ms CPU (target < ${TARGET_MS} ms)`);

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(
  OUT,
  JSON.stringify({ runs: RUNS, coldRuns: COLD, coldMs, coldCpuMs, coldAllMs, coldAllCpuMs, coldTables, coldAll, freshMs, sessionsYearUs: (sessionsYearMs * 1e3) / YEAR_CALLS, sessionAtSequentialNs: (sessionAtSequentialMs * 1e6) / SESSION_AT_CALLS, sessionAtShuffledNs: (sessionAtShuffledMs * 1e6) / SESSION_AT_CALLS, neighbourNs: (neighbourMs * 1e6) / NEIGHBOUR_CALLS, targetMs: TARGET_MS, pass: coldMs < TARGET_MS, passAllSessions: coldAllMs < TARGET_MS }, null, 2) + '\n',
);
