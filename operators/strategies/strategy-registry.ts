import { ConfigError } from '../../lib/errors.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';

/** A strategy that session configs can name (`strategies: [{name, params}]`). */
export interface StrategyDefinition {
  readonly kind: 'strategy';
  readonly name: string;
  readonly description: string;
  /** Accepted params with their defaults, for printing and validation. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Build the strategy's pipeline; throw a ConfigError for bad params. */
  create(params: Readonly<Record<string, unknown>>): SlicePipeline;
}

const registry = new Map<string, StrategyDefinition>();

/**
 * Make a strategy available to session configs. Duplicate names are refused unless
 * `{ override: true }`.
 *
 * @example
 * ```ts
 * registerStrategy({ kind: 'strategy', name: 'noop', description: 'does nothing', params: {}, create: () => (s) => s });
 * ```
 */
export function registerStrategy(definition: StrategyDefinition, options: { override?: boolean } = {}): void {
  if (registry.has(definition.name) && !options.override) throw ConfigError.at('registerStrategy.name', definition.name, 'a name not registered yet (pass { override: true } to replace it)');
  registry.set(definition.name, definition);
}

/** The strategy called `name`, or a ConfigError listing the registered ones. */
export function strategyDefinition(name: string, path = 'strategies.name'): StrategyDefinition {
  const found = registry.get(name);
  if (!found) throw ConfigError.at(path, name, `a registered strategy (${[...registry.keys()].sort().join(', ') || 'none registered'})`);
  return found;
}

/** Every registered strategy. */
export function listStrategies(): StrategyDefinition[] {
  return [...registry.values()];
}
