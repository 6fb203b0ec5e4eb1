import { basename, extname } from 'node:path';
import { ConfigError } from '../lib/errors.ts';
import type { SessionComponent } from '../lib/session/component.ts';
import { deferredComponent } from '../lib/session/deferred-component.ts';
import type { SlicePipeline } from '../lib/session/time-slice.ts';
import type { StrategyDefinition } from '../operators/strategies/strategy-registry.ts';
import { importUserModule, userExport } from './import-user-module.ts';

/** Where a config's module strategy is: `strategies[i]` with `module` (resolved), optional `export`, `params`. */
export interface StrategyModuleSpec {
  readonly module: string;
  readonly export?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * A strategy from the user's own file, as a component: the module is imported when the run
 * prepares (before planning, so its warm-up needs reach the plan and `sessionflow validate`
 * reports its problems), and its default export — or the named `export` — must be a
 * strategy made with `defineStrategy` (or any registrable strategy definition). Its params
 * are validated with JSON paths under `path`. The CLI runs TypeScript modules too.
 *
 * @example
 * ```ts
 * const c = strategyFromModule({ module: '/abs/strategies/breakout.ts', params: { shares: 10 } }, 'strategies[0]');
 * await c.prepare?.();
 * ```
 */
export function strategyFromModule(spec: StrategyModuleSpec, path: string, name?: string): SessionComponent {
  const label = spec.export ?? basename(spec.module, extname(spec.module));
  return deferredComponent(
    name ?? `strategy:${label}`,
    'strategy',
    async () => {
      const mod = await importUserModule(spec.module, `${path}.module`);
      const definition = userExport(mod, spec, path, 'a strategy made with defineStrategy', isStrategy);
      let made: ReturnType<StrategyDefinition['create']>;
      try {
        made = definition.create(spec.params ?? {}, `${path}.params`);
      } catch (error) {
        // A strategy's own checks (params that do not fit together) name paths relative to
        // its entry ("params.fast"): anchor them at the config's ("strategies[0].params.fast").
        if (!(error instanceof ConfigError)) throw error;
        const anchor = (p: string): string => (p.startsWith(path) ? p : `${path}.${p}`);
        const problems = (error.problems.length > 0 ? error.problems : [{ path: '', message: error.message }]).map((p) => ({ ...p, path: anchor(p.path) }));
        throw new ConfigError(problems.map((p) => `${p.path}: ${p.message}`).join('\n'), problems);
      }
      return typeof made === 'function' ? { name: `strategy:${definition.name ?? label}`, kind: 'strategy', stage: () => definition.create(spec.params ?? {}, `${path}.params`) as SlicePipeline } : made;
    },
    () => ({ module: spec.module }),
  );
}

const isStrategy = (value: unknown): value is StrategyDefinition => typeof value === 'object' && value !== null && (value as Partial<StrategyDefinition>).kind === 'strategy' && typeof (value as Partial<StrategyDefinition>).create === 'function';
