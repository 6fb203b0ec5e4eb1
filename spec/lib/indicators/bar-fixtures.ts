/**
 * Reads the bar-indicator reference tables in `spec/fixtures/indicators-bar/` (see its README
 * for their sources) and a few helpers shared by the bar-indicator specs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BarInput } from '../../../lib/indicators/types.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/indicators-bar/', import.meta.url));

/** One CSV row as `header → number` (`NaN` for an empty cell, e.g. warm-up rows). */
export type FixtureRow = Readonly<Record<string, number>>;

/** The rows of `name` (a plain comma-separated file without quoted fields). */
export function readFixture(name: string): FixtureRow[] {
  const [header, ...lines] = readFileSync(FIXTURES + name, 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: Record<string, number> = {};
    columns.forEach((column, i) => {
      const cell = cells[i]?.trim() ?? '';
      if (column !== '') row[column] = cell === '' ? Number.NaN : Number(cell);
    });
    return row;
  });
}

/** A bar from the given fields; the ones a table does not print default to the close / 0. */
export function bar(fields: Partial<BarInput> & { close: number }): BarInput {
  const { close, open = close, high = Math.max(open, close), low = Math.min(open, close), volume = 0 } = fields;
  return { open, high, low, close, volume };
}

/** `|got − want| <= tolerance` with a message naming the row, for loops over a table. */
export function near(got: number | undefined, want: number, tolerance: number): boolean {
  return got !== undefined && Math.abs(got - want) <= tolerance;
}

/** Relative closeness `|got − want| <= 1e-9 · max(1, |want|)` (the default). */
export function close9(got: number | undefined, want: number): boolean {
  return near(got, want, 1e-9 * Math.max(1, Math.abs(want)));
}
