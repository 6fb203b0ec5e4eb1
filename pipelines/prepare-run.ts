import { dirname, resolve } from 'node:path';
import { storeProblems } from '../lib/config/store-problems.ts';
import { parseConfig, readConfigJson } from '../lib/config/parse-config.ts';
import { planRun, type RunPlan } from '../lib/config/plan-run.ts';
import type { SessionConfig, SessionConfigInput } from '../lib/config/schema.ts';
import type { SessionComponent } from '../lib/session/component.ts';
import { ConfigError, type ConfigProblem } from '../lib/errors.ts';
import { historyNeedsOf } from '../lib/session/create-backtest.ts';
import { openBarLoader, type BarLoader } from '../lib/store/threaded-bar-loader.ts';
import { componentsFromConfig } from './components-from-config.ts';
import type { ParameterSet } from './sweep/expand-grid.ts';
import { withParameters } from './sweep/with-parameters.ts';
import { decodeThreadsFor } from '../lib/config/decode-threads-for.ts';

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
  /**
   * Hold the components' config problems (unknown names, bad params, colliding indicator
   * columns) until `plan()`, which throws them in one {@link ConfigError} together with the
   * store's (missing root, unknown symbols, wrong columns or timestamp unit): what
   * `sessionflow validate` does, so one pass lists every mistake. Without it they are thrown
   * by `prepareRun` itself, and `components` is only usable when it returned.
   */
  readonly deferProblems?: boolean;
  /**
   * Values assigned at config paths before validation (`sessionflow run --set
   * strategies[0].params.fast=10`, a sweep's parameter set): checked like the file's own.
   */
  readonly set?: ParameterSet;
  /** Record the broker's per-tick equity table (default true; a sweep's statistics do without it). */
  readonly equityPoints?: boolean;
  /** Record the broker's order and fill rows (default true; a sweep's statistics need only their counts and sums). */
  readonly journal?: boolean;
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
  const file = typeof input === 'string' ? resolve(input) : undefined;
  const baseDir = file ? dirname(file) : (options.baseDir ?? process.cwd());
  let parsed: SessionConfig;
  let held: readonly ConfigProblem[] = [];
  let schemaFailed = false;
  const read = typeof input === 'string' ? readConfigJson(input) : input;
  const raw = options.set ? withParameters(read, options.set) : read;
  try {
    parsed = parseConfig(raw, { baseDir, ...(file ? { file } : {}) });
  } catch (error) {
    // Deferred, a schema problem elsewhere does not hide the store's: the sections the store
    // checks need (backtest, store, symbols, streams, calendar) are checked on their own.
    const partial = options.deferProblems && error instanceof ConfigError ? storeSections(raw, error, baseDir) : undefined;
    if (!partial) throw error;
    parsed = partial;
    held = (error as ConfigError).problems;
    schemaFailed = true;
  }
  const config = options.strict ? { ...parsed, strict: true } : parsed;
  let standard: readonly SessionComponent[] = [];
  try {
    if (!schemaFailed) standard = options.components ?? componentsFromConfig(config, { ...(options.equityPoints === false ? { equityPoints: false } : {}), ...(options.journal === false ? { journal: false } : {}) });
  } catch (error) {
    if (!options.deferProblems || !(error instanceof ConfigError)) throw error;
    held = error.problems.length > 0 ? error.problems : [{ path: '', message: error.message }];
  }
  const components = [...standard, ...(options.extend ?? [])];
  return {
    config,
    components,
    async plan() {
      let source: BarLoader | undefined;
      try {
        // Whole-run mistakes about the store are errors, not per-day warnings: the run would
        // read nothing, or every symbol the same bars. Listed with the components' problems.
        const problems = schemaFailed ? [...held, ...(await storeProblems(config))] : [...(await storeProblems(config)), ...held];
        for (const c of components) {
          try {
            await c.prepare?.();
          } catch (error) {
            // Alone, a module's problem keeps its own message; with others it joins the list.
            if (problems.length === 0 || !(error instanceof ConfigError)) throw error;
            problems.push(...(error.problems.length > 0 ? error.problems : [{ path: c.name, message: error.message }]));
          }
        }
        if (problems.length > 0) throw invalid(problems, file);
        const history = historyNeedsOf(components);
        const plan = await planRun(config, { ...(history.length > 0 ? { history } : {}), source: (store, reader) => (source = openBarLoader(store, reader, decodeThreadsFor(config))) });
        return { plan, source: source! };
      } catch (error) {
        source?.close?.();
        // Planning's own config errors (a range without sessions, a layout placeholder the
        // reader refuses) know their field but not the file: name it, as the schema's do.
        if (error instanceof ConfigError && error.file === undefined && file !== undefined) throw invalid(error.problems.length > 0 ? error.problems : [{ path: '', message: error.message }], file);
        throw error;
      }
    },
  };
}

/** One {@link ConfigError} listing every problem with its JSON path, as parseConfig reports the schema's. */
function invalid(problems: readonly ConfigProblem[], file: string | undefined): ConfigError {
  const lines = problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`);
  return new ConfigError(`${file ? `${file}: ` : ''}invalid session config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, problems, file);
}

/** Top-level keys the store checks read; the others (indicators, strategies, …) are left out. */
const STORE_SECTIONS = ['name', 'calendar', 'backtest', 'store', 'symbols', 'streams'];

/**
 * The config reduced to the sections the store checks read, when all of them passed the
 * schema (`schema` lists the problems of the whole config), or `undefined`.
 */
function storeSections(raw: unknown, schema: ConfigError, baseDir: string): SessionConfig | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const clean = (key: string): boolean => !schema.problems.some((p) => p.path === '' || p.path === key || p.path.startsWith(`${key}.`) || p.path.startsWith(`${key}[`));
  if (!STORE_SECTIONS.every(clean)) return undefined;
  const reduced = Object.fromEntries(Object.entries(raw).filter(([key]) => STORE_SECTIONS.includes(key)));
  try {
    return parseConfig(reduced, { baseDir });
  } catch {
    return undefined;
  }
}
