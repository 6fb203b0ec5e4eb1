import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tableFromIPC } from '@uwdata/flechette';
import { parquetMetadata } from 'hyparquet';
import { readParquet } from 'parquet-wasm';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import type { BacktestResult, DayResult } from '../../lib/session/results.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { makeEngineStore, quietEngineLogs, sameBits, standardConfig, type EngineStore } from '../helpers/engine-fixtures.ts';

// 4 symbols × 9 sessions: 3 leading history sessions, then 6 backtest days 2024-01-05 … 2024-01-12.
// The generator drops DEMO04 on 2024-01-08 (backtest day 2), so day 4's history has a hole too.
const DAYS = ['2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12'];
const DAY4 = DAYS[3]!;

let store: EngineStore;
let out: string;
let fourDays: BacktestResult;
let alone: BacktestResult;
let viaDates: BacktestResult;

test.before(async () => {
  quietEngineLogs();
  store = await makeEngineStore({ symbols: 4, from: '2024-01-02', to: '2024-01-12' });
  out = await mkdtemp(join(tmpdir(), 'sessionflow-isolation-'));
  fourDays = await backtest(standardConfig(store, DAYS[0]!, DAY4), { export: 'last', out: join(out, 'four') }).result();
  // Day 4 alone starts from day 3's carry: the broker's cash, positions and GTC orders are
  // the only state that crosses days (DESIGN §7).
  const carry = fourDays.days[2]!.carry;
  alone = await backtest(standardConfig(store, DAY4, DAY4), { export: 'last', out: join(out, 'alone'), carry }).result();
  const sixDays = parseConfig(standardConfig(store, DAYS[0]!, DAYS.at(-1)!));
  viaDates = await backtest(sixDays, { plan: await planRun(sixDays), dates: [DAY4], carry }).result();
});

test.after.always(async () => {
  for (const r of [fourDays, alone, viaDates]) r?.dispose();
  await store?.dispose();
  if (out) await rm(out, { recursive: true, force: true });
});

/** Everything a day produced except wall-clock timings. */
function comparable(day: DayResult): Omit<DayResult, 'phaseMs'> {
  const { phaseMs: _timings, ...rest } = day;
  return rest;
}

function lastDay(result: BacktestResult): DayResult {
  return result.days.at(-1)!;
}

test('backtest: the fixture is not trivial (day 4 has signals, warmed indicators and a history hole)', (t) => {
  t.deepEqual(fourDays.days.map((d) => d.date), DAYS.slice(0, 4));
  t.deepEqual(alone.days.map((d) => d.date), [DAY4]);
  t.deepEqual(viaDates.days.map((d) => d.date), [DAY4]);
  const day = lastDay(fourDays);
  t.true(day.signals.length > 0, 'ema-crossover produces signals on day 4');
  t.deepEqual(day.quality.DEMO04!.history['1m']!.missingSessions, ['2024-01-08']);
  const data = fourDays.sessionData!;
  // Warmed on 3 sessions of history, the EMAs and the SMA have a value at the first bar of the day.
  t.false(Number.isNaN(data.series('DEMO01', '5m').value('ema_21', 0)));
  t.false(Number.isNaN(data.series('DEMO01', '15m').value('sma_20', 0)));
});

test('backtest: the fixture trades (day 4 starts with carried positions, and fills, round trips and equity points are recorded)', (t) => {
  const carried = fourDays.days[2]!.carry.broker as { portfolio: { positions: Record<string, { quantity: number }> } };
  t.true(Object.values(carried.portfolio.positions).some((p) => p.quantity !== 0), 'a position crosses into day 4');
  const day = lastDay(fourDays);
  t.true(day.tables.fills!.length > 0);
  t.true(day.tables.trades!.length > 0);
  t.is(day.tables.equity!.length, day.ticks);
});

test('backtest: running days 1–4 and day 4 alone from day 3\'s carry give identical day-4 results', (t) => {
  const expected = comparable(lastDay(fourDays));
  t.deepEqual(comparable(lastDay(alone)), expected);
  t.deepEqual(comparable(lastDay(viaDates)), expected);
  t.deepEqual(lastDay(alone).signals, lastDay(fourDays).signals);
  t.deepEqual(lastDay(alone).barsOut, lastDay(fourDays).barsOut);
  t.deepEqual(lastDay(alone).quality, lastDay(fourDays).quality);
  t.deepEqual(lastDay(alone).components.broker, lastDay(fourDays).components.broker);
  t.deepEqual(lastDay(alone).tables, lastDay(fourDays).tables);
  t.deepEqual(lastDay(alone).carry, lastDay(fourDays).carry);
});

test('backtest: day 4 SessionData columns, indicator columns included, are bit-identical whether or not days 1–3 ran before', (t) => {
  const a = fourDays.sessionData!;
  for (const other of [alone.sessionData!, viaDates.sessionData!]) {
    t.is(other.session.date, DAY4);
    t.deepEqual(other.symbols(), a.symbols());
    for (const entry of a.entries()) {
      const otherEntry = other.get(entry.symbol)!;
      t.deepEqual([...otherEntry.bars.keys()], [...entry.bars.keys()]);
      for (const [interval, series] of entry.bars) {
        const mine = series.toColumns();
        const theirs = otherEntry.bars.get(interval)!.toColumns();
        t.deepEqual(Object.keys(theirs), Object.keys(mine), `${entry.symbol}/${interval} columns`);
        for (const [name, values] of Object.entries(mine)) t.true(sameBits(theirs[name]!, values), `${entry.symbol}/${interval}.${name}`);
      }
      for (const [interval, series] of entry.history) {
        const theirs = otherEntry.history.get(interval)!.toColumns();
        for (const [name, values] of Object.entries(series.toColumns())) t.true(sameBits(theirs[name]!, values), `history ${entry.symbol}/${interval}.${name}`);
      }
    }
  }
  t.true(a.series('DEMO01', '5m').columnNames().includes('ema_9'));
  t.true(a.series('DEMO01', '5m').columnNames().includes('ema_21'));
  t.true(a.series('DEMO01', '15m').columnNames().includes('sma_20'));
});

// Compares what a reader sees (decoded columns and metadata), which is what a user relies on.
test('backtest: the exported Parquet files of day 4 hold identical columns and metadata whether or not days 1–3 ran before', async (t) => {
  t.true(fourDays.exported.length > 0);
  t.is(fourDays.exported.length, alone.exported.length);
  for (let i = 0; i < fourDays.exported.length; i++) {
    const a = fourDays.exported[i]!;
    const b = alone.exported[i]!;
    t.is(relative(join(out, 'four'), a), relative(join(out, 'alone'), b));
    t.true(a.includes(DAY4));
    const [ca, cb] = [await readExport(a), await readExport(b)];
    t.deepEqual(cb.metadata, ca.metadata);
    t.deepEqual(Object.keys(cb.columns), Object.keys(ca.columns));
    for (const [name, values] of Object.entries(ca.columns)) {
      const other = cb.columns[name]!;
      if (ArrayBuffer.isView(values) && ArrayBuffer.isView(other)) t.true(sameBits(other, values), `${relative(out, a)} ${name}`);
      else t.deepEqual(other, values, `${relative(out, a)} ${name}`);
    }
  }
});

async function readExport(file: string): Promise<{ columns: Record<string, unknown>; metadata: Array<[string, string]> }> {
  const bytes = await readFile(file);
  const table = tableFromIPC(readParquet(new Uint8Array(bytes)).intoIPCStream());
  const columns: Record<string, unknown> = {};
  for (const name of table.names) columns[name] = table.getChild(name).toArray();
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const metadata = (meta.key_value_metadata ?? []).filter((kv) => kv.key !== 'ARROW:schema').map((kv): [string, string] => [kv.key, kv.value ?? '']);
  return { columns, metadata: metadata.sort((x, y) => (x[0] < y[0] ? -1 : 1)) };
}
