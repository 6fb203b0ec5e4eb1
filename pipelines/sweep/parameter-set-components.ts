import { asJson } from '../../lib/session/as-json.ts';
import type { Json, SessionComponent, SessionContext, TableRows } from '../../lib/session/component.ts';

/** What one of a set's components ended its day with (see parameterSetComponents' `onEnd`). */
export interface SetComponentDay {
  /** The component's own name (without the set's prefix). */
  readonly name: string;
  /** Its report, checked as the run checks reports; undefined when it has none. */
  readonly report: Json | undefined;
  /** Its tables (those asked for), by their own names. */
  readonly tables: Readonly<Record<string, TableRows>>;
}

/** Options of {@link parameterSetComponents}. */
export interface ParameterSetOptions {
  /** Only these of the components' tables are read (a sweep's statistics read the trades). */
  readonly tables?: readonly string[];
  /**
   * Hand each component's report and tables here at the end of every day instead of to the
   * run's day result (which then holds none of the set's). A sweep reads them for the set's
   * statistics only: with hundreds of sets, filing and then sorting out every set's reports
   * and tables was a tenth of its time.
   */
  readonly onEnd?: (day: SetComponentDay) => void;
}

/**
 * The components of one parameter set (its broker and strategies), renamed `prefix` + name so
 * several sets run side by side in one day: each set's reports, carry and tables are keyed
 * by its own names (`set3/broker`, table `set3/fills`), and `ctx.component(name)` finds the
 * set's own component first (as it is, unwrapped), so its strategies trade through its own broker. What the
 * components share with the run (their `uses`: indicators) keeps its keys, so the sets of a
 * batch compute each indicator once. With `tables`, only those of the components' tables
 * are recorded; with `onEnd`, reports and tables go there instead of into the day's result.
 *
 * @example
 * ```ts
 * createBacktest(config, { components: [...shared, ...parameterSetComponents('set0/', [broker(), strategyA]), ...parameterSetComponents('set1/', [broker(), strategyB])] });
 * ```
 */
export function parameterSetComponents(prefix: string, components: readonly SessionComponent[], options: ParameterSetOptions = {}): SessionComponent[] {
  const keep = options.tables;
  const onEnd = options.onEnd;
  const own = new Map(components.map((c) => [c.name, c]));
  // One context per component and day: components key their day's state by the object they get.
  const views = new WeakMap<SessionContext, SessionContext>();
  const inSet = (ctx: SessionContext): SessionContext => {
    let view = views.get(ctx);
    // The set's own component itself (a strategy asks its broker for the day's account), else the run's.
    if (!view) views.set(ctx, (view = { ...ctx, component: (name) => own.get(name) ?? ctx.component(name) }));
    return view;
  };
  // Only the tables asked for are read: a table may be made when read (the broker's equity rows).
  const tablesOf = (c: SessionComponent, ctx: SessionContext): Record<string, TableRows> => {
    const made = c.tables?.(ctx) ?? {};
    const names = keep ? keep.filter((name) => name in made) : Object.keys(made);
    const out: Record<string, TableRows> = {};
    for (const name of names) out[name] = made[name]!;
    return out;
  };
  return components.map((c): SessionComponent => {
    const name = `${prefix}${c.name}`;
    // Where the day's report and tables go: to the run's day result under the set's names,
    // or with `onEnd` there, from report() (called by the run in Phase 4 after every
    // component's onSessionEnd), so the run files nothing of the set's.
    const outputs: Pick<SessionComponent, 'report' | 'tables'> = onEnd
      ? {
          report: (ctx) => {
            const view = inSet(ctx);
            const made = c.report?.(view);
            onEnd({ name: c.name, report: made === undefined ? undefined : asJson(made, `${name}.report()`, ctx.session.date, c.freshReport === true), tables: tablesOf(c, view) });
            return undefined;
          },
        }
      : {
          report: (ctx) => c.report?.(inSet(ctx)),
          tables: (ctx) => {
            const made = tablesOf(c, inSet(ctx));
            return Object.fromEntries(Object.keys(made).map((table) => [`${prefix}${table}`, made[table]!]));
          },
        };
    return {
      name,
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
      ...outputs,
      carry: (ctx) => c.carry?.(inSet(ctx)),
    };
  });
}
