import { parseConfig, readConfigFile } from '../lib/config/parse-config.ts';
import { planRun, type RunPlan } from '../lib/config/plan-run.ts';
import type { SessionConfig, SessionConfigInput } from '../lib/config/schema.ts';
import type { SessionComponent } from '../lib/session/component.ts';
import { historyNeedsOf } from '../lib/session/create-backtest.ts';
import { openBarLoader, type BarLoader } from '../lib/store/threaded-bar-loader.ts';
import { componentsFromConfig } from './components-from-config.ts';

/** Options of {@link prepareRun}. */
export interface PrepareOptions {
  /** Folder that relative paths in an object config resolve against (default: cwd). */
  readonly baseDir?: string;
  /** Fail before the first day when any data is missing (overrides the config). */
  readonly strict?: boolean;
  /** Replace the config's standard components entirely. */
  readonly components?: readonly SessionComponent[];
  /** Components after the standard ones (your own strategies, recorders, …). */
  readonly extend?: readonly SessionComponent[];
}

/** A config resolved into what a run is made of, before any data is read. */
export interface RunSetup {
  readonly config: SessionConfig;
  readonly components: readonly SessionComponent[];
  /**
   * Validate the data (seed step 0) for these components' needs. Opens the data source the
   * run will read through (decode threads parse the footers where they will decode) and
   * returns it with the plan: hand both to the run (`createBacktest(config, { plan, source,
   * closeSource: true })`), or close the source yourself.
   */
  plan(): Promise<{ plan: RunPlan; source: BarLoader }>;
}

/**
 * The one way a config becomes a run, shared by `backtest()`, `sessionflow run` and
 * `sessionflow validate`: read and validate the config (every problem at once, with JSON
 * paths), build its components (derived bars, indicators, quality, scanners, strategies)
 * and collect what they need from the plan.
 *
 * @example
 * ```ts
 * const setup = prepareRun('sessions/jan.json');
 * const { plan, source } = await setup.plan();
 * const run = createBacktest(setup.config, { components: setup.components, plan, source, closeSource: true });
 * ```
 */
export function prepareRun(input: string | SessionConfigInput | SessionConfig, options: PrepareOptions = {}): RunSetup {
  const parsed = typeof input === 'string' ? readConfigFile(input) : parseConfig(input, { baseDir: options.baseDir ?? process.cwd() });
  const config = options.strict ? { ...parsed, strict: true } : parsed;
  const components = [...(options.components ?? componentsFromConfig(config)), ...(options.extend ?? [])];
  return {
    config,
    components,
    async plan() {
      let source: BarLoader | undefined;
      try {
        for (const c of components) await c.prepare?.();
        const history = historyNeedsOf(components);
        const plan = await planRun(config, { ...(history.length > 0 ? { history } : {}), source: (store, reader) => (source = openBarLoader(store, reader, config.store.decodeThreads)) });
        return { plan, source: source! };
      } catch (error) {
        source?.close?.();
        throw error;
      }
    },
  };
}
