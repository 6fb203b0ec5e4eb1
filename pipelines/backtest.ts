import type { SessionConfig, SessionConfigInput } from '../lib/config/schema.ts';
import type { SessionComponent, SessionContext } from '../lib/session/component.ts';
import type { SlicePipeline } from '../lib/session/time-slice.ts';
import { createBacktest, type BacktestOptions, type BacktestRun } from '../lib/session/create-backtest.ts';
import { prepareRun } from './prepare-run.ts';

/** Options of {@link backtest}: the engine's options, plus components around the config's standard ones. */
export interface BacktestFromConfigOptions extends Omit<BacktestOptions, 'components'> {
  /** Components after the config's standard ones (your own strategies, recorders, the broker, …). */
  readonly components?: readonly SessionComponent[];
  /** Replace the config's standard components (derived bars, indicators, quality, scanners, strategies) entirely (so does `pipeline`). */
  readonly replace?: readonly SessionComponent[];
  /**
   * After the standard components: your own components (strategies, recorders, …), or one
   * pipeline function of your stages (built per day).
   */
  readonly extend?: readonly SessionComponent[] | ((ctx: SessionContext) => SlicePipeline);
  /** Folder that relative paths in an object config resolve against (default: cwd). */
  readonly baseDir?: string;
}

/**
 * Backtest a session config — a JSON file path, or an object — with the components it
 * describes (derived bars, indicators, quality, scanners, strategies). Cold: nothing happens
 * until `events$` is subscribed or `result()` is called.
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
  const { extend, components, replace, baseDir, ...engine } = options;
  const extra: readonly SessionComponent[] = [...(components ?? []), ...(typeof extend === 'function' ? [{ name: 'extend', kind: 'pipeline', stage: extend }] : (extend ?? []))];
  // A `pipeline` function replaces the standard components (it runs first, as in createBacktest).
  const standard = replace ?? (engine.pipeline ? [] : undefined);
  const setup = prepareRun(config, { ...(baseDir ? { baseDir } : {}), ...(standard ? { components: standard } : {}), ...(extra.length > 0 ? { extend: extra } : {}) });
  return createBacktest(setup.config, { ...engine, components: setup.components });
}
