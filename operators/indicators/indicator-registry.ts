import { ConfigError } from '../../lib/errors.ts';
import type { Indicator } from '../../lib/indicators/types.ts';
import { BUILTIN_INDICATORS } from './builtin-indicators.ts';
import type { IndicatorInput } from './indicator.ts';

/**
 * A registered indicator: describes itself (name, parameters, inputs, outputs, warm-up) so
 * a session config can be validated and its history planned before the first day, and a
 * pipeline can be printed.
 */
export interface IndicatorDefinition {
  readonly kind: 'indicator';
  /** Config name, matched case-insensitively (`"rsi"`, `"bollinger"`, …). */
  readonly name: string;
  readonly description: string;
  /**
   * `'bar'` (default): updated on each closed bar of its interval, one column per output.
   * `'session'`: computed once per session from the daily bars of earlier sessions (config
   * interval `"1d"`), stored in `SymbolData.sessionValues`.
   */
  readonly scope?: 'bar' | 'session';
  /** What `update` takes: one bar field (default `'close'`) or the whole bar (`'bar'`). */
  readonly input?: IndicatorInput;
  /**
   * The config's `period`: required (default), optional with a `default`, or not taken
   * (`'none'`, e.g. OBV, VWAP). Multi-parameter indicators map `period` to their main length
   * and take the rest from `params`.
   */
  readonly period?: { readonly default: number } | 'none';
  /** Accepted `params` keys (beyond `period`). */
  readonly params: readonly string[];
  /** Bar fields the indicator reads. */
  readonly inputs: readonly string[];
  /** Output names; more than one means one column per output (`<as>_<output>`). */
  readonly outputs: readonly string[];
  /** Inputs consumed before the first value, for a given period and params. */
  warmup(period: number, params: Readonly<Record<string, unknown>>): number;
  create(period: number, params: Readonly<Record<string, unknown>>): Indicator<never, unknown>;
}

const registry = new Map<string, IndicatorDefinition>();

/**
 * Add an indicator to the registry used by session configs (`indicators: [{name, …}]`).
 * Duplicate names are refused unless `{ override: true }`.
 *
 * @example
 * ```ts
 * registerIndicator({
 *   kind: 'indicator', name: 'range', description: 'high − low of the bar', input: 'bar', period: 'none',
 *   params: [], inputs: ['high', 'low'], outputs: ['range'], warmup: () => 1,
 *   create: () => new BarRange(),
 * });
 * ```
 */
export function registerIndicator(definition: IndicatorDefinition, options: { override?: boolean } = {}): void {
  const name = definition.name.toLowerCase();
  if (registry.has(name) && !options.override) throw ConfigError.at('registerIndicator.name', definition.name, 'a name not registered yet (pass { override: true } to replace it)');
  registry.set(name, definition);
}

/** The registered indicator called `name` (case-insensitive), or a ConfigError listing the known ones. */
export function indicatorDefinition(name: string, path = 'indicators.name'): IndicatorDefinition {
  const found = registry.get(name.toLowerCase());
  if (!found) throw ConfigError.at(path, name, `a registered indicator (${[...registry.keys()].sort().join(', ')})`);
  return found;
}

/** Every registered indicator, in registration order. */
export function listIndicators(): IndicatorDefinition[] {
  return [...registry.values()];
}

for (const definition of BUILTIN_INDICATORS) registerIndicator(definition);
