import { registerStrategy, listStrategies } from '../../operators/strategies/strategy-registry.ts';
import { emaCrossoverStrategy } from './ema-crossover-strategy.ts';
import { dailySmaCrossover } from './daily-sma-crossover.ts';
import { openingRangeBreakout } from './opening-range-breakout.ts';
import { smaCrossoverStrategy } from './sma-crossover-strategy.ts';

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
  for (const strategy of [emaCrossoverStrategy, smaCrossoverStrategy, openingRangeBreakout, dailySmaCrossover]) {
    if (listStrategies().some((s) => s.name.toLowerCase() === strategy.name)) continue;
    registerStrategy(strategy);
  }
}
