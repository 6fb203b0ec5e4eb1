import type { Broker, FillBar } from '../../lib/execution/broker.ts';
import type { Order, OrderRequest, OrderSide, OrderSize } from '../../lib/execution/order-types.ts';
import type { PositionView } from '../../lib/execution/portfolio.ts';
import { validateParams, type ParamSpecs } from '../../lib/config/validate-params.ts';
import { ConfigError, namedBy } from '../../lib/errors.ts';
import type { Bar, BarSeries } from '../../lib/session/bar-series.ts';
import type { SymbolData } from '../../lib/session/session-data.ts';
import type { Json, SessionComponent, SessionContext, StageNeeds } from '../../lib/session/component.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';
import type { TickBars } from '../../lib/session/tick-bars.ts';
import type { Subscriber } from 'rxjs';
import { isBrokerComponent } from '../execution/broker.ts';
import { readTickBar } from '../internal/read-tick-bar.ts';
import { sliceOperator } from '../internal/slice-operator.ts';
import { registeredIndicator, type ResolvedIndicator } from '../indicators/registered-indicator.ts';
import type { StrategyDefinition } from './strategy-registry.ts';

/**
 * A closed bar as `onBar` receives it. One object per strategy and day, refilled for every
 * bar (no allocation per bar, DESIGN §3): read it during the call, copy it (`{ ...bar }`) to keep it.
 */
export interface StrategyBar extends Omit<Bar, 'partial'> {
  readonly symbol: string;
  readonly interval: string;
}

/** Order options beyond symbol, side and size (see {@link OrderRequest}). */
export type OrderOptions = Omit<OrderRequest, 'symbol' | 'side' | 'size'>;

/**
 * What a strategy's hooks see: the session, the data as of now, the account, and the order
 * methods. Orders placed at tick T fill on bars starting at or after T (DESIGN §8).
 */
export interface StrategyContext<P, S> {
  readonly params: P;
  /** What `setup` returned for this day. */
  readonly state: S;
  /** The current instant: the tick, the open in `onSessionStart`, the close in `onSessionEnd`. */
  readonly time: number;
  readonly session: { readonly date: string; readonly open: number; readonly close: number; readonly earlyClose: boolean; readonly isLastSession: boolean };
  /** Symbols strategies see now (scanner-dropped ones excluded). */
  symbols(): string[];
  /** The latest closed bar of `symbol` at `interval` (default: the strategy's), or undefined. */
  bar(symbol: string, interval?: string): StrategyBar | undefined;
  /**
   * An indicator column's value `ago` bars back (0 = the latest closed bar) at `interval`,
   * reaching into the trailing history at the start of the day; NaN while warming up.
   */
  indicator(symbol: string, name: string, options?: { readonly interval?: string; readonly ago?: number }): number;
  /**
   * Whether column `a` crossed column `b` at the latest closed bar of `symbol`: 1 when it
   * crossed above (`a - b` went from <= 0 to > 0), -1 when it crossed below (from >= 0 to
   * < 0), 0 otherwise or while either is warming up. The bar before the day's first is the
   * history's last, so a cross at the open counts.
   */
  cross(symbol: string, a: string, b: string, options?: { readonly interval?: string }): -1 | 0 | 1;
  /** Today's series of `symbol` at `interval` (columns, indicator values). */
  series(symbol: string, interval?: string): BarSeries | undefined;
  position(symbol: string): PositionView;
  readonly cash: number;
  readonly equity: number;
  openOrders(symbol?: string): Readonly<Order>[];
  /** Why trading is stopped by a risk rule, or undefined. */
  readonly haltedBy: string | undefined;
  buy(symbol: string, size: number | OrderSize, options?: OrderOptions): Readonly<Order>;
  sell(symbol: string, size: number | OrderSize, options?: OrderOptions): Readonly<Order>;
  /** Trade to a target position: `{ quantity }` units (negative = short) or `{ percent }` of equity. */
  target(symbol: string, target: { readonly quantity: number } | { readonly percent: number }, options?: Pick<OrderOptions, 'type' | 'tif' | 'tag'>): Readonly<Order>;
  order(request: OrderRequest): Readonly<Order>;
  cancel(order: number | Order): boolean;
  /** Cancel every working order (of `symbol`). */
  cancelAll(symbol?: string): number;
  replace(order: number | Order, changes: { readonly limit?: number; readonly stop?: number; readonly shares?: number }): Readonly<Order>;
  /** Close the position(s) with market orders (cancelling their working orders first). */
  flatten(symbol?: string): Readonly<Order>[];
  /** Record a signal in the day's results (no order). */
  signal(symbol: string, side: string, reason?: string, price?: number): void;
}

/**
 * An indicator a strategy computes for itself, by registered name (`sessionflow indicators`
 * lists them): its stage runs before the strategy's hooks, and its warm-up history, interval
 * and column become the strategy's needs, so a config does not list it again.
 */
export interface StrategyIndicator {
  readonly name: string;
  readonly period?: number;
  /** Bars it is computed on (default: the strategy's interval). */
  readonly interval?: string;
  /** Column name (default: the indicator's own, e.g. `ema_9`). */
  readonly as?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** A strategy written as hooks. `params` is a valibot-checked spec, so configs are validated with JSON paths. */
export interface StrategySpec<P extends Record<string, unknown>, S> {
  readonly name: string;
  readonly description?: string;
  /** Parameter specs (valibot schema, default, description), validated with JSON paths. */
  readonly params?: ParamSpecs;
  /** The interval whose closed bars `onBar` receives (default: the `interval` param, else the base interval). */
  readonly interval?: string | ((params: P) => string | undefined);
  /**
   * The indicators it computes itself, from its params (`ctx.indicator` and `ctx.cross` read
   * their columns); their warm-up and columns are added to its needs. May throw a ConfigError
   * for params that do not fit together.
   */
  readonly indicators?: (params: P) => readonly StrategyIndicator[];
  /** What else it needs from the run (history, intervals), derived from its params; may throw a ConfigError for params that do not fit together. */
  readonly needs?: (params: P) => StageNeeds;
  /** Stages of its own, run after its `indicators` and before its hooks at every slice. */
  readonly pipeline?: (params: P) => SlicePipeline;
  /** The broker component it trades through (default `"broker"`). */
  readonly broker?: string;
  /** Per-day state, made in Phase 2 once indicators are warm (`carried` is what `carry` returned yesterday). */
  readonly setup?: (ctx: StrategyContext<P, undefined> & { readonly carried: Json | undefined }) => S;
  readonly onSessionStart?: (ctx: StrategyContext<P, S>) => void;
  /** Each closed bar of the strategy's interval, per active symbol, in (end, symbol) order. */
  readonly onBar?: (ctx: StrategyContext<P, S>, bar: StrategyBar) => void;
  /** Once per tick, after `onBar`. */
  readonly onSlice?: (ctx: StrategyContext<P, S>, slice: TimeSlice) => void;
  /** Phase 4: orders placed here work from the next session (market-on-open, GTC, day). */
  readonly onSessionEnd?: (ctx: StrategyContext<P, S>) => void;
  /** State for the next day's `setup` (plain JSON). */
  readonly carry?: (ctx: StrategyContext<P, S>) => Json | undefined;
}

/** What {@link defineStrategy} returns: registrable by name, and `create(params)` gives the run's component. */
export interface DefinedStrategy<P extends Record<string, unknown>> extends StrategyDefinition {
  create(params?: Readonly<Record<string, unknown>>, path?: string): SessionComponent;
  /** The params after validation and defaults (throws a ConfigError with JSON paths). */
  parse(params: unknown, path?: string): P;
}

/**
 * Write a strategy as hooks with a typed context — indicator values, the current bar,
 * position, cash, equity, open orders, the session and order methods — instead of an RxJS
 * operator. Register it (`registerStrategy(s)`) to name it in configs, point a config at its
 * file (`{"module": "./breakout.ts"}`), or pass `s.create(params)` as a component. The
 * strategy acts on live ticks only; its orders go to the broker component of the run.
 *
 * @example
 * ```ts
 * export default defineStrategy({
 *   name: 'first-hour-breakout',
 *   params: { shares: { description: 'order size', default: 100, schema: v.number() } },
 *   onBar(ctx, bar) {
 *     if (ctx.position(bar.symbol).quantity === 0 && bar.close > ctx.indicator(bar.symbol, 'high_60')) ctx.buy(bar.symbol, ctx.params.shares, { bracket: { stopLoss: bar.low } });
 *   },
 * });
 * ```
 */
export function defineStrategy<P extends Record<string, unknown> = Record<string, unknown>, S = undefined>(spec: StrategySpec<P, S>): DefinedStrategy<P> {
  if (!spec || typeof spec.name !== 'string' || spec.name === '') throw ConfigError.at('strategy.name', spec?.name, 'a non-empty name');
  const hooks = ['setup', 'onSessionStart', 'onBar', 'onSlice', 'onSessionEnd', 'carry'] as const;
  for (const hook of hooks) if (spec[hook] !== undefined && typeof spec[hook] !== 'function') throw ConfigError.at(`${spec.name}.${hook}`, spec[hook], 'a function');
  if (!spec.onBar && !spec.onSlice && !spec.onSessionStart && !spec.onSessionEnd) throw ConfigError.at(`${spec.name}.onBar`, undefined, 'at least one of onBar, onSlice, onSessionStart, onSessionEnd');
  const specs = spec.params ?? {};
  const parse = (params: unknown, path = 'params'): P => validateParams(specs, params ?? {}, path) as P;
  const defaults: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(specs)) defaults[key] = p.default ?? null;
  return {
    kind: 'strategy',
    name: spec.name,
    description: spec.description ?? '',
    params: defaults,
    parse,
    create(input = {}, path = 'params') {
      const params = parse(input, path);
      return strategyComponent(spec, params);
    },
  };
}

/** The strategy's own indicators, resolved (and validated) when it is created. */
function ownIndicators<P extends Record<string, unknown>, S>(spec: StrategySpec<P, S>, params: P, interval: string | undefined): ResolvedIndicator[] {
  return (spec.indicators?.(params) ?? []).map((ind, i) => {
    const at = ind.interval ?? interval;
    if (at === undefined) throw ConfigError.at(`${spec.name}.indicators[${i}].interval`, undefined, `the interval ${ind.name} is computed on (the strategy has no interval of its own)`);
    return registeredIndicator(ind.name, ind.period, { interval: at, dailyStream: at === '1d', ...(ind.as ? { as: ind.as } : {}), ...(ind.params ? { params: ind.params } : {}) }, `${spec.name}.indicators[${i}]`);
  });
}

/** Warm-up history, intervals and columns of resolved indicators, as stage needs. */
function indicatorNeeds(strategy: string, indicators: readonly ResolvedIndicator[]): StageNeeds | undefined {
  if (indicators.length === 0) return undefined;
  return {
    history: indicators.map((r) => ({ interval: r.interval, bars: r.warmup, for: `${strategy} ${r.as}` })),
    intervals: indicators.map((r) => r.interval),
    columns: indicators.map((r) => `${r.interval}/${r.as}`),
  };
}

/** Column `name` of `data` at `interval`, `ago` bars back from the latest closed one, reaching into the history; NaN before it. */
function valueAgo(data: SymbolData, series: BarSeries, interval: string, name: string, ago: number): number {
  const row = series.length - 1 - ago;
  if (row >= 0) return series.value(name, row);
  const history = data.history.get(interval);
  const back = history ? history.length + row : -1;
  return history && back >= 0 && history.hasColumn(name) ? history.value(name, back) : NaN;
}

/** The columns an indicator writes, `interval/name` (`<as>_<output>` for each output of several). */
function outputColumns(r: ResolvedIndicator): string[] {
  const outputs = r.definition.outputs.length > 1 ? r.definition.outputs.map((o) => `${r.as}_${o}`) : [r.as];
  return outputs.map((o) => `${r.interval}/${o}`);
}

/** Several needs as one: history and schedules concatenated, intervals and columns without repeats. */
function mergeNeeds(...parts: ReadonlyArray<StageNeeds | undefined>): StageNeeds | undefined {
  const present = parts.filter((p): p is StageNeeds => p !== undefined);
  if (present.length === 0) return undefined;
  const merged: { -readonly [K in keyof StageNeeds]: StageNeeds[K] } = {};
  const history = present.flatMap((p) => p.history ?? []);
  const intervals = [...new Set(present.flatMap((p) => p.intervals ?? []))];
  const columns = [...new Set(present.flatMap((p) => p.columns ?? []))];
  const schedule = present.flatMap((p) => p.schedule ?? []);
  if (history.length > 0) merged.history = history;
  if (intervals.length > 0) merged.intervals = intervals;
  if (columns.length > 0) merged.columns = columns;
  if (schedule.length > 0) merged.schedule = schedule;
  return merged;
}

/** The component of one configured strategy. */
function strategyComponent<P extends Record<string, unknown>, S>(spec: StrategySpec<P, S>, params: P): SessionComponent {
  const brokerName = spec.broker ?? 'broker';
  const configured = typeof spec.interval === 'function' ? spec.interval(params) : (spec.interval ?? (typeof params.interval === 'string' ? params.interval : undefined));
  const days = new WeakMap<SessionContext, { ctx: DayStrategyContext<P, S> }>();
  const indicators = ownIndicators(spec, params, configured);
  const needs = mergeNeeds(spec.needs?.(params), indicatorNeeds(spec.name, indicators), configured ? { intervals: [configured] } : undefined);
  return {
    name: `strategy:${spec.name}`,
    kind: 'strategy',
    // Its hooks pass every slice on; a pipeline of the strategy's own is checked like any user stage.
    ...(spec.pipeline ? {} : { trustedStage: true }),
    ...(needs ? { needs } : {}),
    // Its indicators are computed by the run, once for every strategy reading the same column.
    ...(indicators.length > 0 ? { uses: indicators.map((r) => ({ key: r.key, columns: outputColumns(r), name: `indicator:${r.interval}/${r.as}`, stage: r.stage })) } : {}),
    describe: () => ({ kind: 'strategy', name: spec.name, params: JSON.parse(JSON.stringify(params)) as Json }),
    stage(session) {
      const found = session.component(brokerName);
      if (!isBrokerComponent(found)) throw ConfigError.at(`strategy:${spec.name}.broker`, brokerName, `a broker component named ${JSON.stringify(brokerName)} in the run (add broker() to the components, or a "broker" section to the config)`);
      const account = found.account(session.scope);
      const interval = configured ?? session.plan.base.name;
      const ctx = new DayStrategyContext<P, S>(spec.name, params, session, account, interval);
      days.set(session, { ctx });
      const hooks = sliceOperator(() => new StrategyHooks(spec, ctx, session, interval));
      if (!spec.pipeline) return hooks;
      const own = spec.pipeline(params);
      return (source) => hooks(own(source));
    },
    setup(session) {
      const day = days.get(session);
      if (!day || !spec.setup) return;
      day.ctx.pin(session.session.open);
      // The day's own context with `carried` set, not an object made with it as prototype: a
      // prototype's every later field store is slow (V8 guards prototype chains), and the
      // context is re-pointed at every tick.
      day.ctx.carried = session.carried;
      day.ctx.state = spec.setup(day.ctx as unknown as StrategyContext<P, undefined> & { readonly carried: Json | undefined });
    },
    onSessionEnd(session) {
      const day = days.get(session);
      if (!day) return;
      day.ctx.pin(session.session.close);
      spec.onSessionEnd?.(day.ctx);
    },
    ...(spec.carry
      ? {
          carry(session: SessionContext) {
            const day = days.get(session);
            return day ? spec.carry!(day.ctx) : undefined;
          },
        }
      : {}),
  };
}

/**
 * A strategy's stage for one day: its hooks called at the slices. A class, not a closure per
 * strategy and day, so every strategy and every parameter set of a sweep run the same `next`.
 */
class StrategyHooks<P extends Record<string, unknown>, S> {
  /** One bar object per day, refilled for every bar (DESIGN §3). */
  private readonly current: { -readonly [K in keyof StrategyBar]: StrategyBar[K] };

  constructor(
    private readonly spec: StrategySpec<P, S>,
    private readonly ctx: DayStrategyContext<P, S>,
    private readonly session: SessionContext,
    private readonly interval: string,
  ) {
    this.current = { symbol: '', interval, start: 0, end: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  }

  next(slice: TimeSlice, subscriber: Subscriber<TimeSlice>): void {
    const { spec, ctx } = this;
    if (slice.kind === 'pre') {
      ctx.live();
      try {
        spec.onSessionStart?.(ctx);
      } catch (error) {
        throw namedBy(error, `${spec.name}.onSessionStart`);
      }
      ctx.flushSignals(slice);
    } else if (slice.kind === 'tick') {
      // Nothing is written to the context per tick: its time is the day's (a sweep runs this
      // for every parameter set at every tick).
      if (ctx.pinned) ctx.live();
      const bars = slice.closed.get(this.interval);
      if (bars && spec.onBar) this.bars(bars);
      try {
        spec.onSlice?.(ctx, slice);
      } catch (error) {
        throw namedBy(error, `${spec.name}.onSlice`);
      }
      if (ctx.signalCount > 0) ctx.flushSignals(slice);
    }
    subscriber.next(slice);
  }

  private bars(bars: TickBars): void {
    const { spec, ctx, current } = this;
    const data = this.session.data;
    // Nothing dropped (the usual case): no per-bar lookup.
    const all = data.droppedCount === 0;
    try {
      for (let k = 0; k < bars.count; k++) {
        const symbol = bars.symbol(k);
        if (!all && !data.isActive(symbol)) continue;
        current.symbol = symbol;
        spec.onBar!(ctx, readTickBar(bars, k, current));
      }
    } catch (error) {
      throw namedBy(error, `${spec.name}.onBar at ${new Date(current.end).toISOString()}`, current.symbol);
    }
  }
}

/**
 * An order request with every field present, the tag defaulting to the strategy's name: one
 * shape for every order, so the broker's reads of it stay monomorphic.
 */
function shapedRequest(symbol: string, side: OrderSide | undefined, size: OrderSize, o: OrderOptions, strategy: string): OrderRequest {
  return { symbol, side, size, type: o.type, limit: o.limit, stop: o.stop, trail: o.trail, trailPercent: o.trailPercent, tif: o.tif, tag: o.tag ?? strategy, bracket: o.bracket };
}

/** What `buy`/`sell` read when no options are passed (one object, not one per call). */
const NO_ORDER_OPTIONS: OrderOptions = Object.freeze({});

/** The one context object of a strategy's day, re-pointed at each instant. */
class DayStrategyContext<P, S> implements StrategyContext<P, S> {
  state: S = undefined as S;
  /** What yesterday's `carry` handed over (read by `setup`). */
  carried: Json | undefined = undefined;
  /** Whether {@link time} is the instant {@link pin} set (setup, session end) rather than the day's. */
  pinned = true;
  private pinnedTime: number;
  /** Signals of the hook running now, moved into its slice after it (none outside the slices). */
  private readonly signals: TimeSlice['signals'] = [];
  /** What {@link cross} looked up last (this context lives for one day, as the series do). */
  private crossCache: { symbol: string; interval: string; a: string; b: string; data: SymbolData; series: BarSeries; version: number; colA: Float64Array | undefined; colB: Float64Array | undefined } | undefined;
  readonly session: StrategyContext<P, S>['session'];

  constructor(
    private readonly name: string,
    readonly params: P,
    private readonly day: SessionContext,
    private readonly account: Broker,
    private readonly interval: string,
  ) {
    const s = day.session;
    this.session = { date: s.date, open: s.open, close: s.close, earlyClose: s.earlyClose, isLastSession: day.isLastSession };
    this.pinnedTime = s.open;
  }

  /** The current instant: the day's (its tick, or the open before the first) while live, else the pinned one. */
  get time(): number {
    return this.pinned ? this.pinnedTime : this.day.day.now;
  }

  /** Outside the slices (setup, session end): `time` is `instant`, and signals are not recorded. */
  pin(instant: number): void {
    this.pinned = true;
    this.pinnedTime = instant;
  }

  /** In the slices: `time` follows the day. */
  live(): void {
    this.pinned = false;
  }

  get signalCount(): number {
    return this.signals.length;
  }

  /** Move the signals made since the last call into `slice`. */
  flushSignals(slice: TimeSlice): void {
    for (const signal of this.signals) slice.signals.push(signal);
    this.signals.length = 0;
  }

  symbols(): string[] {
    return this.day.day.activeSymbols();
  }

  series(symbol: string, interval = this.interval): BarSeries | undefined {
    const data = this.day.data.get(symbol);
    return data?.series(interval);
  }

  bar(symbol: string, interval = this.interval): StrategyBar | undefined {
    const series = this.series(symbol, interval);
    const row = series ? series.length - 1 : -1;
    if (!series || row < 0) {
      const history = this.day.data.get(symbol)?.history.get(interval);
      if (!history || history.length === 0) return undefined;
      return this.rowBar(symbol, interval, history, history.length - 1);
    }
    return this.rowBar(symbol, interval, series, row);
  }

  indicator(symbol: string, name: string, options: { readonly interval?: string; readonly ago?: number } = {}): number {
    const interval = options.interval ?? this.interval;
    const data = this.symbolData(symbol);
    const series = data.series(interval);
    const value = valueAgo(data, series, interval, name, options.ago ?? 0);
    // A missing column reads as NaN too: told apart from a warming-up value only then.
    if (Number.isNaN(value)) this.checkColumn(data, series, interval, name);
    return value;
  }

  cross(symbol: string, a: string, b: string, options?: { readonly interval?: string }): -1 | 0 | 1 {
    // Runs per bar for every parameter set of a sweep: the two columns are looked up once and
    // their four values read here (a double returned by a call that is not inlined is boxed).
    const interval = options?.interval ?? this.interval;
    // The lookups of the last call for this symbol and these columns, while the series keeps
    // its arrays (a strategy asks the same question of every bar).
    let hit = this.crossCache;
    if (hit === undefined || hit.symbol !== symbol || hit.interval !== interval || hit.a !== a || hit.b !== b || hit.version !== hit.series.storageVersion) {
      const data = this.symbolData(symbol);
      const series = data.series(interval);
      hit = { symbol, interval, a, b, data, series, version: series.storageVersion, colA: series.existingColumn(a), colB: series.existingColumn(b) };
      // A column not there yet is looked up again next time.
      this.crossCache = hit.colA !== undefined && hit.colB !== undefined ? hit : undefined;
    }
    const { data, series, colA, colB } = hit;
    const row = series.length - 1;
    let now = NaN;
    let before = NaN;
    if (row >= 1) {
      if (colA !== undefined && colB !== undefined) {
        now = colA[row]! - colB[row]!;
        before = colA[row - 1]! - colB[row - 1]!;
      }
    } else {
      // The day's first bars: the one before is the history's last.
      now = valueAgo(data, series, interval, a, 0) - valueAgo(data, series, interval, b, 0);
      before = valueAgo(data, series, interval, a, 1) - valueAgo(data, series, interval, b, 1);
    }
    if (Number.isNaN(now) || Number.isNaN(before)) {
      // A missing column reads as NaN too: told apart from a warm-up only then.
      this.checkColumn(data, series, interval, a);
      this.checkColumn(data, series, interval, b);
      return 0;
    }
    return before <= 0 && now > 0 ? 1 : before >= 0 && now < 0 ? -1 : 0;
  }

  private symbolData(symbol: string): SymbolData {
    const data = this.day.data.get(symbol);
    if (!data) throw ConfigError.at(`${this.name}: indicator symbol`, symbol, `a symbol of the day (${this.day.data.symbols().slice(0, 5).join(', ')}…)`);
    return data;
  }

  private checkColumn(data: SymbolData, series: BarSeries, interval: string, name: string): void {
    if (!series.hasColumn(name) && !data.history.get(interval)?.hasColumn(name)) {
      throw ConfigError.at(`${this.name}: indicator`, name, `a column of ${data.symbol} ${interval} (${series.columnNames().join(', ')})`);
    }
  }

  position(symbol: string): PositionView {
    return this.account.portfolio.view(symbol);
  }

  get cash(): number {
    return this.account.cash;
  }

  get equity(): number {
    return this.account.equity();
  }

  get haltedBy(): string | undefined {
    return this.account.haltedBy;
  }

  openOrders(symbol?: string): Order[] {
    return this.account.openOrders(symbol);
  }

  buy(symbol: string, size: number | OrderSize, options: OrderOptions = NO_ORDER_OPTIONS): Readonly<Order> {
    return this.place(symbol, 'buy', size, options);
  }

  sell(symbol: string, size: number | OrderSize, options: OrderOptions = NO_ORDER_OPTIONS): Readonly<Order> {
    return this.place(symbol, 'sell', size, options);
  }

  target(symbol: string, target: { readonly quantity: number } | { readonly percent: number }, options: Pick<OrderOptions, 'type' | 'tif' | 'tag'> = NO_ORDER_OPTIONS): Readonly<Order> {
    const size: OrderSize = 'quantity' in target ? { targetQuantity: target.quantity } : { targetPercent: target.percent };
    return this.send(shapedRequest(symbol, undefined, size, options, this.name));
  }

  order(request: OrderRequest): Readonly<Order> {
    const r = request ?? ({} as OrderRequest);
    return this.send(shapedRequest(r.symbol, r.side, r.size, r, this.name));
  }

  cancel(order: number | Order): boolean {
    return this.account.cancel(typeof order === 'number' ? order : order.id, this.time);
  }

  cancelAll(symbol?: string): number {
    let n = 0;
    for (const o of this.account.openOrders(symbol)) if (this.account.cancel(o.id, this.time)) n++;
    return n;
  }

  replace(order: number | Order, changes: { readonly limit?: number; readonly stop?: number; readonly shares?: number }): Readonly<Order> {
    return this.account.replace(typeof order === 'number' ? order : order.id, changes, this.time);
  }

  flatten(symbol?: string): Order[] {
    const symbols = symbol === undefined ? this.account.portfolio.openSymbols() : [symbol];
    const out: Order[] = [];
    for (const s of symbols) {
      this.cancelAll(s);
      const q = this.account.portfolio.quantity(s);
      if (q !== 0) out.push(this.order({ symbol: s, side: q > 0 ? 'sell' : 'buy', size: { shares: Math.abs(q) }, tag: `${this.name}:flatten` }));
    }
    return out;
  }

  signal(symbol: string, side: string, reason?: string, price?: number): void {
    if (this.pinned) return;
    this.signals.push({ time: this.time, symbol, side, strategy: this.name, ...(price !== undefined ? { price } : {}), ...(reason ? { reason } : {}) });
  }

  private place(symbol: string, side: OrderSide, size: number | OrderSize, o: OrderOptions): Readonly<Order> {
    // The request made once, in its final shape (a strategy may place an order on every bar).
    return this.send(shapedRequest(symbol, side, typeof size === 'number' ? { shares: size } : size, o, this.name));
  }

  /** Submit a request made by {@link shapedRequest}. */
  private send(shaped: OrderRequest): Readonly<Order> {
    const symbol = shaped.symbol;
    if (!this.day.data.has(symbol)) throw ConfigError.at(`${this.name}: order.symbol`, symbol, `a symbol of the day ${this.day.session.date} (${this.day.data.symbols().slice(0, 8).join(', ')})`);
    const signalBar = this.account.options.tradeOnClose ? this.signalBar(symbol) : undefined;
    // A trailing stop starts from the last close (others need no reference price).
    const trailing = shaped.type === 'trailing-stop' || (shaped.type === undefined && (shaped.trail !== undefined || shaped.trailPercent !== undefined));
    const last = trailing ? this.day.data.get(symbol)?.series(this.day.plan.base.name) : undefined;
    const reference = last && last.length > 0 ? last.close[last.length - 1] : undefined;
    return this.account.submit(shaped, this.time, signalBar || reference !== undefined ? { signalBar, reference } : undefined);
  }

  private rowBar(symbol: string, interval: string, series: BarSeries, row: number): StrategyBar {
    return { symbol, interval, start: series.start[row]!, end: series.end[row]!, open: series.open[row]!, high: series.high[row]!, low: series.low[row]!, close: series.close[row]!, volume: series.volume[row]! };
  }

  /** The base bar of `symbol` that ended now (trade on close fills at its close). */
  private signalBar(symbol: string): FillBar | undefined {
    const series = this.day.data.get(symbol)?.series(this.day.plan.base.name);
    const row = series ? series.length - 1 : -1;
    if (!series || row < 0 || series.end[row] !== this.time) return undefined;
    return { start: series.start[row]!, end: series.end[row]!, open: series.open[row]!, high: series.high[row]!, low: series.low[row]!, close: series.close[row]!, volume: series.volume[row]!, bid: NaN, ask: NaN };
  }
}
