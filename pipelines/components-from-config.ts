import { basename, extname } from 'node:path';
import { resolveUniverse } from '../lib/config/resolve-universe.ts';
import type { SessionConfig } from '../lib/config/schema.ts';
import { parseScanSchedule } from '../lib/clock/scan-schedule.ts';
import { getCalendar } from '../lib/calendar/get-calendar.ts';
import { parseInterval } from '../lib/calendar/interval.ts';
import { validateParams } from '../lib/config/validate-params.ts';
import { ConfigError, type ConfigProblem } from '../lib/errors.ts';
import type { Json, SessionComponent } from '../lib/session/component.ts';
import { deferredComponent } from '../lib/session/deferred-component.ts';
import type { SlicePipeline } from '../lib/session/time-slice.ts';
import { BAR_COLUMNS } from '../lib/session/bar-series.ts';
import { deriveBars } from '../operators/bars/derive-bars.ts';
import { registeredIndicator, type ResolvedIndicator } from '../operators/indicators/registered-indicator.ts';
import type { IndicatorDefinition } from '../operators/indicators/indicator-registry.ts';
import { trackQuality } from '../operators/quality/track-quality.ts';
import { scanner } from '../operators/scanners/scanner.ts';
import { SCANNERS, type ScannerDefinition } from '../operators/scanners/scanner-registry.ts';
import { strategyDefinition } from '../operators/strategies/strategy-registry.ts';
import { benchmark } from '../operators/execution/benchmark.ts';
import { broker } from '../operators/execution/broker.ts';
import { strategyFromModule } from './strategy-module.ts';
import { importUserModule, userExport } from './import-user-module.ts';
import { registerExampleStrategies } from './examples/register-examples.ts';

/**
 * The standard components of a session config, in the order of DESIGN §2's processTick:
 * derived bars, each configured indicator (declaring the warm-up history it needs, so the
 * plan loads it), quality, the scanners, then the strategies. Every name, parameter, schedule
 * and universe is checked now, and all problems are reported together with their JSON paths
 * (unknown names with a "did you mean"), before the first day starts.
 *
 * With `equityPoints: false` the broker keeps the day's account figures but no per-tick
 * equity table, and with `journal: false` no order and fill rows, only their counts and sums
 * (what a sweep's statistics need).
 *
 * @example
 * ```ts
 * const components = componentsFromConfig(config);
 * createBacktest(config, { components });
 * ```
 */
export function componentsFromConfig(config: SessionConfig, options: { readonly equityPoints?: boolean; readonly journal?: boolean } = {}): SessionComponent[] {
  registerExampleStrategies();
  const { problems, attempt } = problemCollector();
  // Output column (interval/name) → the indicator writing it, so a second one names the first.
  const columns = new Map<string, string>();
  // Bar indicators write into the bar series: a column named like a bar field (or a loaded
  // store column) would overwrite the prices strategies trade on, or break the export.
  const reserved = new Set<string>([...BAR_COLUMNS, 'partial', ...Object.keys(config.store.columns?.extra ?? {})]);
  const components: SessionComponent[] = [];
  const derived = config.streams.map((s) => parseInterval(s)).sort((a, b) => a.ms - b.ms).slice(1).map((i) => i.name);
  // Derived bars first: every later stage reads them at the tick their window closes.
  if (derived.length > 0) components.push({ name: 'bars', kind: 'bars', trustedStage: true, needs: { intervals: derived }, stage: () => deriveBars(derived) });
  config.indicators.forEach((spec, i) =>
    attempt(`indicators[${i}]`, () => {
      const path = `indicators[${i}]`;
      checkOneSource(spec, path, 'indicator');
      if (spec.interval !== '1d' && !config.streams.includes(spec.interval)) throw ConfigError.at(`${path}.interval`, spec.interval, `one of the streams (${config.streams.join(', ')})`);
      const make = (definition: string | IndicatorDefinition): SessionComponent => {
        const resolved = registeredIndicator(definition, spec.period, { interval: spec.interval, dailyStream: config.streams.includes('1d'), ...(spec.as ? { as: spec.as } : {}), ...(spec.params ? { params: spec.params } : {}) }, path);
        const column = `${resolved.interval}/${resolved.as}`;
        checkOutputs(resolved, path, reserved, columns);
        return {
          name: `indicator:${column}`,
          kind: 'indicator',
          trustedStage: true,
          // The plan loads the history this warm-up needs, so the value is current at the open.
          needs: { history: [{ interval: resolved.interval, bars: resolved.warmup, for: `${path} ${resolved.definition.name}` }], intervals: [resolved.interval], columns: [column] },
          stage: () => resolved.stage(),
        };
      };
      if (spec.module === undefined) return void components.push(make(spec.name!));
      const module = { module: spec.module, export: spec.export };
      // Loaded (and checked like a registered one) when the run prepares, before planning.
      components.push(deferredComponent(`indicator:${spec.interval}/${spec.as ?? moduleLabel(module)}`, 'indicator', async () => make(userExport(await importUserModule(spec.module!, `${path}.module`), module, path, 'an indicator definition (as registerIndicator takes)', isIndicatorDefinition)), () => ({ module: spec.module! })));
    }),
  );
  components.push({ name: 'quality', kind: 'quality', trustedStage: true, stage: () => trackQuality() });
  const calendar = attempt('calendar', () => getCalendar(config.calendar));
  const names = new Set<string>();
  // The top-level universe is resolved (and its problems reported) once, at its own path.
  const shared = config.scanners.some((s) => s.universe === undefined) ? attempt('universe', () => resolveUniverse(config.universe ?? 'store', config, 'universe', derivedBase(config))) : undefined;
  config.scanners.forEach((spec, i) => {
    const path = `scanners[${i}]`;
    if (attempt(path, () => checkOneSource(spec, path, 'scanner')) === undefined) return;
    const module = spec.module === undefined ? undefined : { module: spec.module, export: spec.export };
    const registered = module ? undefined : attempt(`${path}.name`, () => SCANNERS.get(spec.name!, `${path}.name`));
    const name = spec.as ?? (module ? moduleLabel(module) : (registered?.name ?? spec.name!));
    if (names.has(name)) attempt(`${path}.as`, () => {
      throw ConfigError.at(`${path}.as`, spec.as, `a name not used by another scanner (${JSON.stringify(name)} is taken; set "as")`);
    });
    names.add(name);
    const universe = spec.universe === undefined ? shared : attempt(`${path}.universe`, () => resolveUniverse(spec.universe!, config, `${path}.universe`, derivedBase(config)));
    // Each part is checked on its own, so one entry reports all its problems at once.
    const make = (definition: ScannerDefinition, report: <T>(where: string, check: () => T) => T | undefined): SessionComponent | undefined => {
      const params = report(`${path}.params`, () => validateParams(definition.params, spec.params ?? {}, `${path}.params`));
      const schedule = spec.schedule ?? definition.schedule;
      // Times, repeats and offsets are checked now, so a bad entry fails validation, not a day.
      const scheduleOk = calendar !== undefined && report(`${path}.schedule`, () => parseScanSchedule(schedule, calendar.timezone, `${path}.schedule`)) !== undefined;
      if (!params || !scheduleOk || !universe) return undefined;
      return scanner({ name, scanner: definition.create(params), schedule, universe, maxAdds: spec.maxAdds, path, definition: definition.name, params: params as { [key: string]: Json } });
    };
    if (!module) {
      const made = registered ? make(registered, attempt) : undefined;
      if (made) components.push(made);
      return;
    }
    // A module's scanner is loaded when the run prepares (before planning); its problems are thrown together.
    components.push(
      deferredComponent(
        `scanner:${name}`,
        'scanner',
        async () => {
          const definition = userExport(await importUserModule(module.module, `${path}.module`), module, path, 'a scanner definition (as registerScanner takes)', isScannerDefinition);
          const collected = problemCollector();
          const made = make(definition, collected.attempt);
          if (!made) throw new ConfigError(`${path}: ${collected.problems.map((p) => `${p.path}: ${p.message}`).join('; ') || 'the scanner could not be made'}`, collected.problems);
          return made;
        },
        () => ({ module: module.module }),
      ),
    );
  });
  config.strategies.forEach((spec, i) =>
    attempt(`strategies[${i}]`, () => {
      const path = `strategies[${i}]`;
      checkOneSource(spec, path, 'strategy');
      const params = spec.params ?? {};
      const interval = params.interval;
      if (typeof interval === 'string' && !config.streams.includes(interval)) throw ConfigError.at(`${path}.params.interval`, interval, `one of the streams (${config.streams.join(', ')})`);
      if (spec.module !== undefined) {
        const label = moduleLabel({ module: spec.module, export: spec.export });
        // Not spread: its needs are a getter, known once the module is loaded.
        components.push(strategyFromModule({ module: spec.module, ...(spec.export ? { export: spec.export } : {}), params }, path, uniqueName(`strategy:${label}`, components)));
        return;
      }
      const def = strategyDefinition(spec.name!, `${path}.name`);
      const made = def.create(params, `${path}.params`);
      if (typeof made === 'function') {
        components.push({ name: uniqueName(`strategy:${def.name}`, components), kind: 'strategy', stage: () => def.create(params) as SlicePipeline });
      } else {
        components.push({ ...made, name: uniqueName(made.name, components) });
      }
    }),
  );
  // The broker: configured, or with defaults when strategies trade. Its stage runs first at every tick.
  if (config.broker !== undefined || config.strategies.length > 0) {
    attempt('broker', () => {
      const { quotes, ...settings } = config.broker ?? {};
      if (quotes) {
        const extra = config.store.columns?.extra ?? {};
        for (const side of ['bid', 'ask'] as const) if (!(quotes[side] in extra)) throw ConfigError.at(`broker.quotes.${side}`, quotes[side], `a name of store.columns.extra (${Object.keys(extra).join(', ') || 'none configured'})`);
      }
      components.unshift(broker({ ...settings, ...(quotes ? { quotes } : {}), ...(options.equityPoints === false ? { equityPoints: false } : {}), ...(options.journal === false ? { journal: false } : {}) }));
      components.push(benchmark(config.benchmark ?? config.symbols[0]!));
    });
  }
  // The statistics compare the account with holding the benchmark (a symbol the run loads).
  // Checked with or without a broker, at its own path: inside the broker's attempt it was
  // reported as "broker.benchmark", and without strategies a typo passed silently.
  if (config.benchmark !== undefined && !config.symbols.includes(config.benchmark)) {
    attempt('benchmark', () => {
      throw ConfigError.at('benchmark', config.benchmark, `one of symbols (${config.symbols.slice(0, 8).join(', ')})`);
    });
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid session config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`, problems);
  }
  return components;
}

/**
 * Refuse an indicator whose output columns (`as`, or `<as>_<output>` for several outputs)
 * collide with a bar column, a store extra column or another indicator's output on the same
 * interval: the later write would silently replace the earlier values (`"as": "close"`
 * replaces the closes strategies trade on; `"as": "end"` breaks only at export). Session-level
 * indicators write session values, not bar columns, so only each other can collide there.
 */
function checkOutputs(resolved: ResolvedIndicator, path: string, reserved: ReadonlySet<string>, taken: Map<string, string>): void {
  const outputs = resolved.definition.outputs.length > 1 ? resolved.definition.outputs.map((o) => `${resolved.as}_${o}`) : [resolved.as];
  const session = resolved.definition.scope === 'session';
  for (const output of outputs) {
    const what = output === resolved.as ? `the column ${JSON.stringify(output)}` : `the column ${JSON.stringify(output)} (output ${JSON.stringify(output.slice(resolved.as.length + 1))} of ${JSON.stringify(resolved.as)})`;
    if (!session && reserved.has(output)) {
      throw new ConfigError(`${path}.as: ${what} is a bar column`, [{ path: `${path}.as`, value: resolved.as, expected: `a name other than the bar columns (${[...reserved].join(', ')})`, message: `${what} is a bar column of ${resolved.interval} bars: ${resolved.definition.name} would overwrite it; choose another "as"` }]);
    }
    const other = taken.get(`${resolved.interval}/${output}`);
    if (other !== undefined) {
      throw new ConfigError(`${path}.as: ${what} is written by ${other}`, [{ path: `${path}.as`, value: resolved.as, expected: `a name not used by another indicator on ${resolved.interval}`, message: `${what} on ${resolved.interval} is already written by ${other}; choose another "as"` }]);
    }
  }
  for (const output of outputs) taken.set(`${resolved.interval}/${output}`, `${path} (${resolved.definition.name})`);
}

/**
 * Run checks that may throw a ConfigError, collecting their problems instead of stopping at
 * the first, so one config reports everything wrong with it at once.
 */
function problemCollector(): { problems: ConfigProblem[]; attempt: <T>(path: string, make: () => T) => T | undefined } {
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
  return { problems, attempt };
}

/** A config entry names a registered item or a module of the user's, never both. */
function checkOneSource(spec: { readonly name?: string | undefined; readonly module?: string | undefined; readonly export?: string | undefined }, path: string, what: string): true {
  if ((spec.name === undefined) === (spec.module === undefined)) throw ConfigError.at(path, spec, `exactly one of "name" (a registered ${what}) or "module" (a file of yours)`);
  if (spec.export !== undefined && spec.module === undefined) throw ConfigError.at(`${path}.export`, spec.export, 'no "export" without "module"');
  return true;
}

/** How a module's item is named before it is loaded: its export, else the file's base name. */
const moduleLabel = (spec: { readonly module: string; readonly export?: string | undefined }): string => spec.export ?? basename(spec.module, extname(spec.module));

const isIndicatorDefinition = (value: unknown): value is IndicatorDefinition =>
  typeof value === 'object' && value !== null && (value as Partial<IndicatorDefinition>).kind === 'indicator' && typeof (value as Partial<IndicatorDefinition>).create === 'function' && typeof (value as Partial<IndicatorDefinition>).warmup === 'function';

const isScannerDefinition = (value: unknown): value is ScannerDefinition =>
  typeof value === 'object' && value !== null && (value as Partial<ScannerDefinition>).kind === 'scanner' && typeof (value as Partial<ScannerDefinition>).create === 'function';

/** The base interval of the config's streams (the smallest). */
function derivedBase(config: SessionConfig): string {
  return config.streams.map((s) => parseInterval(s)).sort((a, b) => a.ms - b.ms)[0]!.name;
}

/** `name`, or `name#2`, `name#3`, … when a component already has it (a strategy used twice). */
function uniqueName(name: string, components: readonly SessionComponent[]): string {
  const taken = new Set(components.map((c) => c.name));
  if (!taken.has(name)) return name;
  let n = 2;
  while (taken.has(`${name}#${n}`)) n++;
  return `${name}#${n}`;
}
