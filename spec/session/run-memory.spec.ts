/**
 * Memory recycling belongs to the run (DESIGN §7): one RunMemory per run, shared by its days,
 * released at dispose() (and when the run fails or is interrupted); a torn-down day's tick
 * views, series and column arrays never show another day's values.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { filter, take } from 'rxjs';
import { LifecycleError } from '../../lib/errors.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import type { RunMemory } from '../../lib/session/run-memory.ts';
import type { TickBars } from '../../lib/session/tick-bars.ts';
import { makeEngineStore, onSlice, plainConfig, quietEngineLogs, type EngineStore } from '../helpers/engine-fixtures.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';

const DAYS = ['2024-05-07', '2024-05-08', '2024-05-09'];
let store: EngineStore;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: ['AAA', 'BBB'], from: '2024-05-01', to: DAYS.at(-1)!, missingDaySymbol: false });
});
test.after.always(async () => {
  await store?.dispose();
});

/** What a day left behind for the spec to read later: its first tick's view, a column array fetched from it, its memory. */
interface Kept {
  readonly date: string;
  readonly view: TickBars;
  readonly close: Float64Array;
  readonly memory: RunMemory;
}

function keeper(kept: Kept[]): SessionComponent {
  return {
    name: 'keeper',
    stage: (ctx) =>
      onSlice((slice) => {
        if (slice.index !== 0) return;
        const view = slice.closed.get('1m')!;
        kept.push({ date: ctx.session.date, view, close: view.series(0).close, memory: ctx.data.memory });
      }),
  };
}

test('RunMemory: the days of a run share one memory, a torn-down day\'s views and columns refuse to show later days, and dispose() releases it', async (t) => {
  const kept: Kept[] = [];
  const result = await createBacktest(parseConfig(plainConfig(store, DAYS[0]!, DAYS.at(-1)!)), { components: [keeper(kept)] }).result();
  t.deepEqual(kept.map((k) => k.date), DAYS);
  const memory = kept[0]!.memory;
  t.true(kept.every((k) => k.memory === memory), 'one memory for the whole run');
  t.false(memory.released);
  t.true(memory.pooledBytes > 0, 'the earlier days\' memory is held for the run');

  // Day 1 was torn down when day 2 started: its view throws, its column array was detached.
  const first = kept[0]!;
  t.true(first.view.count > 0);
  const error = t.throws(() => first.view.close(0), { instanceOf: LifecycleError });
  t.is(error?.phase, 'torn-down');
  t.is(error?.date, DAYS[0]);
  t.is(error?.symbol, first.view.symbol(0));
  t.regex(error?.message ?? '', new RegExp(`^${first.view.symbol(0)} 1m of ${DAYS[0]}: `));
  t.throws(() => first.view.series(0).close, { instanceOf: LifecycleError, message: /after the day was torn down \(phase torn-down/ });
  t.is(first.close.length, 0);

  // The last day stays intact until dispose().
  const last = kept.at(-1)!;
  const close = last.view.close(0);
  t.is(last.close[last.view.row(0)], close);
  result.dispose();
  t.true(memory.released);
  t.is(memory.pooledBytes, 0);
  t.throws(() => last.view.close(0), { instanceOf: LifecycleError });
  t.is(last.close.length, 0);
});

test('RunMemory: an interrupted run releases its memory and tears the current day down', async (t) => {
  const kept: Kept[] = [];
  const run = createBacktest(parseConfig(plainConfig(store, DAYS[0]!, DAYS.at(-1)!)), { components: [keeper(kept)] });
  await new Promise<void>((resolve, reject) => {
    // Stop at the second day's end.
    run.events$.pipe(filter((e) => e.type === 'day'), take(2)).subscribe({ error: reject, complete: resolve });
  });
  t.true(kept.length >= 2);
  const memory = kept[0]!.memory;
  t.true(memory.released);
  t.is(memory.pooledBytes, 0);
  t.throws(() => kept.at(-1)!.view.close(0), { instanceOf: LifecycleError });
});

test('retainDays: false keeps no days in the result (memory bounded by the day): every day goes out as an event, totals and carry still hold, and what needs the days says so', async (t) => {
  const config = parseConfig(plainConfig(store, DAYS[0]!, DAYS.at(-1)!));
  const retained = await createBacktest(config).result();
  const streamed: string[] = [];
  const run = createBacktest(config, { retainDays: false });
  run.events$.pipe(filter((e) => e.type === 'day')).subscribe((e) => streamed.push(e.result.date));
  const result = await run.result();
  t.deepEqual(streamed, DAYS);
  t.deepEqual(result.days, []);
  t.deepEqual({ ...result.totals, elapsedMs: 0 }, { ...retained.totals, elapsedMs: 0 });
  t.deepEqual(result.carry, retained.carry);
  t.truthy(result.sessionData, 'the last day stays intact until dispose');
  const error = t.throws(() => result.table('fills'), { instanceOf: LifecycleError });
  t.regex(error!.message, /table\('fills'\) needs the days, which this run did not keep \(retainDays: false\)/);
  t.throws(() => result.stats, { instanceOf: LifecycleError, message: /^stats needs the days/ });
  result.dispose();
  retained.dispose();
});

/** One per component and day: a day's own state, as a component keeps it (keyed by the day's scope). */
class DayStateForMemorySpec {
  constructor(readonly date: string) {}
}

test('while a day runs, nothing of the previous day is reachable: state a component keyed by that day\'s scope is released when the next day starts (memory bounded by the day)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sessionflow-day-release-'));
  // Keyed by scope in a WeakMap, as the broker keeps its day's account: alive exactly as long as the day's scope.
  const byScope = new WeakMap<object, DayStateForMemorySpec>();
  const alive: Record<string, string[]> = {};
  const component: SessionComponent = {
    name: 'day-state',
    stage: (ctx) => {
      byScope.set(ctx.scope, new DayStateForMemorySpec(ctx.session.date));
      let looked = false;
      // On the first live tick of each later day, inside the data-driven tick loop: a heap
      // snapshot (taken after a full GC) lists the DayStateForMemorySpec objects still reachable.
      return onSlice((slice) => {
        if (slice.kind !== 'tick' || looked || ctx.dayIndex === 0) return;
        looked = true;
        const file = writeHeapSnapshot(join(dir, `${ctx.session.date}.heapsnapshot`));
        alive[ctx.session.date] = datesOfLiveDayStates(JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot);
      });
    },
  };
  try {
    const result = await createBacktest(parseConfig(plainConfig(store, DAYS[0]!, DAYS.at(-1)!)), { components: [component], retainDays: false }).result();
    result.dispose();
    t.deepEqual(alive, { [DAYS[1]!]: [DAYS[1]!], [DAYS[2]!]: [DAYS[2]!] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface HeapSnapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly edge_fields: string[]; readonly edge_types: [string[]] } };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

/**
 * The `date` of every DayStateForMemorySpec object the program still reaches in `snapshot`:
 * from the heap and the JS stack, a WeakMap's value only through its key. Handles V8 itself
 * holds ("(Handle scope)" roots: an optimising compile may briefly hold a closure of a
 * finished day) do not count; a JS frame or object that holds the day does.
 */
function datesOfLiveDayStates(snapshot: HeapSnapshot): string[] {
  const { node_fields: nodeFields, edge_fields: edgeFields, edge_types: [edgeTypes] } = snapshot.snapshot.meta;
  const { nodes, edges, strings } = snapshot;
  const nodeSize = nodeFields.length;
  const edgeSize = edgeFields.length;
  const nameAt = nodeFields.indexOf('name');
  const idAt = nodeFields.indexOf('id');
  const edgeCountAt = nodeFields.indexOf('edge_count');
  const edgeTypeAt = edgeFields.indexOf('type');
  const edgeNameAt = edgeFields.indexOf('name_or_index');
  const edgeToAt = edgeFields.indexOf('to_node');
  const count = nodes.length / nodeSize;
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += nodes[i * nodeSize + edgeCountAt]! * edgeSize;
    firstEdge[i + 1] = e;
  }
  const reached = new Uint8Array(count);
  const queue = [0];
  reached[0] = 1;
  while (queue.length > 0) {
    const node = queue.pop()!;
    const tableEdge = `pair in WeakMap (table @${nodes[node * nodeSize + idAt]})`;
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e += edgeSize) {
      const type = edgeTypes[edges[e + edgeTypeAt]!];
      if (type === 'weak') continue;
      // A WeakMap's table holds its values only for live keys; the key's own edge says so.
      if (type === 'internal' && strings[edges[e + edgeNameAt]!]!.endsWith(tableEdge)) continue;
      const to = edges[e + edgeToAt]! / nodeSize;
      if (reached[to] || strings[nodes[to * nodeSize + nameAt]!] === '(Handle scope)') continue;
      reached[to] = 1;
      queue.push(to);
    }
  }
  const dates: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!reached[i] || strings[nodes[i * nodeSize + nameAt]!] !== DayStateForMemorySpec.name) continue;
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += edgeSize) {
      if (edgeTypes[edges[e + edgeTypeAt]!] === 'property' && strings[edges[e + edgeNameAt]!] === 'date') dates.push(strings[nodes[edges[e + edgeToAt]! + nameAt]!]!);
    }
  }
  return dates.sort();
}
