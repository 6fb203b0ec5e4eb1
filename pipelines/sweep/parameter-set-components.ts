import type { SessionComponent, SessionContext } from '../../lib/session/component.ts';

/**
 * The components of one parameter set (its broker and strategies), renamed `prefix` + name so
 * several sets run side by side in one day: each set's reports, carry and tables are keyed
 * by its own names (`set3/broker`, table `set3/fills`), and `ctx.component(name)` finds the
 * set's own component first (as it is, unwrapped), so its strategies trade through its own broker. What the
 * components share with the run (their `uses`: indicators) keeps its keys, so the sets of a
 * batch compute each indicator once. With `tables`, only those of the components' tables
 * are recorded (a sweep's statistics read the trades).
 *
 * @example
 * ```ts
 * createBacktest(config, { components: [...shared, ...parameterSetComponents('set0/', [broker(), strategyA]), ...parameterSetComponents('set1/', [broker(), strategyB])] });
 * ```
 */
export function parameterSetComponents(prefix: string, components: readonly SessionComponent[], options: { readonly tables?: readonly string[] } = {}): SessionComponent[] {
  const keep = options.tables;
  const own = new Map(components.map((c) => [c.name, c]));
  // One context per component and day: components key their day's state by the object they get.
  const views = new WeakMap<SessionContext, SessionContext>();
  const inSet = (ctx: SessionContext): SessionContext => {
    let view = views.get(ctx);
    // The set's own component itself (a strategy asks its broker for the day's account), else the run's.
    if (!view) views.set(ctx, (view = { ...ctx, component: (name) => own.get(name) ?? ctx.component(name) }));
    return view;
  };
  return components.map((c): SessionComponent => {
    const wrapped: SessionComponent = {
      name: `${prefix}${c.name}`,
      // Getters: a module strategy knows these once prepare() loaded it.
      get kind() {
        return c.kind;
      },
      get trustedStage() {
        return c.trustedStage;
      },
      get freshReport() {
        return c.freshReport;
      },
      get needs() {
        return c.needs;
      },
      get uses() {
        return c.uses;
      },
      ...(c.prepare ? { prepare: () => c.prepare!() } : {}),
      ...(c.describe ? { describe: () => c.describe!() } : {}),
      stage: (ctx) => c.stage?.(inSet(ctx)),
      setup: (ctx) => c.setup?.(inSet(ctx)),
      onSessionEnd: (ctx) => c.onSessionEnd?.(inSet(ctx)),
      report: (ctx) => c.report?.(inSet(ctx)),
      tables: (ctx) => {
        const made = c.tables?.(inSet(ctx)) ?? {};
        // Only the tables asked for are read: a table may be made when read (the broker's equity rows).
        const names = keep ? keep.filter((name) => name in made) : Object.keys(made);
        return Object.fromEntries(names.map((name) => [`${prefix}${name}`, made[name]!]));
      },
      carry: (ctx) => c.carry?.(inSet(ctx)),
    };
    return wrapped;
  });
}
