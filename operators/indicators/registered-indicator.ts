import { ConfigError } from '../../lib/errors.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { indicator, type IndicatorInput } from './indicator.ts';
import { indicatorDefinition, type IndicatorDefinition } from './indicator-registry.ts';
import { sessionIndicator } from './session-indicator.ts';

/** Options of {@link registeredIndicator} and the named shorthands (`rsi`, `macd`, …). */
export interface RegisteredIndicatorOptions {
  /** Interval whose closed bars update it; `'1d'` for session-level indicators (the default for them). */
  readonly interval?: string;
  /** Column (or session value) name; default `<name>_<period>`, or `<name>` without a period. */
  readonly as?: string;
  /** Extra parameters, as in the config's `params` (e.g. `{ stdDev: 2.5 }`). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Override the bar field a price indicator reads (default: the definition's, usually the close). */
  readonly input?: IndicatorInput;
  /**
   * The run streams daily bars (`"streams": ["1d"]`): bar indicators may then take `"1d"`
   * and update on each session's bar at the close. Without it `"1d"` is for session-level
   * indicators only (a bar indicator there would never see a bar).
   */
  readonly dailyStream?: boolean;
}

/** What a resolved registry entry needs to become a stage. */
export interface ResolvedIndicator {
  readonly definition: IndicatorDefinition;
  readonly period: number;
  readonly as: string;
  readonly interval: string;
  /** Inputs consumed before the first value. */
  readonly warmup: number;
  /**
   * What the computation is: definition, period, parameters, input, interval and column. Two
   * resolved indicators with the same key write the same values (a run computes them once).
   */
  readonly key: string;
  readonly stage: () => SlicePipeline;
}

/**
 * Resolve a registered indicator by name (or a definition given directly) into a pipeline stage: period rules, parameters,
 * default column name, bar or session scope — the single path both the session config and
 * the named shorthands (`ema(9, …)`, `rsi(14, …)`) go through. Everything is validated now,
 * so a bad parameter fails when the pipeline is built, not mid-session.
 *
 * @example
 * ```ts
 * registeredIndicator('bollinger', 20, { interval: '5m', params: { stdDev: 2 } }).stage()
 * // writes bollinger_20_upper, bollinger_20_middle, bollinger_20_lower on each closed 5m bar
 * ```
 */
export function registeredIndicator(name: string | IndicatorDefinition, period: number | undefined, options: RegisteredIndicatorOptions, path = 'indicator'): ResolvedIndicator {
  // A definition itself (from a user's module) goes through the same rules as a registered name.
  const definition = typeof name === 'string' ? indicatorDefinition(name, `${path}.name`) : name;
  const params = options.params ?? {};
  for (const key of Object.keys(params)) if (!definition.params.includes(key)) throw ConfigError.at(`${path}.params.${key}`, params[key], definition.params.length ? `one of ${definition.params.join(', ')}` : `no params for ${definition.name}`);
  const rule = definition.period;
  if (rule === 'none' && period !== undefined) throw ConfigError.at(`${path}.period`, period, `no period (${definition.name} takes none)`);
  if (rule === undefined && period === undefined) throw ConfigError.at(`${path}.period`, undefined, `a period for ${definition.name}`);
  const resolved = period ?? (rule === 'none' || rule === undefined ? 0 : rule.default);
  const session = definition.scope === 'session';
  const interval = options.interval ?? (session ? '1d' : undefined);
  if (interval === undefined) throw ConfigError.at(`${path}.interval`, undefined, `the interval whose bars update ${definition.name}`);
  if (session && interval !== '1d') throw ConfigError.at(`${path}.interval`, interval, `"1d" (${definition.name} is computed once per session from daily bars)`);
  if (!session && interval === '1d' && !options.dailyStream) throw ConfigError.at(`${path}.interval`, interval, 'an intraday stream interval; "1d" is for session-level indicators, or for bar indicators when the run streams daily bars ("streams": ["1d"])');
  // Validates the parameters now. The indicator classes name their own fields ("MACD.slow");
  // in a config those are `params.<key>`, and the period is `period`.
  try {
    definition.create(resolved, params);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.message, (error.problems.length > 0 ? error.problems : [{ path: '', message: error.message }]).map((p) => ({ ...p, path: configPath(p.path, path, definition.params) })));
  }
  // Registered names may contain characters a column name cannot ("my-ind" → "my_ind").
  const stem = definition.name.toLowerCase().replace(/[^A-Za-z0-9_]/g, '_');
  const as = options.as ?? (rule === 'none' ? stem : `${stem}_${resolved}`);
  const make = () => definition.create(resolved, params);
  const outputs = definition.outputs.length > 1 ? { outputs: definition.outputs } : {};
  const input = options.input ?? definition.input;
  const stage = session ? () => sessionIndicator(make, { as, ...outputs, input: input ?? 'bar' }) : () => indicator(make, { interval, as, ...outputs, ...(input ? { input } : {}) });
  stage(); // validates the column name and input now
  const key = `${interval}/${as}=${definition.name}(${resolved}${Object.keys(params).length > 0 ? `,${JSON.stringify(params, Object.keys(params).sort())}` : ''})${input ? `[${input}]` : ''}`;
  return { definition, period: resolved, as, interval, warmup: definition.warmup(resolved, params), key, stage };
}

/**
 * The config path of a parameter an indicator class reported as `<Class>.<field>`:
 * `<path>.params.<field>` for a declared param, `<path>.period` for the period (any other
 * field an indicator takes from its period: `fast` of MACD, `period` of most).
 */
function configPath(reported: string, path: string, params: readonly string[]): string {
  const field = reported.slice(reported.lastIndexOf('.') + 1);
  if (field === '') return path;
  return params.includes(field) ? `${path}.params.${field}` : `${path}.period`;
}
