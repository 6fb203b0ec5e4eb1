/**
 * Test helper: real-world Parquet stores written by DuckDB (an independent writer) from the
 * Lean SPY minute fixture, plus the fixture's regular-session rows as ground truth.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';

export const SPY_CSV = fileURLToPath(new URL('../fixtures/lean/SPY_minute_trade_2013-10-04_2013-10-11.csv', import.meta.url));
/** The six sessions of the fixture (all EDT, 09:30-16:00 = 13:30-20:00 UTC). */
export const DATES = ['2013-10-04', '2013-10-07', '2013-10-08', '2013-10-09', '2013-10-10', '2013-10-11'];

/** Regular session of an EDT date in October 2013. */
export function rth(date: string): { from: number; to: number; date: string } {
  return { from: Date.parse(`${date}T13:30:00Z`), to: Date.parse(`${date}T20:00:00Z`), date };
}

export interface CsvBar {
  start: number;
  local: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Every row of the fixture CSV, parsed in JS (not through any Parquet code). */
export const csvBars: CsvBar[] = (parse(readFileSync(SPY_CSV), { columns: true }) as Record<string, string>[]).map((r) => ({
  start: Date.parse(r.ts_start_utc!),
  local: r.ts_start_exchange_local!,
  open: Number(r.open),
  high: Number(r.high),
  low: Number(r.low),
  close: Number(r.close),
  volume: Number(r.volume),
}));

/** The fixture's regular-session bars of `date`, column by column. */
export function expectedSession(date: string, priceScale = 1): { start: number[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] } {
  const { from, to } = rth(date);
  const rows = csvBars.filter((b) => b.start >= from && b.start + 60_000 <= to);
  return {
    start: rows.map((b) => b.start),
    open: rows.map((b) => b.open * priceScale),
    high: rows.map((b) => b.high * priceScale),
    low: rows.map((b) => b.low * priceScale),
    close: rows.map((b) => b.close * priceScale),
    volume: rows.map((b) => b.volume),
  };
}

/** A DuckDB connection with the fixture loaded as table `spy` (UTC session time zone). */
export async function duckdbWithSpy(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  await con.run("SET TimeZone = 'UTC'");
  await con.run(`CREATE TABLE spy AS SELECT
      CAST(ts_start_utc AS TIMESTAMPTZ) AS ts,
      CAST(substr(ts_start_exchange_local, 1, 19) AS TIMESTAMP) AS ts_local,
      substr(ts_start_exchange_local, 1, 10) AS date,
      CAST(open AS DOUBLE) AS open, CAST(high AS DOUBLE) AS high, CAST(low AS DOUBLE) AS low,
      CAST(close AS DOUBLE) AS close, CAST(volume AS BIGINT) AS volume
    FROM read_csv('${SPY_CSV}', header = true, all_varchar = true)`);
  return con;
}
