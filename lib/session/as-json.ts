import { LifecycleError } from '../errors.ts';
import type { Json } from './component.ts';

/**
 * A component's report or carry as plain JSON: it must survive `JSON.stringify` unchanged in
 * meaning (no functions, class instances, NaN silently turned into null, cycles), because
 * summaries are written from it and a resumed run starts from it. A copy, or with `inPlace`
 * the value itself made so (see plainJson).
 *
 * @throws LifecycleError naming `what` and `date`, for a value that is not plain JSON.
 *
 * @example
 * ```ts
 * asJson({ pnl: -0 }, 'broker.report()', '2024-01-02'); // { pnl: 0 }
 * ```
 */
export function asJson(value: Json, what: string, date: string, inPlace = false): Json {
  try {
    return plainJson(value, [], inPlace);
  } catch (error) {
    throw new LifecycleError(`${date}: ${what} must return plain JSON: ${error instanceof Error ? error.message : String(error)}`, { phase: 'end', date }, { cause: error });
  }
}

/**
 * `value` as `JSON.parse(JSON.stringify(value))` would make it (keys with undefined values
 * left out, undefined in a list as null, −0 as 0), refusing what JSON would silently change:
 * a number that is not finite, a function, bigint or symbol, a class instance (a Date would
 * come back a string), a cycle. A copy, or with `inPlace` the value itself made so (for a
 * value nobody else holds: a component's fresh report). One pass: a sweep checks a report
 * and a carry per set and day, and a stringify with a replacer and a parse cost three times
 * as much.
 */
function plainJson(value: unknown, parents: object[], inPlace: boolean): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${String(value)} is not JSON (write null, or a string)`);
    // JSON has no −0: a run resumed from its journal must see what the live run saw.
    return value === 0 ? 0 : value;
  }
  if (typeof value !== 'object') throw new TypeError(`a ${typeof value} is not JSON`);
  if (parents.includes(value)) throw new TypeError('a cycle is not JSON');
  parents.push(value);
  let copy: Json;
  if (Array.isArray(value)) {
    const list: Json[] = inPlace ? (value as Json[]) : new Array<Json>(value.length);
    for (let i = 0; i < value.length; i++) list[i] = value[i] === undefined ? null : plainJson(value[i], parents, inPlace);
    copy = list;
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new TypeError(`a ${(value as object).constructor?.name ?? 'class'} instance is not plain JSON`);
    const source = value as Record<string, unknown>;
    const out: { [key: string]: Json } = inPlace ? (source as { [key: string]: Json }) : {};
    for (const key of Object.keys(source)) {
      const v = source[key];
      if (v !== undefined) out[key] = plainJson(v, parents, inPlace);
      else if (inPlace) delete source[key];
    }
    copy = out;
  }
  parents.pop();
  return copy;
}
