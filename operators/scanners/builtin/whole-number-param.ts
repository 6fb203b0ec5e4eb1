import * as v from 'valibot';
import type { ParamSpec } from '../../../lib/config/validate-params.ts';

/**
 * A whole-number scanner parameter of at least 1 (a count of symbols or sessions), with an
 * optional upper bound: the same schema and messages for every built-in.
 *
 * @example
 * ```ts
 * params: { count: wholeNumberParam('symbols to return at most', 10) }
 * ```
 */
export function wholeNumberParam(description: string, defaultValue: number, max?: number): ParamSpec {
  const base = v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'at least 1'));
  return { description, default: defaultValue, schema: max === undefined ? base : v.pipe(base, v.maxValue(max, `at most ${max}`)) };
}
