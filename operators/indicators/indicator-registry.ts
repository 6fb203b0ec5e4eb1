import type { Indicator } from '../../lib/indicators/types.ts';
import { Registry, type RegistryItem } from '../../lib/registry.ts';
import { BUILTIN_INDICATORS } from './builtin-indicators.ts';
import type { IndicatorInput } from './indicator.ts';

/**
 * A registered indicator: describes itself (name, parameters, inputs, outputs, warm-up) so
 * a session config can be validated and its history planned before the first day, and a
 * pipeline can be printed.
 */
export interface IndicatorDefinition extends RegistryItem {
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

/** The indicators session configs can name, on the registry shared with calendars, strategies and scanners. */
export const INDICATORS = new Registry<IndicatorDefinition>('indicator');

/**
 * Add an indicator to the registry used by session configs (`indicators: [{name, …}]`).
 * Duplicate names (case-insensitive) are refused unless `{ override: true }`.
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
  INDICATORS.register(definition, { override: options.override ?? false });
}

/**
 * The registered indicator called `name` (case-insensitive), or a ConfigError at `path` listing
 * the known ones and, for a near miss, `did you mean "…"?`.
 *
 * @example
 * ```ts
 * indicatorDefinition('RSI').outputs; // ['rsi']
 * indicatorDefinition('rsy', 'indicators[1].name'); // ConfigError: … got "rsy"; did you mean "rsi"?
 * ```
 */
export function indicatorDefinition(name: string, path = 'indicators.name'): IndicatorDefinition {
  return INDICATORS.get(name, path);
}

/** Every registered indicator, in registration order (an override keeps the replaced one's place). */
export function listIndicators(): IndicatorDefinition[] {
  return INDICATORS.list();
}

for (const definition of BUILTIN_INDICATORS) registerIndicator(definition);
