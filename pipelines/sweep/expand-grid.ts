import { ConfigError } from '../../lib/errors.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { splitAssignment } from './split-assignment.ts';

/** One parameter set of a sweep: a value per config path (`strategies[0].params.fast`). */
export type ParameterSet = Readonly<Record<string, unknown>>;

/** Options of {@link expandGrid}. */
export interface ExpandGridOptions {
  /** Draw this many distinct sets at random from the grid instead of taking all of them. */
  readonly random?: number;
  /** Seed of the random draw (default 1): the same seed draws the same sets. */
  readonly seed?: number;
}

/**
 * The parameter sets of a sweep from `--grid` specs, in a stable order (the first spec
 * varies slowest). A spec is `path=values`, where `values` is a range `from..to:step`
 * (inclusive, numbers), a JSON list `[20,50,100]`, or one JSON value (`true`, `"5m"`, `12`).
 * With `random`, that many distinct sets are drawn from the grid with a seeded generator.
 *
 * @throws ConfigError naming the spec and what is wrong with it (a path listed twice, an
 * empty or endless range, a list that is not JSON, more random sets than the grid holds).
 *
 * @example
 * ```ts
 * expandGrid(['strategies[0].params.fast=5..15:5', 'strategies[0].params.slow=[20,50]']);
 * // [{ 'strategies[0].params.fast': 5, 'strategies[0].params.slow': 20 }, { …fast: 5, slow: 50 }, { …fast: 10, … }, …] (6 sets)
 * ```
 */
export function expandGrid(specs: readonly string[], options: ExpandGridOptions = {}): ParameterSet[] {
  if (specs.length === 0) throw ConfigError.at('grid', specs, 'at least one --grid path=values');
  const axes = specs.map((spec, i) => axisOf(spec, `grid[${i}]`));
  const seen = new Set<string>();
  for (const [i, axis] of axes.entries()) {
    if (seen.has(axis.path)) throw ConfigError.at(`grid[${i}]`, specs[i], `each path once (${axis.path} is listed twice)`);
    seen.add(axis.path);
  }
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  // Set `index` in mixed radix, the last axis fastest.
  const setAt = (index: number): ParameterSet => {
    const picks = new Array<unknown>(axes.length);
    for (let a = axes.length - 1; a >= 0; a--) {
      const { values } = axes[a]!;
      picks[a] = values[index % values.length];
      index = Math.floor(index / values.length);
    }
    return Object.fromEntries(axes.map((axis, a) => [axis.path, picks[a]]));
  };
  if (options.random === undefined) return Array.from({ length: total }, (_, i) => setAt(i));
  const count = options.random;
  if (!Number.isInteger(count) || count < 1) throw ConfigError.at('random', count, 'a whole number of sets >= 1');
  if (count > total) throw ConfigError.at('random', count, `at most the ${total} sets the grid holds`);
  // A partial Fisher–Yates shuffle of the set indexes, seeded: distinct sets, reproducible.
  const random = new SeededRandom(options.seed ?? 1);
  const picked = new Map<number, number>();
  const out: ParameterSet[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.next() * (total - i));
    const at = picked.get(j) ?? j;
    picked.set(j, picked.get(i) ?? i);
    out.push(setAt(at));
  }
  return out;
}

function axisOf(spec: string, where: string): { path: string; values: unknown[] } {
  const { path, text } = splitAssignment(spec, where);
  const range = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/.exec(text);
  if (range) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), range[3] === undefined ? 1 : Number(range[3])];
    if (!(step > 0)) throw ConfigError.at(where, spec, 'a range from..to:step with a step > 0');
    if (to < from) throw ConfigError.at(where, spec, `a range whose end (${to}) is not below its start (${from})`);
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > 1_000_000) throw ConfigError.at(where, spec, `a range of at most 1,000,000 values (this one has ${count})`);
    // Each value from its index, not by repeated addition: 0.1 steps stay 0.1, 0.2, 0.3.
    const decimals = Math.max(decimalsOf(range[1]!), decimalsOf(range[3] ?? '1'));
    return { path, values: Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(decimals))) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ConfigError.at(where, spec, 'values as from..to:step, a JSON list such as [20,50,100], or one JSON value');
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw ConfigError.at(where, spec, 'at least one value');
  return { path, values };
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
