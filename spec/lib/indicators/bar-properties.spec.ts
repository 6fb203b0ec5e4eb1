/**
 * Bar-input and session-level indicators: agreement with naive references written out here
 * from each textbook / TA-Lib definition (recomputed from scratch over the window at every bar,
 * never using the classes), invariants (fast-check), long-run drift, session anchoring, the
 * swing look-ahead rule, calendar windows and config validation.
 *
 * No published worked example exists for VolumeSMA, VolumeRatio, TWAP, SwingHigh/SwingLow,
 * AverageVolume, AverageRange, GapStatistics, RangeRatio or RollingExtremes; those are checked
 * only against the naive references and properties below (the others also have golden values
 * in bar-golden.spec.ts).
 */
import test from 'ava';
import fc from 'fast-check';
import { ConfigError, DataError } from '../../../lib/errors.ts';
import { ATR } from '../../../lib/indicators/atr.ts';
import { AverageRange } from '../../../lib/indicators/average-range.ts';
import { AverageVolume } from '../../../lib/indicators/average-volume.ts';
import { CCI } from '../../../lib/indicators/cci.ts';
import { DailyATR } from '../../../lib/indicators/daily-atr.ts';
import { DonchianChannels } from '../../../lib/indicators/donchian-channels.ts';
import { FiftyTwoWeekHighLow } from '../../../lib/indicators/fifty-two-week-high-low.ts';
import { GapStatistics } from '../../../lib/indicators/gap-statistics.ts';
import { KeltnerChannels } from '../../../lib/indicators/keltner-channels.ts';
import { OBV } from '../../../lib/indicators/obv.ts';
import { PVT } from '../../../lib/indicators/pvt.ts';
import { RangeRatio } from '../../../lib/indicators/range-ratio.ts';
import { RollingExtremes, type DatedBarInput } from '../../../lib/indicators/rolling-extremes.ts';
import { Stochastic } from '../../../lib/indicators/stochastic.ts';
import { SwingHigh } from '../../../lib/indicators/swing-high.ts';
import { SwingLow } from '../../../lib/indicators/swing-low.ts';
import { TrailingRatio } from '../../../lib/indicators/trailing-ratio.ts';
import { TWAP } from '../../../lib/indicators/twap.ts';
import type { BarInput } from '../../../lib/indicators/types.ts';
import { UltimateOscillator } from '../../../lib/indicators/ultimate-oscillator.ts';
import { VolumeRatio } from '../../../lib/indicators/volume-ratio.ts';
import { VolumeSMA } from '../../../lib/indicators/volume-sma.ts';
import { VWAP } from '../../../lib/indicators/vwap.ts';
import { WilliamsR } from '../../../lib/indicators/williams-r.ts';
import { bar } from './bar-fixtures.ts';

// ---------------------------------------------------------------------------------------------
// Inputs

/** Valid random bars: positive prices, low <= open, close <= high, integer volume. */
const barArb = fc
  .record({
    base: fc.double({ min: 1, max: 1000, noNaN: true }),
    a: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
    b: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
    up: fc.double({ min: 0, max: 0.02, noNaN: true }),
    down: fc.double({ min: 0, max: 0.02, noNaN: true }),
    volume: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map(({ base, a, b, up, down, volume }): BarInput => {
    const open = base * (1 + a);
    const close = base * (1 + b);
    return { open, close, high: Math.max(open, close) * (1 + up), low: Math.min(open, close) * (1 - down), volume };
  });

/** A random walk of bars (consecutive bars near each other, as real data), `n` long. */
function walk(n: number, seed: number): BarInput[] {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const bars: BarInput[] = [];
  let close = 100;
  for (let i = 0; i < n; i++) {
    const open = close * (1 + (random() - 0.5) * 0.01);
    close = open * (1 + (random() - 0.5) * 0.01);
    bars.push({ open, close, high: Math.max(open, close) * (1 + random() * 0.005), low: Math.min(open, close) * (1 - random() * 0.005), volume: 100 + Math.floor(random() * 10_000) });
  }
  return bars;
}

const barsArb = (minLength: number, maxLength = minLength + 80) => fc.array(barArb, { minLength, maxLength });

// ---------------------------------------------------------------------------------------------
// Naive references: each value recomputed from the definition over the bars up to t.

const window = <T>(xs: readonly T[], t: number, n: number): T[] => xs.slice(t + 1 - n, t + 1);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const typical = (b: BarInput) => (b.high + b.low + b.close) / 3;
const trueRange = (bars: readonly BarInput[], t: number) => Math.max(bars[t]!.high, bars[t - 1]!.close) - Math.min(bars[t]!.low, bars[t - 1]!.close);

function rawK(bars: readonly BarInput[], t: number, n: number): number {
  const w = window(bars, t, n);
  const hh = Math.max(...w.map((b) => b.high));
  const ll = Math.min(...w.map((b) => b.low));
  return hh === ll ? 0 : (100 * (bars[t]!.close - ll)) / (hh - ll);
}

function referenceStochastic(bars: readonly BarInput[], n: number, ks: number, ds: number) {
  const k = (t: number) => mean(Array.from({ length: ks }, (_, j) => rawK(bars, t - j, n)));
  return bars.map((_, t) => (t + 1 < n + ks + ds - 2 ? undefined : { k: k(t), d: mean(Array.from({ length: ds }, (_, j) => k(t - j))) }));
}

function referenceWilliamsR(bars: readonly BarInput[], n: number) {
  return bars.map((_, t) => {
    if (t + 1 < n) return undefined;
    const w = window(bars, t, n);
    const hh = Math.max(...w.map((b) => b.high));
    const ll = Math.min(...w.map((b) => b.low));
    return hh === ll ? 0 : (-100 * (hh - bars[t]!.close)) / (hh - ll);
  });
}

function referenceCci(bars: readonly BarInput[], n: number) {
  return bars.map((_, t) => {
    if (t + 1 < n) return undefined;
    const tps = window(bars, t, n).map(typical);
    const m = mean(tps);
    const md = mean(tps.map((x) => Math.abs(x - m)));
    return md === 0 ? 0 : (typical(bars[t]!) - m) / (0.015 * md);
  });
}

function referenceUltimate(bars: readonly BarInput[], s: number, m: number, l: number) {
  const bp = (t: number) => bars[t]!.close - Math.min(bars[t]!.low, bars[t - 1]!.close);
  const avg = (t: number, n: number) => {
    let b = 0;
    let r = 0;
    for (let i = t - n + 1; i <= t; i++) {
      b += bp(i);
      r += trueRange(bars, i);
    }
    return r === 0 ? 0 : b / r;
  };
  return bars.map((_, t) => (t < l ? undefined : (100 * (4 * avg(t, s) + 2 * avg(t, m) + avg(t, l))) / 7));
}

function referenceAtr(bars: readonly BarInput[], n: number) {
  const out: Array<number | undefined> = [];
  let atr = 0;
  for (let t = 0; t < bars.length; t++) {
    if (t < n) out.push(undefined);
    else {
      atr = t === n ? mean(Array.from({ length: n }, (_, j) => trueRange(bars, j + 1))) : (atr * (n - 1) + trueRange(bars, t)) / n;
      out.push(atr);
    }
  }
  return out;
}

function referenceGaps(bars: readonly BarInput[], n: number) {
  return bars.map((_, t) => {
    if (t < n) return undefined;
    const gaps = Array.from({ length: n }, (_, j) => 100 * (bars[t - j]!.open / bars[t - j - 1]!.close - 1));
    const m = mean(gaps);
    return { mean: m, meanAbs: mean(gaps.map(Math.abs)), std: Math.sqrt(mean(gaps.map((g) => (g - m) ** 2))) };
  });
}

/** Swing level by brute force: scan every earlier confirmable candidate. */
function referenceSwing(xs: readonly number[], left: number, right: number, kind: 'max' | 'min') {
  const beyond = (a: number, b: number) => (kind === 'max' ? a > b : a < b);
  const atLeast = (a: number, b: number) => (kind === 'max' ? a >= b : a <= b);
  return xs.map((_, t) => {
    if (t + 1 < left + right + 1) return undefined;
    for (let c = t - right; c >= left; c--) {
      const before = xs.slice(c - left, c);
      const after = xs.slice(c + 1, c + right + 1);
      if (before.every((x) => beyond(xs[c]!, x)) && after.every((x) => atLeast(xs[c]!, x))) return xs[c]!;
    }
    return Number.NaN;
  });
}

// ---------------------------------------------------------------------------------------------
// Comparison helpers

/**
 * `want === null` marks a value the definition leaves open (a ratio to a zero mean): any number
 * is accepted there, as long as one is returned.
 */
const rel = (got: number | undefined, want: number | undefined | null, tol = 1e-9, slack = 0) =>
  want === null
    ? typeof got === 'number'
    : want === undefined
      ? got === undefined
      : got !== undefined && (Object.is(got, want) || Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)) + slack);

/**
 * Element-wise comparison at 1e-9 relative; `slack[i]` widens index `i` by an absolute amount
 * where the definition involves a running sum (see {@link runningSumSlack}).
 */
function sameSeries(got: ReadonlyArray<unknown>, want: ReadonlyArray<unknown>, tol = 1e-9, slack?: readonly number[]): boolean {
  if (got.length !== want.length) return false;
  return want.every((w, i) => {
    const g = got[i];
    if (w === undefined || w === null || typeof w === 'number') return rel(g as number | undefined, w as number | undefined | null, tol, slack?.[i]);
    if (g === undefined) return false;
    return Object.entries(w as Record<string, number>).every(([key, value]) => rel((g as Record<string, number>)[key], value, tol, slack?.[i]));
  });
}

/**
 * The rounding a rolling mean over a running sum (the library's SMA, as TA-Lib's) may carry:
 * a few ulps of the largest value that passed through the sum since its last exact re-sum
 * (at most two windows back). Negligible next to any real value, but after an outsized value
 * is followed by near-zero ones it dominates the tiny true mean, and a ratio to that mean
 * (VolumeRatio, RangeRatio) magnifies it. Bound used: 1e-13 · max|x| over the last
 * 2·period + 1 inputs, on the mean; for a ratio, scaled by ratio / mean.
 */
function runningSumSlack(xs: readonly number[], period: number, ratioOf?: readonly (number | undefined | null)[]): number[] {
  return xs.map((_, t) => {
    const recent = xs.slice(Math.max(0, t - 2 * period), t + 1).map(Math.abs);
    const onMean = 1e-13 * Math.max(...recent);
    if (!ratioOf) return onMean;
    const ratio = ratioOf[t];
    if (ratio === undefined || ratio === null || t < period) return 0;
    const reference = mean(xs.slice(t - period, t));
    return (Math.abs(ratio) * onMean) / Math.abs(reference);
  });
}

const feed = <O>(indicator: { update(b: BarInput): O }, bars: readonly BarInput[]): O[] => bars.map((b) => indicator.update(b));

// ---------------------------------------------------------------------------------------------
// Agreement with the naive references on random bars

type Comparison = { got: unknown[]; want: unknown[]; slack?: number[] };

const ratioCase = (got: unknown[], xs: readonly number[], n: number): Comparison => {
  // A zero reference mean leaves the ratio undefined (x / 0), and a running sum cannot tell a
  // mean below its own rounding slack from 0: there only "a number" is required.
  const meanSlack = runningSumSlack(xs, n);
  const want = xs.map((x, t) => {
    if (t < n) return undefined;
    const reference = mean(xs.slice(t - n, t));
    return Math.abs(reference) <= meanSlack[t - 1]! ? null : x / reference;
  });
  return { got, want, slack: runningSumSlack(xs, n, want) };
};
const meanCase = (got: unknown[], xs: readonly number[], n: number): Comparison => ({
  got,
  want: xs.map((_, t) => (t < n - 1 ? undefined : mean(window(xs, t, n)))),
  slack: runningSumSlack(xs, n),
});

const REFERENCE_CASES: ReadonlyArray<readonly [string, number, (bars: readonly BarInput[]) => Comparison]> = [
  ['Stochastic(5,3,2)', 8, (bars) => ({ got: feed(new Stochastic({ period: 5, kSmoothing: 3, dPeriod: 2 }), bars), want: referenceStochastic(bars, 5, 3, 2) })],
  ['Stochastic(14,3,3)', 18, (bars) => ({ got: feed(new Stochastic(), bars), want: referenceStochastic(bars, 14, 3, 3) })],
  ['WilliamsR(7)', 7, (bars) => ({ got: feed(new WilliamsR(7), bars), want: referenceWilliamsR(bars, 7) })],
  ['CCI(10)', 10, (bars) => ({ got: feed(new CCI(10), bars), want: referenceCci(bars, 10) })],
  ['UltimateOscillator(3,5,9)', 10, (bars) => ({ got: feed(new UltimateOscillator({ short: 3, medium: 5, long: 9 }), bars), want: referenceUltimate(bars, 3, 5, 9) })],
  ['ATR(6)', 7, (bars) => ({ got: feed(new ATR(6), bars), want: referenceAtr(bars, 6) })],
  ['DailyATR(3)', 4, (bars) => ({ got: feed(new DailyATR(3), bars), want: referenceAtr(bars, 3) })],
  [
    'DonchianChannels(6)',
    6,
    (bars) => ({
      got: feed(new DonchianChannels(6), bars),
      want: bars.map((_, t) => {
        if (t < 5) return undefined;
        const upper = Math.max(...window(bars, t, 6).map((b) => b.high));
        const lower = Math.min(...window(bars, t, 6).map((b) => b.low));
        return { upper, middle: (upper + lower) / 2, lower };
      }),
    }),
  ],
  ['VolumeSMA(5)', 5, (bars) => meanCase(feed(new VolumeSMA(5), bars), bars.map((b) => b.volume), 5)],
  ['AverageVolume(4)', 4, (bars) => meanCase(feed(new AverageVolume(4), bars), bars.map((b) => b.volume), 4)],
  ['AverageRange(5)', 5, (bars) => meanCase(feed(new AverageRange(5), bars), bars.map((b) => b.high - b.low), 5)],
  ['VolumeRatio(4)', 5, (bars) => ratioCase(feed(new VolumeRatio(4), bars), bars.map((b) => b.volume), 4)],
  ['RangeRatio(4)', 5, (bars) => ratioCase(feed(new RangeRatio(4), bars), bars.map((b) => b.high - b.low), 4)],
  ['GapStatistics(5)', 6, (bars) => ({ got: feed(new GapStatistics(5), bars), want: referenceGaps(bars, 5) })],
  ['SwingHigh(2,3)', 6, (bars) => ({ got: feed(new SwingHigh({ left: 2, right: 3 }), bars), want: referenceSwing(bars.map((b) => b.high), 2, 3, 'max') })],
  ['SwingLow(3,1)', 5, (bars) => ({ got: feed(new SwingLow({ left: 3, right: 1 }), bars), want: referenceSwing(bars.map((b) => b.low), 3, 1, 'min') })],
  ['RollingExtremes(7d)', 7, (bars) => ({ got: feed(new RollingExtremes('7d'), bars), want: bars.map((_, t) => (t < 6 ? undefined : { high: Math.max(...window(bars, t, 7).map((b) => b.high)), low: Math.min(...window(bars, t, 7).map((b) => b.low)) })) })],
  [
    'OBV',
    1,
    (bars) => {
      let obv = 0;
      return { got: feed(new OBV(), bars), want: bars.map((b, t) => (obv = t === 0 ? b.volume : obv + Math.sign(b.close - bars[t - 1]!.close) * b.volume)) };
    },
  ],
  [
    'PVT',
    2,
    (bars) => {
      let pvt = 0;
      return { got: feed(new PVT(), bars), want: bars.map((b, t) => (t === 0 ? undefined : (pvt += (b.volume * (b.close - bars[t - 1]!.close)) / bars[t - 1]!.close))) };
    },
  ],
  ['VWAP', 1, (bars) => ({ got: feed(new VWAP(), bars), want: bars.map((_, t) => { const w = bars.slice(0, t + 1); return w.reduce((a, b) => a + typical(b) * b.volume, 0) / w.reduce((a, b) => a + b.volume, 0); }) })],
  ['TWAP', 1, (bars) => ({ got: feed(new TWAP(), bars), want: bars.map((_, t) => mean(bars.slice(0, t + 1).map(typical))) })],
];

for (const [name, warmup, compute] of REFERENCE_CASES) {
  test(`${name}: equals the naive reference on random bars (property)`, (t) => {
    fc.assert(
      fc.property(barsArb(warmup, warmup + 60), (bars) => {
        const { got, want, slack } = compute(bars);
        return sameSeries(got, want, 1e-9, slack);
      }),
      { numRuns: 60 },
    );
    // And on a random walk, where neighbouring bars overlap (ties and plateaus are likelier).
    const { got, want, slack } = compute(walk(400, warmup));
    t.true(sameSeries(got, want, 1e-9, slack));
  });
}

test('SwingHigh / SwingLow: equal the naive reference on coarse prices with many ties (property)', (t) => {
  const tiedBars = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 5, maxLength: 60 }).map((xs) => xs.map((x) => bar({ high: x, low: x - 1, close: x - 0.5 })));
  fc.assert(
    fc.property(tiedBars, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (bars, left, right) => {
      const highs = sameSeries(feed(new SwingHigh({ left, right }), bars), referenceSwing(bars.map((b) => b.high), left, right, 'max'));
      const lows = sameSeries(feed(new SwingLow({ left, right }), bars), referenceSwing(bars.map((b) => b.low), left, right, 'min'));
      return highs && lows;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

// ---------------------------------------------------------------------------------------------
// Invariants

test('Stochastic k and d, WilliamsR and UltimateOscillator stay in their ranges (property)', (t) => {
  fc.assert(
    fc.property(barsArb(30, 120), (bars) => {
      const stoch = feed(new Stochastic({ period: 5, kSmoothing: 3, dPeriod: 3 }), bars).filter((v) => v !== undefined);
      const willr = feed(new WilliamsR(5), bars).filter((v) => v !== undefined);
      const uo = feed(new UltimateOscillator({ short: 2, medium: 4, long: 8 }), bars).filter((v) => v !== undefined);
      const eps = 1e-9;
      return (
        stoch.every((v) => v.k >= -eps && v.k <= 100 + eps && v.d >= -eps && v.d <= 100 + eps) &&
        willr.every((v) => v >= -100 - eps && v <= eps) &&
        uo.every((v) => v >= -eps && v <= 100 + eps)
      );
    }),
    { numRuns: 80 },
  );
  t.pass();
});

test('channels are ordered and Keltner is symmetric around its EMA; ATR is positive (property)', (t) => {
  fc.assert(
    fc.property(barsArb(30, 100), fc.double({ min: 0, max: 5, noNaN: true }), (bars, multiplier) => {
      const keltner = feed(new KeltnerChannels({ period: 5, multiplier, atrPeriod: 4 }), bars).filter((v) => v !== undefined);
      const donchian = feed(new DonchianChannels(5), bars).filter((v) => v !== undefined);
      const atr = feed(new ATR(4), bars).filter((v) => v !== undefined);
      return (
        keltner.every((v) => v.lower <= v.middle && v.middle <= v.upper && Math.abs(v.upper - v.middle - (v.middle - v.lower)) <= 1e-9 * v.middle) &&
        donchian.every((v) => v.lower <= v.middle && v.middle <= v.upper) &&
        atr.every((v) => v >= 0)
      );
    }),
    { numRuns: 80 },
  );
  t.pass();
});

test('VWAP and TWAP lie within the session\'s price range (property)', (t) => {
  fc.assert(
    fc.property(barsArb(1, 60), (bars) => {
      const vwap = feed(new VWAP(), bars);
      const twap = feed(new TWAP(), bars);
      let high = -Infinity;
      let low = Infinity;
      return bars.every((b, i) => {
        high = Math.max(high, b.high);
        low = Math.min(low, b.low);
        const slack = 1e-9 * high;
        return vwap[i]! >= low - slack && vwap[i]! <= high + slack && twap[i]! >= low - slack && twap[i]! <= high + slack;
      });
    }),
    { numRuns: 80 },
  );
  t.pass();
});

test('constant bars: CCI and the ratios are neutral, ATR is the range, %R and %K are 0 (TA-Lib zero-range rule)', (t) => {
  const flat = Array.from({ length: 40 }, () => bar({ open: 10, high: 10, low: 10, close: 10, volume: 500 }));
  t.true(feed(new CCI(10), flat).slice(9).every((v) => v === 0));
  t.true(feed(new WilliamsR(10), flat).slice(9).every((v) => v === 0));
  t.true(feed(new Stochastic({ period: 5, kSmoothing: 1, dPeriod: 1 }), flat).slice(4).every((v) => v?.k === 0 && v.d === 0));
  t.true(feed(new VolumeRatio(10), flat).slice(10).every((v) => v === 1));
  t.true(feed(new ATR(5), flat).slice(5).every((v) => v === 0));
  t.true(feed(new UltimateOscillator({ short: 2, medium: 3, long: 4 }), flat).slice(4).every((v) => v === 0));
  const ranged = Array.from({ length: 30 }, () => bar({ open: 10, high: 11, low: 9, close: 10, volume: 500 }));
  t.true(feed(new ATR(5), ranged).slice(5).every((v) => v === 2));
  t.true(feed(new RangeRatio(5), ranged).slice(5).every((v) => v === 1));
  const gaps = feed(new GapStatistics(5), ranged)[29]!;
  t.deepEqual(gaps, { mean: 0, meanAbs: 0, std: 0 });
});

// ---------------------------------------------------------------------------------------------
// Long runs: running sums must not drift (1e5 bars, compared on the last window, 1e-9 relative)

test('running sums stay exact over 100 000 bars (UltimateOscillator, VolumeSMA, GapStatistics, VWAP, CCI)', (t) => {
  const bars = walk(100_000, 7).map((b, i) => ({ ...b, volume: i % 2 === 0 ? 1e7 : 3 }));
  const last = bars.length - 1;
  const uo = new UltimateOscillator({ short: 7, medium: 14, long: 28 });
  const volume = new VolumeSMA(30);
  const gaps = new GapStatistics(20);
  const vwap = new VWAP();
  const cci = new CCI(20);
  let uoValue: number | undefined;
  let volumeValue: number | undefined;
  let gapValue: ReturnType<GapStatistics['update']>;
  let vwapValue: number | undefined;
  let cciValue: number | undefined;
  for (const b of bars) {
    uoValue = uo.update(b);
    volumeValue = volume.update(b);
    gapValue = gaps.update(b);
    vwapValue = vwap.update(b);
    cciValue = cci.update(b);
  }
  const tail = bars.slice(last - 40);
  t.true(rel(uoValue, referenceUltimate(tail, 7, 14, 28).at(-1)));
  t.true(rel(volumeValue, mean(window(bars, last, 30).map((b) => b.volume))));
  const wantGaps = referenceGaps(tail, 20).at(-1)!;
  t.true(rel(gapValue!.mean, wantGaps.mean) && rel(gapValue!.meanAbs, wantGaps.meanAbs) && rel(gapValue!.std, wantGaps.std, 1e-8));
  let pv = 0;
  let v = 0;
  for (const b of bars) {
    pv += typical(b) * b.volume;
    v += b.volume;
  }
  t.true(rel(vwapValue, pv / v));
  t.true(rel(cciValue, referenceCci(tail, 20).at(-1)));
});

// ---------------------------------------------------------------------------------------------
// Session anchoring (VWAP, TWAP)

test('VWAP / TWAP: startSession() restarts the average, so a session equals a fresh instance', (t) => {
  const [yesterday, today] = [walk(50, 1), walk(30, 2)];
  for (const make of [() => new VWAP(), () => new TWAP()]) {
    const anchored = make();
    anchored.startSession();
    feed(anchored, yesterday);
    t.true(anchored.ready);
    anchored.startSession();
    t.false(anchored.ready, 'no value until the first bar of the new session');
    t.is(anchored.value, undefined);
    t.deepEqual(feed(anchored, today), feed(make(), today));
    // Without startSession the average runs on across the boundary.
    const running = make();
    feed(running, yesterday);
    t.notDeepEqual(feed(running, today), feed(make(), today));
  }
});

test('VWAP: a session whose first bars have no volume uses the typical price until volume trades', (t) => {
  const vwap = new VWAP();
  t.is(vwap.update(bar({ high: 12, low: 9, close: 10.5, volume: 0 })), 10.5);
  t.is(vwap.update(bar({ high: 13, low: 11, close: 12, volume: 0 })), 12);
  t.is(vwap.update(bar({ high: 10, low: 10, close: 10, volume: 100 })), 10);
  // (10·100 + 13·300) / 400 = 12.25
  t.is(vwap.update(bar({ high: 14, low: 12, close: 13, volume: 300 })), 12.25);
});

// ---------------------------------------------------------------------------------------------
// Swings: hand examples and the confirmation delay (look-ahead)

test('SwingHigh: a pivot is reported only `right` bars after it, and the level is held', (t) => {
  // highs: 1 2 5 3 4 2 1 6 ; left 2, right 2. Bar 2 (5) is above 1, 2 and not exceeded by 3, 4
  // → confirmed at bar 4. Bar 4 (4) is not above 5 → no pivot. Bar 7 (6) needs two more bars.
  const highs = [1, 2, 5, 3, 4, 2, 1, 6];
  const swing = new SwingHigh({ left: 2, right: 2 });
  const out = highs.map((h) => swing.update(bar({ high: h, low: 0, close: h / 2 })));
  t.deepEqual(out, [undefined, undefined, undefined, undefined, 5, 5, 5, 5]);
  // A flat top yields one pivot, at its first bar; before any pivot the level is NaN.
  const flat = new SwingHigh({ left: 1, right: 1 });
  t.deepEqual(
    [1, 1, 3, 3, 2].map((h) => flat.update(bar({ high: h, low: 0, close: 0.5 }))),
    [undefined, undefined, Number.NaN, 3, 3],
  );
});

test('SwingLow: mirrors SwingHigh on the lows', (t) => {
  const lows = [9, 8, 5, 7, 6, 8];
  const swing = new SwingLow({ left: 2, right: 2 });
  t.deepEqual(
    lows.map((l) => swing.update(bar({ high: 10, low: l, close: 9.5 }))),
    [undefined, undefined, undefined, undefined, 5, 5],
  );
});

test('SwingHigh / SwingLow: the value at bar t never depends on bars after t (property)', (t) => {
  fc.assert(
    fc.property(barsArb(12, 40), barsArb(1, 10), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (bars, future, left, right) => {
      const cut = bars.length - future.length;
      if (cut < 1) return true;
      const altered = [...bars.slice(0, cut), ...future];
      const same = (make: () => SwingHigh | SwingLow) => sameSeries(feed(make(), bars).slice(0, cut), feed(make(), altered).slice(0, cut));
      return same(() => new SwingHigh({ left, right })) && same(() => new SwingLow({ left, right }));
    }),
    { numRuns: 100 },
  );
  t.pass();
});

// ---------------------------------------------------------------------------------------------
// Calendar windows

const dated = (date: string, high: number, low: number): DatedBarInput => ({ date, open: low, high, low, close: high, volume: 1 });

test('RollingExtremes(2w): keeps the bars of the last 14 calendar days, across weekends and holidays', (t) => {
  const range = new RollingExtremes('2w');
  t.is(range.warmup, 1);
  // 14 days ending 2024-01-16 start on 2024-01-03; ending 2024-01-18 on 2024-01-05.
  t.deepEqual(range.update(dated('2024-01-02', 50, 40)), { high: 50, low: 40 });
  t.deepEqual(range.update(dated('2024-01-03', 30, 20)), { high: 50, low: 20 });
  t.deepEqual(range.update(dated('2024-01-05', 35, 25)), { high: 50, low: 20 });
  t.deepEqual(range.update(dated('2024-01-16', 33, 31)), { high: 35, low: 20 }, '2024-01-02 left the window');
  t.deepEqual(range.update(dated('2024-01-18', 34, 32)), { high: 35, low: 25 }, '2024-01-03 left the window');
  // A gap longer than the window leaves only the new bar.
  t.deepEqual(range.update(dated('2024-03-01', 12, 11)), { high: 12, low: 11 });
});

test('FiftyTwoWeekHighLow: a 364-day calendar window over daily bars, not 260 sessions', (t) => {
  const year = new FiftyTwoWeekHighLow();
  // One bar every weekday of 2023 and early 2024 (no holiday list needed for the point).
  const bars: DatedBarInput[] = [];
  for (let day = Date.UTC(2023, 0, 2); day <= Date.UTC(2024, 0, 5); day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const date = new Date(day).toISOString().slice(0, 10);
    bars.push(dated(date, date === '2023-01-05' ? 999 : 100, date === '2023-01-09' ? 1 : 50));
  }
  const out = bars.map((b) => year.update(b));
  const index = (date: string) => bars.findIndex((b) => b.date === date);
  // 364 days ending 2024-01-03 start on 2023-01-05 (inclusive): its 999 high is still in.
  t.is(out[index('2024-01-03')]!.high, 999);
  t.is(out[index('2024-01-04')]!.high, 100);
  // 364 days ending 2024-01-05 start on 2023-01-07: the 2023-01-09 low of 1 is still in.
  t.is(out[index('2024-01-05')]!.low, 1);
});

test('RollingExtremes: refuses bad periods and bad or non-increasing dates', (t) => {
  for (const bad of ['52', 'w', '0w', '3m', '-2d', 52 as unknown as string, '1.5w']) t.throws(() => new RollingExtremes(bad), { instanceOf: ConfigError }, String(bad));
  const range = new RollingExtremes('4w');
  t.throws(() => range.update({ ...dated('2024-01-02', 2, 1), date: undefined }), { instanceOf: DataError, message: /date/ });
  t.throws(() => range.update(dated('02/01/2024', 2, 1)), { instanceOf: DataError });
  range.update(dated('2024-01-03', 2, 1));
  t.throws(() => range.update(dated('2024-01-03', 2, 1)), { instanceOf: DataError, message: /2024-01-03/ });
  // Day-count mode ignores dates.
  t.notThrows(() => new RollingExtremes('5d').update(bar({ close: 1 })));
});

test('RollingExtremes(w): reset() behaves like a fresh instance, and two instances agree (contract)', (t) => {
  const days = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i * 2)).toISOString().slice(0, 10));
  const bars = walk(60, 3).map((b, i) => ({ ...b, date: days[i] }));
  const used = new RollingExtremes('3w');
  feed(used, bars.slice(0, 40));
  used.reset();
  t.false(used.ready);
  t.deepEqual(feed(used, bars), feed(new RollingExtremes('3w'), bars));
  t.true(feed(new RollingExtremes('3w'), bars).every((v) => v !== undefined));
});

// ---------------------------------------------------------------------------------------------
// Config validation

test('constructors refuse invalid parameters with a ConfigError naming the field', (t) => {
  const bad = [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '14' as unknown as number];
  const single: ReadonlyArray<readonly [string, (p: number) => unknown]> = [
    ['ATR.period', (p) => new ATR(p)],
    ['DailyATR.period', (p) => new DailyATR(p)],
    ['CCI.period', (p) => new CCI(p)],
    ['WilliamsR.period', (p) => new WilliamsR(p)],
    ['DonchianChannels.period', (p) => new DonchianChannels(p)],
    ['VolumeSMA.period', (p) => new VolumeSMA(p)],
    ['AverageVolume.period', (p) => new AverageVolume(p)],
    ['AverageRange.period', (p) => new AverageRange(p)],
    ['VolumeRatio.period', (p) => new VolumeRatio(p)],
    ['RangeRatio.period', (p) => new RangeRatio(p)],
    ['TrailingRatio.period', (p) => new TrailingRatio(p)],
    ['GapStatistics.period', (p) => new GapStatistics(p)],
    ['Stochastic.period', (p) => new Stochastic({ period: p })],
    ['Stochastic.kSmoothing', (p) => new Stochastic({ kSmoothing: p })],
    ['Stochastic.dPeriod', (p) => new Stochastic({ dPeriod: p })],
    ['UltimateOscillator.short', (p) => new UltimateOscillator({ short: p })],
    ['KeltnerChannels.period', (p) => new KeltnerChannels({ period: p })],
    ['KeltnerChannels.atrPeriod', (p) => new KeltnerChannels({ atrPeriod: p })],
    ['SwingHigh.left', (p) => new SwingHigh({ left: p, right: 2 })],
    ['SwingLow.right', (p) => new SwingLow({ left: 2, right: p })],
  ];
  for (const [field, make] of single) {
    for (const value of bad) {
      const error = t.throws(() => make(value), { instanceOf: ConfigError }, `${field} = ${String(value)}`);
      t.is(error?.problems[0]?.path, field);
    }
  }
  t.throws(() => new UltimateOscillator({ short: 14, medium: 7, long: 28 }), { instanceOf: ConfigError, message: /short <= medium <= long/ });
  t.throws(() => new KeltnerChannels({ multiplier: -1 }), { instanceOf: ConfigError, message: /KeltnerChannels\.multiplier/ });
  t.throws(() => new KeltnerChannels({ multiplier: Number.NaN }), { instanceOf: ConfigError });
});

test('defaults: Stochastic 14/3/3, UltimateOscillator 7/14/28, KeltnerChannels 20/2/10', (t) => {
  const stoch = new Stochastic();
  t.deepEqual([stoch.period, stoch.kSmoothing, stoch.dPeriod, stoch.warmup], [14, 3, 3, 18]);
  const uo = new UltimateOscillator();
  t.deepEqual([uo.short, uo.medium, uo.long, uo.warmup], [7, 14, 28, 29]);
  const keltner = new KeltnerChannels();
  t.deepEqual([keltner.period, keltner.multiplier, keltner.atrPeriod, keltner.warmup], [20, 2, 10, 20]);
});
