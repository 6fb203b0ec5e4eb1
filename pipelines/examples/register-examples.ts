import { ConfigError } from '../../lib/errors.ts';
import { registerStrategy, listStrategies } from '../../operators/strategies/strategy-registry.ts';
import { emaCrossover } from './ema-crossover.ts';

/**
 * Register the example strategies under their config names (idempotent), so a session
 * config can say `"strategies": [{"name": "ema-crossover", "params": {"fast": 9, "slow": 21, "interval": "5m"}}]`.
 *
 * @example
 * ```ts
 * registerExampleStrategies();
 * ```
 */
export function registerExampleStrategies(): void {
  if (listStrategies().some((s) => s.name.toLowerCase() === 'ema-crossover')) return;
  registerStrategy({
    kind: 'strategy',
    name: 'ema-crossover',
    description: 'buy when the fast EMA crosses above the slow EMA on a closed bar, sell on the opposite cross',
    params: { fast: 9, slow: 21, interval: '5m' },
    create(params) {
      for (const key of Object.keys(params)) if (!['fast', 'slow', 'interval'].includes(key)) throw ConfigError.at(`params.${key}`, params[key], 'one of fast, slow, interval');
      const { fast, slow, interval } = params as { fast?: unknown; slow?: unknown; interval?: unknown };
      if (fast !== undefined && (!Number.isInteger(fast) || (fast as number) < 1)) throw ConfigError.at('params.fast', fast, 'a whole number >= 1');
      if (slow !== undefined && (!Number.isInteger(slow) || (slow as number) < 1)) throw ConfigError.at('params.slow', slow, 'a whole number >= 1');
      if (interval !== undefined && typeof interval !== 'string') throw ConfigError.at('params.interval', interval, 'an interval such as "5m"');
      return emaCrossover({ ...(fast !== undefined ? { fast: fast as number } : {}), ...(slow !== undefined ? { slow: slow as number } : {}), ...(interval !== undefined ? { interval: interval as string } : {}) });
    },
  });
}
