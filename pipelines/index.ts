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
export { sweep, SWEEP_OBJECTIVES, type SweepOptions, type SweepResult, type SweepRow, type SweepObjective } from './sweep/sweep.ts';
export { expandGrid, type ParameterSet, type ExpandGridOptions } from './sweep/expand-grid.ts';
export { withParameters } from './sweep/with-parameters.ts';
export { runParameterBatch, type ParameterBatch, type ParameterSetResult, type IndexedParameterSet, type ParameterBatchOptions } from './sweep/run-parameter-batch.ts';
export { walkForward, parseWalkForward, type WalkForwardResult, type WalkForwardStep, type WalkForwardWindows, type EquityCurvePoints } from './sweep/walk-forward.ts';
export { runQueueWorker, type QueueWorkerOptions } from './sweep/run-queue-worker.ts';
export { smaCrossoverStrategy, type SmaCrossoverParams } from './examples/sma-crossover-strategy.ts';
export { parameterSetComponents, type ParameterSetOptions, type SetComponentDay } from './sweep/parameter-set-components.ts';
