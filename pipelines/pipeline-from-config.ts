import { ConfigError, type ConfigProblem } from '../lib/errors.ts';
import type { HistoryRequirement } from '../lib/config/plan-run.ts';
import type { SessionConfig } from '../lib/config/schema.ts';
import type { SessionContext } from '../lib/session/create-backtest.ts';
import type { SlicePipeline } from '../lib/session/time-slice.ts';
import { deriveBars } from '../operators/bars/derive-bars.ts';
import { indicator } from '../operators/indicators/indicator.ts';
import { indicatorDefinition } from '../operators/indicators/indicator-registry.ts';
import { sessionIndicator } from '../operators/indicators/session-indicator.ts';
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
      const def = indicatorDefinition(spec.name, `${path}.name`);
      const params = spec.params ?? {};
      for (const key of Object.keys(params)) if (!def.params.includes(key)) throw ConfigError.at(`${path}.params.${key}`, params[key], def.params.length ? `one of ${def.params.join(', ')}` : `no params for ${def.name}`);
      const periodRule = def.period;
      if (periodRule === 'none' && spec.period !== undefined) throw ConfigError.at(`${path}.period`, spec.period, `no period (${def.name} takes none)`);
      if (periodRule === undefined && spec.period === undefined) throw ConfigError.at(`${path}.period`, undefined, `a period for ${def.name}`);
      const period = spec.period ?? (periodRule === 'none' || periodRule === undefined ? 0 : periodRule.default);
      const session = def.scope === 'session';
      if (session !== (spec.interval === '1d')) throw ConfigError.at(`${path}.interval`, spec.interval, session ? `"1d" (${def.name} is computed once per session from daily bars)` : `one of the streams (${config.streams.join(', ')}); "1d" is for session-level indicators`);
      if (!session && !config.streams.includes(spec.interval)) throw ConfigError.at(`${path}.interval`, spec.interval, `one of the streams (${config.streams.join(', ')})`);
      def.create(period, params); // validate now, not mid-run
      // Registered names may contain characters a column name cannot ("my-ind" → "my_ind").
      const stem = def.name.toLowerCase().replace(/[^A-Za-z0-9_]/g, '_');
      const as = spec.as ?? (periodRule === 'none' ? stem : `${stem}_${period}`);
      if (columns.has(`${spec.interval}/${as}`)) throw ConfigError.at(`${path}.as`, as, 'a column name not used by another indicator on the same interval');
      columns.add(`${spec.interval}/${as}`);
      history.push({ interval: spec.interval, bars: def.warmup(period, params), for: `${path} ${def.name}` });
      const make = () => def.create(period, params);
      const outputs = def.outputs.length > 1 ? { outputs: def.outputs } : {};
      if (session) return () => sessionIndicator(make, { as, ...outputs, input: def.input ?? 'bar' });
      return () => indicator(make, { interval: spec.interval, as, ...outputs, ...(def.input ? { input: def.input } : {}) });
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
