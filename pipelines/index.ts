/**
 * The package root (`sessionflow`): everything from the engine and the operators, plus
 * ready-made compositions — `backtest(config)` with the standard pipeline.
 *
 * @example
 * ```ts
 * import { backtest } from 'sessionflow';
 * const result = await backtest('session.json').result();
 * ```
 */
export * from '../lib/index.ts';
export * from '../operators/index.ts';
export { backtest, type BacktestFromConfigOptions } from './backtest.ts';
export { componentsFromConfig } from './components-from-config.ts';
export { prepareRun, type PrepareOptions, type RunSetup } from './prepare-run.ts';
export { emaCrossover, type EmaCrossoverParams } from './examples/ema-crossover.ts';
export { registerExampleStrategies } from './examples/register-examples.ts';
export { prepareDemo, DEMO } from './demo/prepare-demo.ts';
export { strategyFromModule, type StrategyModuleSpec } from './strategy-module.ts';
