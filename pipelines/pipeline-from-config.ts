import { ConfigError, type ConfigProblem } from '../lib/errors.ts';
import type { HistoryRequirement } from '../lib/config/plan-run.ts';
import type { SessionConfig } from '../lib/config/schema.ts';
import type { SessionContext } from '../lib/session/create-backtest.ts';
import type { SlicePipeline } from '../lib/session/time-slice.ts';
import { deriveBars } from '../operators/bars/derive-bars.ts';
import { registeredIndicator } from '../operators/indicators/registered-indicator.ts';
import { trackQuality } from '../operators/quality/track-quality.ts';
import { strategyDefinition } from '../operators/strategies/strategy-registry.ts';
import { registerExampleStrategies } from './examples/register-examples.ts';

/**
 * A config's pipeline builder, carrying the warm-up history its indicators need (pass it to
 * `planRun`/`createBacktest` as `history`, so every indicator is ready at the open).
 */
export type ConfigPipeline = ((ctx: SessionContext) => SlicePipeline) & { readonly history: readonly HistoryRequirement[] };

/**
 * The standard pipeline for a session config, in the order of DESIGN §2's processTick:
 * derive the larger intervals, update the configured indicators, track quality, then run
 * the configured strategies. Every name and parameter is checked now, and all problems
 * are reported together with their JSON paths, before the first day starts.
 *
 * @example
 * ```ts
 * const build = pipelineFromConfig(config);
 * createBacktest(config, { pipeline: build });
 * ```
 */
export function pipelineFromConfig(config: SessionConfig): ConfigPipeline {
  registerExampleStrategies();
  const problems: ConfigProblem[] = [];
  const attempt = <T>(path: string, make: () => T): T | undefined => {
    try {
      return make();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Nested factories report paths relative to themselves; anchor them at the config entry.
      // Some use a generic section path (emaCrossover: "strategies.params.fast"), which must
      // become "strategies[0].params.fast", not "strategies[0].strategies.params.fast".
      const section = `${path.replace(/\[\d+\]$/, '')}.`;
      const anchor = (p: string): string => (p.startsWith(path) ? p : `${path}.${p.startsWith(section) ? p.slice(section.length) : p}`);
      for (const p of error.problems.length ? error.problems : [{ path, message: error.message }]) problems.push({ ...p, path: anchor(p.path) });
      return undefined;
    }
  };
  const columns = new Set<string>();
  const history: HistoryRequirement[] = [];
  const indicatorFactories = config.indicators.map((spec, i) =>
    attempt(`indicators[${i}]`, () => {
      const path = `indicators[${i}]`;
      if (spec.interval !== '1d' && !config.streams.includes(spec.interval)) throw ConfigError.at(`${path}.interval`, spec.interval, `one of the streams (${config.streams.join(', ')})`);
      const resolved = registeredIndicator(spec.name, spec.period, { interval: spec.interval, ...(spec.as ? { as: spec.as } : {}), ...(spec.params ? { params: spec.params } : {}) }, path);
      if (columns.has(`${resolved.interval}/${resolved.as}`)) throw ConfigError.at(`${path}.as`, resolved.as, 'a column name not used by another indicator on the same interval');
      columns.add(`${resolved.interval}/${resolved.as}`);
      history.push({ interval: resolved.interval, bars: resolved.warmup, for: `${path} ${resolved.definition.name}` });
      return resolved.stage;
    }),
  );
  const strategyFactories = config.strategies.map((spec, i) =>
    attempt(`strategies[${i}]`, () => {
      const def = strategyDefinition(spec.name, `strategies[${i}].name`);
      const params = spec.params ?? {};
      const interval = params.interval;
      if (typeof interval === 'string' && !config.streams.includes(interval)) throw ConfigError.at(`strategies[${i}].params.interval`, interval, `one of the streams (${config.streams.join(', ')})`);
      def.create(params);
      return () => def.create(params);
    }),
  );
  if (problems.length > 0) {
    throw new ConfigError(`invalid session config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`, problems);
  }
  const build = (ctx: SessionContext): SlicePipeline => {
    const stages: SlicePipeline[] = [];
    // The plan decided base and derived intervals once, before the loop (seed step 0).
    const derived = ctx.plan.derived.map((i) => i.name);
    if (derived.length > 0) stages.push(deriveBars(derived));
    for (const make of indicatorFactories) stages.push(make!());
    stages.push(trackQuality());
    for (const make of strategyFactories) stages.push(make!());
    return (source) => stages.reduce((acc, stage) => stage(acc), source);
  };
  return Object.assign(build, { history });
}
