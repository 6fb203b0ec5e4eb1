import type { Subscription, TeardownLogic } from 'rxjs';
import type { Session } from '../calendar/types.ts';
import type { HistoryRequirement, RunPlan } from '../config/plan-run.ts';
import type { ScanView } from './scan-view.ts';
import type { SessionData } from './session-data.ts';
import type { SlicePipeline } from './time-slice.ts';

/** A JSON value: what a component may report and carry (it must survive `JSON.stringify`). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * What a stage needs from the run, declared up front so the plan is derived from the stages
 * (DESIGN §7) instead of side channels: trailing history for warm-ups, the intervals it reads,
 * the columns it writes, the instants it must run at.
 */
export interface StageNeeds {
  /** Closed bars it needs before the open (an indicator's warm-up). */
  readonly history?: readonly HistoryRequirement[];
  /** Stream intervals it reads (checked against the config's streams at planning). */
  readonly intervals?: readonly string[];
  /** Columns it writes into SessionData, `interval/name` (for printing the pipeline). */
  readonly columns?: readonly string[];
  /**
   * When it runs: `"pre"` (Phase 2, before the open), exchange times `"HH:MM"`, repeats
   * `"every 15m"` from the open, or offsets `"open+5m"`/`"close-10m"`. Every instant is a
   * tick of the day, in data-driven and clock-driven mode alike.
   */
  readonly schedule?: readonly string[];
}

/**
 * A stage several components may need, such as an indicator a strategy computes for itself:
 * the run computes it once per tick for every component that declares the same `key`,
 * placed just before the first of them. Two strategies (or the parameter sets of a sweep)
 * reading `5m/ema_9` share one EMA instead of each writing the column again.
 */
export interface SharedStage {
  /** What makes two declarations the same computation: definition, parameters, input, interval and column. */
  readonly key: string;
  /** The columns it writes, `interval/name`: shared stages with different keys must not write the same one. */
  readonly columns: readonly string[];
  /** How it is named in stage errors and listings (e.g. `indicator:5m/ema_9`). */
  readonly name: string;
  stage(): SlicePipeline;
}

/** A symbol joining the day: from a pre-session scan (at the open) or mid-session (at T). */
export interface SymbolAddition {
  readonly symbol: string;
  /** The instant of the scan that asked for it (the open for a pre-session scan). */
  readonly time: number;
  /** Who asked (a scanner's name, or `'code'`). */
  readonly by: string;
  readonly score?: number;
  readonly reason?: string;
  /**
   * `'added'`: loaded, caught up and live from the next tick; `'present'`: already in the day
   * (a no-op; a dropped symbol is made active again); `'unavailable'`: the store has no data
   * for it today (`detail` says why) — recorded, not fatal.
   */
  readonly status: 'added' | 'present' | 'unavailable';
  readonly detail?: string;
}

/** A symbol leaving the day: strategies stop seeing it; its data stays for analysis. */
export interface SymbolDrop {
  readonly symbol: string;
  readonly time: number;
  readonly by: string;
  readonly reason?: string;
  /** `'dropped'`, or `'absent'` when the symbol was not active in the day. */
  readonly status: 'dropped' | 'absent';
}

/** Who asks for a change of the day's symbols, and why. */
export interface SymbolRequest {
  readonly by?: string;
  readonly score?: number;
  readonly reason?: string;
}

/** The day's operations that change what it trades (scanners use them). */
export interface DayOperations {
  /**
   * Add `symbol` to the day at the current instant, exactly like a configured symbol
   * (history, warmed indicators, today's bars): in Phase 2 it joins at the open; in Phase 3
   * its bars with `end <= T` are replayed into SessionData and the indicators without any
   * strategy seeing them, and it joins the live drain at the next tick.
   */
  addSymbol(symbol: string, request?: SymbolRequest): Promise<SymbolAddition>;
  /**
   * {@link addSymbol} for several symbols: loaded in parallel, registered and recorded in the
   * given order (results do not depend on which load finishes first).
   */
  addSymbols(requests: ReadonlyArray<SymbolRequest & { readonly symbol: string }>): Promise<SymbolAddition[]>;
  /** Stop `symbol` reaching strategies from now on; its data stays. */
  dropSymbol(symbol: string, request?: SymbolRequest): SymbolDrop;
  /**
   * What a scan may read now, as of one instant (the open before it, the current tick
   * during the session), over `universe`. Valid until the scan ends.
   */
  scanView(universe: readonly string[]): ScanView;
  /** Whether `symbol` is in the day and not dropped. */
  isActive(symbol: string): boolean;
  /** The symbols strategies see now, in registration order. */
  activeSymbols(): string[];
  /** The instant the day is at: the open in Phase 2, the tick being processed in Phase 3. */
  readonly now: number;
}

/**
 * What a component sees of its trading day. The same object is passed to every hook of one
 * component on one day, so per-day state can be kept in a `WeakMap` keyed by it.
 */
export interface SessionContext {
  readonly session: Session;
  readonly data: SessionData;
  readonly plan: RunPlan;
  /** The day's SessionScope: teardown added here runs at the start of the next day. */
  readonly scope: Subscription;
  /** 0-based index of the day among the plan's sessions (a resumed run keeps the full run's index). */
  readonly dayIndex: number;
  /** Whether this is the run's last session (a strategy may flatten before it). */
  readonly isLastSession: boolean;
  /** What this component's `carry` handed over from the previous day (undefined on the first day or without carry). */
  readonly carried: Json | undefined;
  /** Add and drop symbols (pre-session and mid-session). */
  readonly day: DayOperations;
  /**
   * Another component of the run, by name (a strategy finds its broker here), or undefined.
   * Components reach each other only through this, so what a day is made of stays visible.
   */
  component(name: string): SessionComponent | undefined;
}

/** Rows of a table a component records per day (e.g. the broker's `fills`): plain JSON objects. */
export type TableRows = ReadonlyArray<{ readonly [column: string]: Json }>;

/**
 * One contract for everything that lives per day (DESIGN §7): indicator sets, scanners,
 * strategies and the broker. In Phase 2, after the day's data is loaded and the stages'
 * per-symbol state is warmed, `setup` runs in component order (its teardown joins the day's
 * scope and runs in reverse order at the start of the next day, before SessionData is
 * cleared); the stages run in component order for every slice; in Phase 4
 * `onSessionEnd`, `report` (merged into the day's result under the component's name) and
 * `carry` (the only sanctioned cross-day state: JSON handed to the next day's `setup` as
 * `ctx.carried`, so a run can be resumed from any day boundary).
 *
 * @example
 * ```ts
 * const counter: SessionComponent = {
 *   name: 'tick-counter',
 *   stage: () => tap(() => ticks++),
 *   report: () => ({ ticks }),
 *   carry: (ctx) => ({ total: ((ctx.carried as { total?: number } | undefined)?.total ?? 0) + ticks }),
 * };
 * ```
 */
export interface SessionComponent {
  /** Unique within the run: the key of its report and carry. */
  readonly name: string;
  /**
   * `'indicator'`, `'scanner'`, `'strategy'`, `'broker'`, … (for printing). A `'broker'`'s
   * stage runs before every other stage of the tick (DESIGN §8: orders are matched against
   * the tick's bars before strategies see them), and its setup first.
   */
  readonly kind?: string;
  /**
   * The stage is one of sessionflow's own (derived bars, indicators, quality, the broker, a
   * scanner, a `defineStrategy` strategy), which pass every slice on exactly once: the run
   * does not check its boundaries (StageContract), which costs a hop per stage and tick.
   * Errors from the user code such stages call are named by the stages themselves. Leave it
   * unset for your own operators: then a stage that drops, copies or repeats a slice is named.
   */
  readonly trustedStage?: boolean;
  readonly needs?: StageNeeds;
  /**
   * Stages its own stage reads, shared with the other components of the run that declare
   * the same key (computed once per tick, before the first of them). Their warm-up history
   * belongs in `needs`, like the component's own.
   */
  readonly uses?: readonly SharedStage[];
  /**
   * Asynchronous preparation before the run plans (e.g. importing a user's strategy module),
   * so its `needs` are known when the plan is derived. Called once per run; may be called
   * again (it must then resolve at once).
   */
  prepare?(): Promise<void>;
  /** What the component is, for printing a pipeline (`sessionflow validate`) and `summary.json`. */
  describe?(): { readonly [key: string]: Json };
  /**
   * The component's operator in the day's pipeline (its state lives in the subscription:
   * one subscription is one day). Built before `setup`, at the start of Phase 2.
   */
  stage?(ctx: SessionContext): SlicePipeline | undefined;
  /** Allocate per-day resources once data and indicators are ready; the teardown joins the day's scope. */
  setup?(ctx: SessionContext): TeardownLogic | void;
  /** The session ended; do NOT clear state here (Phase 1 of the next day does). */
  onSessionEnd?(ctx: SessionContext): void;
  /** What the day's result records under the component's name (plain JSON). */
  report?(ctx: SessionContext): Json | undefined;
  /**
   * `report()` returns a new value on every call that the component does not keep or change
   * afterwards: the run then checks it where it is (and drops keys holding undefined, writes
   * −0 as 0) instead of checking a copy. Copying was ~3 % of a sweep, whose day ends with a
   * report from every parameter set's broker. Leave it unset unless that holds.
   */
  readonly freshReport?: boolean;
  /**
   * Detail too large for `summary.json`, as named tables of rows (the broker's `orders`,
   * `fills`, `trades`, `positions`, `equity`): collected per day in `DayResult.tables` and
   * written by `sessionflow run --out` as Parquet and CSV. Table names are unique in a run.
   */
  tables?(ctx: SessionContext): Readonly<Record<string, TableRows>>;
  /** State for the next day's `setup` (`ctx.carried`); plain JSON, checked at the end of each day. */
  carry?(ctx: SessionContext): Json | undefined;
}
