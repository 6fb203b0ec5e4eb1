/**
 * Broker invariants over random inputs (fast-check): random 1-minute bar paths with
 * `low <= open,close <= high` (and missing minutes) for three symbols with different
 * instruments, random order streams of every type, size, time in force and bracket, random
 * costs, caps and risk limits, over two sessions joined by a JSON carry. Checked:
 * (a) after every tick and at the close, equity = cash + Σ position values, both recomputed
 *     here from `day.fills` alone;
 * (b) every fill's rule price lies within its bar's [low, high] (slippage is the only way out);
 * (c) no fill is on a bar starting before its order's submission;
 * (d) the same inputs give deep-equal day records and carry, and resuming day 2 from the
 *     JSON carry gives the same day 2 as running on; a volume cap holds per order and bar.
 */
import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import { Broker, type BrokerCarry, type BrokerDay, type BrokerOptions, type BrokerSession, type FillBar } from '../../lib/execution/broker.ts';
import type { OrderRequest, OrderSize, OrderType, TimeInForce } from '../../lib/execution/order-types.ts';
import { DAY, MIN, OPEN } from './broker-fixtures.ts';

const SYMBOLS = ['AAA', 'BBB', 'CCC'] as const;
type Sym = (typeof SYMBOLS)[number];
/** AAA a plain stock, BBB fractional, CCC with a multiplier of 10 in lots of 10. */
const INSTRUMENTS = { BBB: { fractional: true }, CCC: { multiplier: 10, lotSize: 10 } } as const;
const MULTIPLIER: Record<Sym, number> = { AAA: 1, BBB: 1, CCC: 10 };
const LOT: Record<Sym, number> = { AAA: 1, BBB: 1, CCC: 10 };

const round2 = (x: number): number => Math.round(x * 100) / 100;

// Inputs ---------------------------------------------------------------------------------------

interface Step {
  readonly present: boolean;
  readonly gap: number;
  readonly body: number;
  readonly up: number;
  readonly down: number;
  readonly volume: number;
}

// Uniform integers scaled down: fast-check's biased doubles pile onto their bounds (and
// unbiased doubles onto 0), and most bars would be flat or missing.
const bp = (min: number, max: number): fc.Arbitrary<number> => fc.noBias(fc.integer({ min, max })).map((x) => x / 10_000);
const stepArb: fc.Arbitrary<Step> = fc.record({
  present: fc.noBias(fc.integer({ min: 0, max: 99 })).map((p) => p >= 15),
  gap: bp(-60, 60),
  body: bp(-100, 100),
  up: bp(0, 150),
  down: bp(0, 150),
  volume: fc.noBias(fc.integer({ min: 0, max: 5_000 })),
});

interface OrderSeed {
  readonly sym: number;
  readonly buy: boolean;
  readonly type: OrderType;
  readonly size: { readonly kind: 'shares' | 'equityFraction' | 'cashFraction' | 'targetQuantity' | 'targetPercent'; readonly n: number; readonly f: number };
  readonly off1: number;
  readonly off2: number;
  readonly trail: number;
  readonly trailPercent: boolean;
  readonly tif: TimeInForce;
  readonly bracket: { readonly sl: number; readonly tp: number; readonly which: 'both' | 'sl' | 'tp' } | undefined;
}

const seedArb: fc.Arbitrary<OrderSeed> = fc.record({
  sym: fc.integer({ min: 0, max: SYMBOLS.length - 1 }),
  buy: fc.boolean(),
  type: fc.constantFrom<OrderType>('market', 'limit', 'stop', 'stop-limit', 'trailing-stop', 'market-on-open', 'market-on-close'),
  size: fc.record({
    kind: fc.constantFrom('shares', 'shares', 'equityFraction', 'cashFraction', 'targetQuantity', 'targetPercent'),
    n: fc.integer({ min: 1, max: 60 }),
    f: bp(100, 6_000),
  }),
  off1: bp(-150, 150),
  off2: bp(-150, 150),
  trail: bp(20, 400),
  trailPercent: fc.boolean(),
  tif: fc.constantFrom<TimeInForce>('day', 'gtc', 'ioc'),
  // Bracket prices anywhere around the reference, the wrong side of the entry included.
  bracket: fc.option(fc.record({ sl: bp(-100, 300), tp: bp(-100, 300), which: fc.constantFrom('both', 'sl', 'tp') }), { nil: undefined }),
});

const optionsArb: fc.Arbitrary<BrokerOptions> = fc
  .record({
    commission: fc.constantFrom<BrokerOptions['commission']>({ type: 'none' }, { type: 'per-share', rate: 0.005, minimum: 1, maximumPercent: 0.5 }, { type: 'percent', percent: 0.05 }, { type: 'per-order', amount: 1 }),
    slippage: fc.constantFrom<BrokerOptions['slippage']>({ type: 'none' }, { type: 'none' }, { type: 'bps', bps: 5 }, { type: 'per-share', amount: 0.01 }),
    maxParticipation: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
    cashBuffer: fc.option(fc.double({ min: 0, max: 0.05, noNaN: true }), { nil: undefined }),
    leverage: fc.double({ min: 1, max: 4, noNaN: true }),
    maxDailyLoss: fc.option(fc.double({ min: 0.002, max: 0.05, noNaN: true }), { nil: undefined }),
    maxPositionValue: fc.option(fc.integer({ min: 5_000, max: 200_000 }), { nil: undefined }),
    flattenAtClose: fc.noBias(fc.integer({ min: 0, max: 3 })).map((p) => p === 0),
  })
  .map((o) => ({
    cash: 100_000,
    commission: o.commission,
    slippage: o.slippage,
    instruments: INSTRUMENTS,
    ...(o.maxParticipation !== undefined ? { maxParticipation: o.maxParticipation } : {}),
    ...(o.cashBuffer !== undefined ? { cashBuffer: o.cashBuffer } : {}),
    risk: {
      leverage: o.leverage,
      ...(o.maxDailyLoss !== undefined ? { maxDailyLoss: o.maxDailyLoss } : {}),
      ...(o.maxPositionValue !== undefined ? { maxPositionValue: o.maxPositionValue } : {}),
      ...(o.flattenAtClose ? { flattenAtClose: true } : {}),
    },
  }));

interface DayInput {
  readonly session: BrokerSession;
  /** Per symbol, per minute: the bar or undefined (missing minute). */
  readonly bars: Record<Sym, Array<FillBar | undefined>>;
  /** Index 0: at the open (before any bar); index k: at the end of minute k; the last at the close. */
  readonly orders: OrderSeed[][];
}

interface Scenario {
  readonly options: BrokerOptions;
  readonly days: readonly DayInput[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 4, max: 24 }).chain((minutes) =>
  fc
    .record({
      options: optionsArb,
      bases: fc.tuple(fc.double({ min: 20, max: 200, noNaN: true }), fc.double({ min: 20, max: 200, noNaN: true }), fc.double({ min: 20, max: 200, noNaN: true })),
      paths: fc.array(fc.tuple(fc.array(stepArb, { minLength: minutes, maxLength: minutes }), fc.array(stepArb, { minLength: minutes, maxLength: minutes }), fc.array(stepArb, { minLength: minutes, maxLength: minutes })), { minLength: 2, maxLength: 2 }),
      orders: fc.array(fc.array(fc.array(seedArb, { maxLength: 3 }), { minLength: minutes + 1, maxLength: minutes + 1 }), { minLength: 2, maxLength: 2 }),
    })
    .map(({ options, bases, paths, orders }) => {
      const last: Record<Sym, number> = { AAA: round2(bases[0]), BBB: round2(bases[1]), CCC: round2(bases[2]) };
      const days = paths.map((path, d): DayInput => {
        const open = OPEN + d * DAY;
        const session: BrokerSession = { date: `2024-01-0${2 + d}`, open, close: open + minutes * MIN };
        const bars = {} as Record<Sym, Array<FillBar | undefined>>;
        SYMBOLS.forEach((sym, s) => {
          bars[sym] = path[s]!.map((step, i) => {
            const o = round2(last[sym] * (1 + step.gap));
            const c = round2(o * (1 + step.body));
            const high = Math.ceil(Math.max(o, c) * (1 + step.up) * 100) / 100;
            const low = Math.floor(Math.min(o, c) * (1 - step.down) * 100) / 100;
            last[sym] = c;
            if (!step.present) return undefined;
            const start = open + i * MIN;
            return { start, end: start + MIN, open: o, high, low, close: c, volume: step.volume, bid: NaN, ask: NaN };
          });
        });
        return { session, bars, orders: orders[d]! };
      });
      return { options, days };
    }),
);

/** A valid request from a seed, priced around `ref` (the symbol's last close). */
function request(seed: OrderSeed, ref: number): OrderRequest {
  const symbol = SYMBOLS[seed.sym]!;
  const target = seed.size.kind === 'targetQuantity' || seed.size.kind === 'targetPercent';
  const type: OrderType = target && !['market', 'market-on-open', 'market-on-close'].includes(seed.type) ? 'market' : seed.type;
  const size: OrderSize =
    seed.size.kind === 'shares'
      ? { shares: seed.size.n * LOT[symbol] }
      : seed.size.kind === 'targetQuantity'
        ? { targetQuantity: (seed.buy ? 1 : -1) * (seed.size.n - 1) * LOT[symbol] }
        : seed.size.kind === 'targetPercent'
          ? { targetPercent: (seed.buy ? 1 : -1) * seed.size.f }
          : seed.size.kind === 'equityFraction'
            ? { equityFraction: seed.size.f }
            : { cashFraction: seed.size.f };
  const limit = Math.max(0.01, round2(ref * (1 + seed.off1)));
  const stop = Math.max(0.01, round2(ref * (1 + seed.off2)));
  const bracket =
    seed.bracket && !target
      ? {
          ...(seed.bracket.which !== 'tp' ? { stopLoss: Math.max(0.01, round2(ref * (1 + (seed.buy ? -1 : 1) * seed.bracket.sl))) } : {}),
          ...(seed.bracket.which !== 'sl' ? { takeProfit: Math.max(0.01, round2(ref * (1 + (seed.buy ? 1 : -1) * seed.bracket.tp))) } : {}),
        }
      : undefined;
  return {
    symbol,
    ...(target ? {} : { side: seed.buy ? 'buy' : 'sell' }),
    size,
    type,
    ...(type === 'limit' || type === 'stop-limit' ? { limit } : {}),
    ...(type === 'stop' || type === 'stop-limit' ? { stop } : {}),
    ...(type === 'trailing-stop' ? (seed.trailPercent ? { trailPercent: seed.trail } : { trail: Math.max(0.01, round2(ref * seed.trail)) }) : {}),
    tif: seed.tif,
    ...(bracket ? { bracket } : {}),
  };
}

// Running ----------------------------------------------------------------------------------------

/** The account replayed from fills alone: cash, positions and the last price each was marked at. */
class Ledger {
  cash: number;
  readonly quantity: Record<string, number> = {};
  readonly last: Record<string, number> = {};
  constructor(cash: number) {
    this.cash = cash;
  }
  fill(symbol: Sym, side: 'buy' | 'sell', quantity: number, price: number, commission: number): void {
    const signed = side === 'buy' ? quantity : -quantity;
    this.cash -= signed * price * MULTIPLIER[symbol] + commission;
    this.quantity[symbol] = (this.quantity[symbol] ?? 0) + signed;
    this.last[symbol] = price;
  }
  equity(): number {
    let equity = this.cash;
    for (const sym of SYMBOLS) equity += (this.quantity[sym] ?? 0) * (this.last[sym] ?? 0) * MULTIPLIER[sym];
    return equity;
  }
}

interface Run {
  readonly days: BrokerDay[];
  readonly carries: BrokerCarry[];
  /** Invariant breaks, as messages (empty when all held). */
  readonly problems: string[];
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Run the scenario: one Broker across both days (`resume: false`) or a new Broker per day
 * from the previous day's carry sent through JSON (`resume: true`); checks (a)–(c) as it goes.
 */
function run(scenario: Scenario, resume: boolean): Run {
  const problems: string[] = [];
  const days: BrokerDay[] = [];
  const carries: BrokerCarry[] = [];
  const ledger = new Ledger(100_000);
  const ref: Record<string, number> = {};
  const slippage = scenario.options.slippage;
  const noSlippage = typeof slippage === 'object' && slippage.type === 'none';
  let b = new Broker(scenario.options);
  for (const [d, input] of scenario.days.entries()) {
    if (d > 0 && resume) b = new Broker(scenario.options, JSON.parse(JSON.stringify(carries.at(-1))) as BrokerCarry);
    const barAt = new Map<string, FillBar>();
    for (const sym of SYMBOLS) for (const x of input.bars[sym]) if (x) barAt.set(`${sym}@${x.start}`, x);
    b.beginSession(input.session);
    let seen = 0;
    const settle = (when: string, marks: Partial<Record<Sym, number>>): void => {
      const fills = b.day.fills;
      for (; seen < fills.length; seen++) {
        const f = fills[seen]!;
        const sym = f.symbol as Sym;
        ledger.fill(sym, f.side, f.quantity, f.price, f.commission);
        // (b) the rule's price inside the fill bar; without slippage the fill price is the rule's.
        const x = barAt.get(`${sym}@${f.barStart}`);
        if (!x) problems.push(`${when}: fill of order ${f.orderId} on ${sym} bar ${f.barStart} that was never fed`);
        else if (f.basePrice < x.low - 1e-9 || f.basePrice > x.high + 1e-9) problems.push(`${when}: order ${f.orderId} ${f.side} ${sym} filled at ${f.basePrice} (${f.liquidity}) outside its bar [${x.low}, ${x.high}]`);
        if (noSlippage && f.price !== f.basePrice) problems.push(`${when}: order ${f.orderId} filled at ${f.price}, not its rule price ${f.basePrice}, without slippage`);
        if (f.side === 'buy' ? f.price < f.basePrice : f.price > f.basePrice) problems.push(`${when}: order ${f.orderId} ${f.side} slipped in the trader's favour (${f.basePrice} → ${f.price})`);
        // (c) never before its time (flattenAtClose closes at the last bar's close, by definition).
        const order = b.order(f.orderId);
        if (!order) problems.push(`${when}: fill of unknown order ${f.orderId}`);
        else if (f.barStart < order.submittedAt && f.tag !== 'flattenAtClose') problems.push(`${when}: order ${f.orderId} submitted at ${order.submittedAt} filled on the bar starting ${f.barStart}`);
      }
      for (const [sym, price] of Object.entries(marks)) ledger.last[sym] = price;
      // (a) equity = cash + Σ position values, from the fills alone.
      if (!close(b.cash, ledger.cash)) problems.push(`${when}: cash ${b.cash} but the fills give ${ledger.cash}`);
      if (!close(b.equity(), ledger.equity())) problems.push(`${when}: equity ${b.equity()} but cash + positions from the fills give ${ledger.equity()}`);
      for (const sym of SYMBOLS) if (!close(b.portfolio.quantity(sym), ledger.quantity[sym] ?? 0)) problems.push(`${when}: ${sym} position ${b.portfolio.quantity(sym)} but the fills give ${ledger.quantity[sym] ?? 0}`);
    };
    const submitAll = (k: number, now: number): void => {
      for (const seed of input.orders[k] ?? []) {
        const sym = SYMBOLS[seed.sym]!;
        b.submit(request(seed, ref[sym] ?? input.bars[sym].find((x) => x)?.open ?? 50), now);
      }
    };
    submitAll(0, input.session.open);
    const minutes = input.bars.AAA.length;
    for (let i = 0; i < minutes; i++) {
      const now = input.session.open + (i + 1) * MIN;
      const marks: Partial<Record<Sym, number>> = {};
      for (const sym of SYMBOLS) {
        const x = input.bars[sym][i];
        if (!x) continue;
        b.onBar(sym, x);
        marks[sym] = x.close;
        ref[sym] = x.close;
      }
      b.endTick(now);
      if (b.day.equity.lastEquity !== b.equity()) problems.push(`tick ${now}: the equity point is not the equity`);
      settle(`day ${d} tick ${i + 1}`, marks);
      submitAll(i + 1, now);
    }
    const before = b.day.fills.length;
    b.closeSession(input.session.close);
    // A fill at the close leaves its position marked at the bar's close, not at the slipped price.
    const closeMarks: Partial<Record<Sym, number>> = {};
    for (const f of b.day.fills.slice(before)) {
      const x = barAt.get(`${f.symbol}@${f.barStart}`);
      if (f.liquidity === 'close' && x) closeMarks[f.symbol as Sym] = x.close;
    }
    settle(`day ${d} close`, closeMarks);
    b.endSession(input.session.close);
    days.push(b.day);
    carries.push(b.carry());
  }
  return { days, carries, problems };
}

/** As JSON sees it (keys holding undefined dropped), for comparing records made by different Broker instances. */
function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

// Properties -------------------------------------------------------------------------------------

test('Broker: equity equals cash plus positions replayed from the fills, fills stay inside their bars and never precede their orders (property)', (t) => {
  fc.assert(
    fc.property(scenarioArb, (scenario) => {
      const { problems, days } = run(scenario, false);
      if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
      for (const day of days) for (const f of day.fills) if (!(f.quantity > 0)) throw new Error(`order ${f.orderId}: a fill of ${f.quantity} units`);
    }),
    { numRuns: 300, includeErrorInReport: true },
  );
  t.pass();
});

test('Broker: a volume cap holds per order and bar (property)', (t) => {
  fc.assert(
    fc.property(
      scenarioArb.map((s) => ({ ...s, options: { ...s.options, maxParticipation: s.options.maxParticipation ?? 0.1 } })),
      (scenario) => {
        const { days } = run(scenario, false);
        const cap = scenario.options.maxParticipation!;
        for (const [d, day] of days.entries()) {
          const perOrderBar = new Map<string, number>();
          for (const f of day.fills) if (f.liquidity !== 'signal-close') perOrderBar.set(`${f.orderId}@${f.symbol}@${f.barStart}`, (perOrderBar.get(`${f.orderId}@${f.symbol}@${f.barStart}`) ?? 0) + f.quantity);
          for (const [key, quantity] of perOrderBar) {
            const [, sym, start] = key.split('@');
            const x = scenario.days[d]!.bars[sym as Sym].find((y) => y?.start === Number(start))!;
            if (quantity > x.volume * cap + 1e-9) throw new Error(`${key}: ${quantity} units on a bar of volume ${x.volume} (cap ${cap})`);
          }
        }
      },
    ),
    { numRuns: 200, includeErrorInReport: true },
  );
  t.pass();
});

test('Broker: the same inputs give deep-equal day records and carry, and resuming from the JSON carry gives the same next day (property)', (t) => {
  fc.assert(
    fc.property(scenarioArb, (scenario) => {
      const first = run(scenario, false);
      const second = run(scenario, false);
      fc.pre(first.problems.length === 0);
      if (!isDeepStrictEqual(first.days, second.days)) throw new Error('two runs recorded different days');
      if (!isDeepStrictEqual(first.carries, second.carries)) throw new Error('two runs carried different states');
      const resumed = run(scenario, true);
      if (resumed.problems.length > 0) throw new Error(resumed.problems.slice(0, 5).join('\n'));
      if (!isDeepStrictEqual(plain(resumed.days), plain(first.days))) throw new Error(`resuming from the carry changed day 2:\n${JSON.stringify(plain(resumed.days[1]))}\nvs\n${JSON.stringify(plain(first.days[1]))}`);
      if (!isDeepStrictEqual(plain(resumed.carries), plain(first.carries))) throw new Error('resuming from the carry changed the final carry');
    }),
    { numRuns: 200, includeErrorInReport: true },
  );
  t.pass();
});
