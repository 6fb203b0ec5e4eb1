import type { SessionComponent } from '../../lib/session/component.ts';

/**
 * The benchmark of a run's statistics (Buy & Hold, Alpha, Beta): reports `symbol`'s last base
 * bar close of each session, `{ symbol, close }` (`close` null when it had no bar that day).
 *
 * @example
 * ```ts
 * backtest(config, { components: [benchmark('SPY')] });
 * ```
 */
export function benchmark(symbol: string): SessionComponent {
  return {
    name: 'benchmark',
    kind: 'benchmark',
    trustedStage: true,
    describe: () => ({ kind: 'benchmark', symbol }),
    report(ctx) {
      const series = ctx.data.get(symbol)?.bars.get(ctx.plan.base.name);
      const close = series && series.length > 0 ? series.close[series.length - 1]! : null;
      return { symbol, close };
    },
  };
}
