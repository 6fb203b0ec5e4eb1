import { ConfigError } from '../../lib/errors.ts';
import type { Indicator } from '../../lib/indicators/types.ts';
import { EMA } from '../../lib/indicators/ema.ts';
import { SMA } from '../../lib/indicators/sma.ts';

/** A registered indicator: describes itself so a pipeline can be printed and validated. */
export interface IndicatorDefinition {
  readonly kind: 'indicator';
  readonly name: string;
  readonly description: string;
  /** Accepted `params` keys (beyond `period`). */
  readonly params: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Inputs needed before the first value, for a given period. */
  warmup(period: number): number;
  create(period: number, params: Readonly<Record<string, unknown>>): Indicator;
}

const registry = new Map<string, IndicatorDefinition>();

/**
 * Add an indicator to the registry used by session configs (`indicators: [{name, …}]`).
 * Duplicate names are refused unless `{ override: true }`.
 *
 * @example
 * ```ts
 * registerIndicator({ kind: 'indicator', name: 'wma', description: 'weighted MA', params: [], inputs: ['close'], outputs: ['wma'], warmup: (p) => p, create: (p) => new WMA(p) });
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

/** Every registered indicator. */
export function listIndicators(): IndicatorDefinition[] {
  return [...registry.values()];
}

registerIndicator({ kind: 'indicator', name: 'sma', description: 'simple moving average of the close (TA-Lib SMA)', params: [], inputs: ['close'], outputs: ['sma'], warmup: (p) => p, create: (p) => new SMA(p) });
registerIndicator({ kind: 'indicator', name: 'ema', description: 'exponential moving average of the close, SMA-seeded (TA-Lib EMA)', params: [], inputs: ['close'], outputs: ['ema'], warmup: (p) => p, create: (p) => new EMA(p) });
