import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, LifecycleError } from '../lib/errors.ts';
import type { SessionComponent, SessionContext, StageNeeds } from '../lib/session/component.ts';
import type { StrategyDefinition } from '../operators/strategies/strategy-registry.ts';

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
  let inner: SessionComponent | undefined;
  let loading: Promise<void> | undefined;
  const loaded = (): SessionComponent => {
    if (!inner) throw new LifecycleError(`${path}: the strategy module ${spec.module} was not loaded (the run prepares components before the first day)`, { phase: 'init' });
    return inner;
  };
  const load = async (): Promise<void> => {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(spec.module).href)) as Record<string, unknown>;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ConfigError(`${path}.module: cannot load ${spec.module}: ${reason}`, [{ path: `${path}.module`, value: spec.module, message: `cannot load: ${reason}` }]);
    }
    const key = spec.export ?? 'default';
    const definition = mod[key] as Partial<StrategyDefinition> | undefined;
    if (!definition || definition.kind !== 'strategy' || typeof definition.create !== 'function') {
      const exports = Object.keys(mod).join(', ') || 'none';
      throw ConfigError.at(`${path}.${spec.export ? 'export' : 'module'}`, spec.export ?? spec.module, `a module whose ${spec.export ? `export "${spec.export}"` : 'default export'} is a strategy made with defineStrategy (exports: ${exports})`);
    }
    const made = definition.create(spec.params ?? {}, `${path}.params`);
    inner = typeof made === 'function' ? { name: `strategy:${definition.name ?? label}`, kind: 'strategy', stage: () => definition.create!(spec.params ?? {}, `${path}.params`) as ReturnType<SessionComponent['stage'] & object> } : made;
  };
  return {
    name: name ?? `strategy:${label}`,
    kind: 'strategy',
    get needs(): StageNeeds | undefined {
      return inner?.needs;
    },
    prepare: () => (loading ??= load()),
    describe: () => ({ ...(inner?.describe?.() ?? {}), module: spec.module }),
    stage: (ctx: SessionContext) => loaded().stage?.(ctx),
    setup: (ctx: SessionContext) => loaded().setup?.(ctx),
    onSessionEnd: (ctx: SessionContext) => loaded().onSessionEnd?.(ctx),
    report: (ctx: SessionContext) => loaded().report?.(ctx),
    tables: (ctx: SessionContext) => loaded().tables?.(ctx) ?? {},
    carry: (ctx: SessionContext) => loaded().carry?.(ctx),
  };
}
