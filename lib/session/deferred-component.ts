import { LifecycleError } from '../errors.ts';
import type { SessionComponent, SessionContext, SharedStage, StageNeeds } from './component.ts';

/**
 * A component whose implementation is made asynchronously — typically from a module of the
 * user's that must be imported first. `load` runs once, from `prepare()`, which a run calls
 * for every component before planning: so the loaded component's `needs` (warm-up history,
 * intervals) reach the plan, and `sessionflow validate` reports a bad module. Every hook
 * delegates to the loaded component; using one before `prepare()` is a LifecycleError.
 *
 * @example
 * ```ts
 * const c = deferredComponent('strategy:breakout', 'strategy', async () => makeStrategy(await import('./breakout.js')));
 * await c.prepare?.();
 * ```
 */
export function deferredComponent(name: string, kind: string, load: () => Promise<SessionComponent>, describe: () => { readonly [key: string]: string } = () => ({})): SessionComponent {
  let inner: SessionComponent | undefined;
  let loading: Promise<void> | undefined;
  const loaded = (): SessionComponent => {
    if (!inner) throw new LifecycleError(`${name} was not prepared (a run prepares every component before its first day)`, { phase: 'init' });
    return inner;
  };
  return {
    name,
    kind,
    // A getter: the needs are known once the module is loaded.
    get needs(): StageNeeds | undefined {
      return inner?.needs;
    },
    // Read by the run after prepare(), like the needs: a strategy module's own indicators.
    get uses(): readonly SharedStage[] | undefined {
      return inner?.uses;
    },
    get trustedStage(): boolean | undefined {
      return inner?.trustedStage;
    },
    get freshReport(): boolean | undefined {
      return inner?.freshReport;
    },
    prepare: () =>
      (loading ??= load().then((made) => {
        inner = made;
        return made.prepare?.();
      })),
    describe: () => ({ ...(inner?.describe?.() ?? {}), ...describe() }),
    stage: (ctx: SessionContext) => loaded().stage?.(ctx),
    setup: (ctx: SessionContext) => loaded().setup?.(ctx),
    onSessionEnd: (ctx: SessionContext) => loaded().onSessionEnd?.(ctx),
    report: (ctx: SessionContext) => loaded().report?.(ctx),
    tables: (ctx: SessionContext) => loaded().tables?.(ctx) ?? {},
    carry: (ctx: SessionContext) => loaded().carry?.(ctx),
  };
}
