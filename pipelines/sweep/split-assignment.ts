import { ConfigError } from '../../lib/errors.ts';

/** A config path: names and list indexes, `strategies[0].params.fast`. */
const CONFIG_PATH = /^[A-Za-z_$][\w$]*(\[\d+\]|\.[A-Za-z_$][\w$]*)*$/;

/**
 * `path=value` split into a checked config path and the value's text (`--grid` and `--set`
 * specs), or a ConfigError at `where` naming the spec.
 *
 * @example
 * ```ts
 * splitAssignment('strategies[0].params.fast=5..30:5', 'grid[0]'); // { path: 'strategies[0].params.fast', text: '5..30:5' }
 * ```
 */
export function splitAssignment(spec: string, where: string): { path: string; text: string } {
  const eq = spec.indexOf('=');
  const path = eq > 0 ? spec.slice(0, eq).trim() : '';
  if (!CONFIG_PATH.test(path)) throw ConfigError.at(where, spec, 'path=values with a config path such as strategies[0].params.fast');
  return { path, text: spec.slice(eq + 1).trim() };
}
