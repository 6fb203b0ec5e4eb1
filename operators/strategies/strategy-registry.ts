import { Registry, type RegistryItem } from '../../lib/registry.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';

/** A strategy that session configs can name (`strategies: [{name, params}]`). */
export interface StrategyDefinition extends RegistryItem {
  readonly kind: 'strategy';
  /** Config name, matched case-insensitively (`"ema-crossover"`). */
  readonly name: string;
  readonly description: string;
  /** Accepted params with their defaults, for printing and validation. */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Build the strategy for one run: a pipeline (a raw slice hook), or a whole component
   * (`defineStrategy`'s); throw a ConfigError for bad params, with paths under `path`.
   */
  create(params: Readonly<Record<string, unknown>>, path?: string): SlicePipeline | SessionComponent;
}

/** The strategies session configs can name, on the registry shared with calendars, indicators and scanners. */
export const STRATEGIES = new Registry<StrategyDefinition>('strategy');

/**
 * Make a strategy available to session configs. Names are matched case-insensitively, like
 * every registry's; a taken name is refused unless `{ override: true }`.
 *
 * @example
 * ```ts
 * registerStrategy({ kind: 'strategy', name: 'noop', description: 'does nothing', params: {}, create: () => (s) => s });
 * ```
 */
export function registerStrategy(definition: StrategyDefinition, options: { override?: boolean } = {}): void {
  STRATEGIES.register(definition, { override: options.override ?? false });
}

/**
 * The strategy called `name` (case-insensitive), or a ConfigError at `path` listing the
 * registered ones and, for a near miss, `did you mean "…"?`.
 *
 * @example
 * ```ts
 * strategyDefinition('EMA-Crossover').name; // 'ema-crossover'
 * strategyDefinition('ema-crosover', 'strategies[0].name'); // ConfigError: … did you mean "ema-crossover"?
 * ```
 */
export function strategyDefinition(name: string, path = 'strategies.name'): StrategyDefinition {
  return STRATEGIES.get(name, path);
}

/** Every registered strategy, in registration order (an override keeps the replaced one's place). */
export function listStrategies(): StrategyDefinition[] {
  return STRATEGIES.list();
}
