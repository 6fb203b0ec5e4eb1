import { parseConfig, readConfigFile } from '../lib/config/parse-config.ts';
import type { SessionConfig, SessionConfigInput } from '../lib/config/schema.ts';
import { createBacktest, type BacktestOptions, type BacktestRun, type SessionContext } from '../lib/session/create-backtest.ts';
import type { SlicePipeline } from '../lib/session/time-slice.ts';
import { pipelineFromConfig } from './pipeline-from-config.ts';

/** Options of {@link backtest}: the engine's options, plus stages appended to the standard pipeline. */
export interface BacktestFromConfigOptions extends Omit<BacktestOptions, 'pipeline'> {
  /** Replace the standard pipeline entirely. */
  readonly pipeline?: (ctx: SessionContext) => SlicePipeline;
  /** Extra stages after the standard ones (your own strategies, recorders, …). */
  readonly extend?: (ctx: SessionContext) => SlicePipeline;
  /** Folder that relative paths in an object config resolve against (default: cwd). */
  readonly baseDir?: string;
}

/**
 * Backtest a session config — a JSON file path, or an object — with the standard
 * pipeline it describes (derived bars, indicators, quality, strategies). Cold: nothing
 * happens until `events$` is subscribed or `result()` is called.
 *
 * @example
 * ```ts
 * import { backtest } from 'sessionflow';
 * const run = backtest('sessions/demo.json');
 * run.events$.subscribe((e) => e.type === 'day' && console.log(e.result.date, e.result.signals.length));
 * const result = await run.result();
 * result.sessionData?.table('DEMO01', '5m').print();
 * ```
 */
export function backtest(config: string | SessionConfigInput | SessionConfig, options: BacktestFromConfigOptions = {}): BacktestRun {
  const parsed = typeof config === 'string' ? readConfigFile(config) : parseConfig(config, { baseDir: options.baseDir ?? process.cwd() });
  const fromConfig = options.pipeline ? undefined : pipelineFromConfig(parsed);
  const standard = options.pipeline ?? fromConfig!;
  const { extend } = options;
  const pipeline = extend ? (ctx: SessionContext): SlicePipeline => (source) => extend(ctx)(standard(ctx)(source)) : standard;
  // The config's indicators ask the plan for the history their warm-up needs.
  const history = [...(fromConfig?.history ?? []), ...(options.history ?? [])];
  return createBacktest(parsed, { ...options, pipeline, ...(history.length ? { history } : {}) });
}
