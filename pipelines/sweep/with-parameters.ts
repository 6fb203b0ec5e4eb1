import { ConfigError } from '../../lib/errors.ts';
import type { ParameterSet } from './expand-grid.ts';

/**
 * A copy of the config `input` (as read from its file, before validation) with each path of
 * `set` assigned its value, for `parseConfig` or `prepareRun` to validate: a bad value is then
 * refused at its JSON path by the strategy's own schema. Objects on the way are created when
 * missing (`params` of a strategy that had none); array elements must exist.
 *
 * @throws ConfigError naming the path when it leads through a missing list element or a value that is not an object.
 *
 * @example
 * ```ts
 * withParameters(config, { 'strategies[0].params.fast': 10 }); // config.strategies[0].params.fast === 10
 * ```
 */
export function withParameters<T extends object>(input: T, set: ParameterSet): T {
  const copy = structuredClone(input);
  for (const [path, value] of Object.entries(set)) {
    const keys = [...path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
    let node: unknown = copy;
    for (const [i, key] of keys.entries()) {
      const last = i === keys.length - 1;
      const here = keys.slice(0, i + 1).reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k), '');
      if (typeof key === 'number') {
        if (!Array.isArray(node) || key >= node.length) throw ConfigError.at(path, value, `a path through existing list elements (${here} does not exist in the config)`);
      } else if (node === null || typeof node !== 'object' || Array.isArray(node)) {
        throw ConfigError.at(path, value, `a path through objects (${here} is inside a ${Array.isArray(node) ? 'list' : typeof node})`);
      }
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        if (container[key] === undefined) container[key] = typeof keys[i + 1] === 'number' ? [] : {};
        node = container[key];
      }
    }
  }
  return copy;
}
