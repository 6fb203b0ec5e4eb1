import { ConfigError } from '../../lib/errors.ts';
import type { ParameterSet } from './expand-grid.ts';
import { splitAssignment } from './split-assignment.ts';

/**
 * `--set path=value` options as a parameter set: each value is JSON (`10`, `true`,
 * `[20,50]`, `"5m"`), or else taken as a string (`--set strategies[0].params.interval=5m`).
 *
 * @throws ConfigError naming the option: a malformed path, or a path set twice.
 * @example
 * ```ts
 * parseSetOptions(['strategies[0].params.fast=10', 'broker.cash=5e4']); // { 'strategies[0].params.fast': 10, 'broker.cash': 50000 }
 * ```
 */
export function parseSetOptions(specs: readonly string[]): ParameterSet {
  const set: Record<string, unknown> = {};
  specs.forEach((spec, i) => {
    const { path, text } = splitAssignment(spec, `--set[${i}]`);
    if (path in set) throw ConfigError.at(`--set[${i}]`, spec, `each path once (${path} is set twice)`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    set[path] = value;
  });
  return set;
}
