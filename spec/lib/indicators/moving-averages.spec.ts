/**
 * SMA and EMA: reference values, the Indicator contract, and properties.
 *
 * Reference values. The input series is the 30-day closing-price series of the StockCharts
 * ChartSchool "Moving Averages - Simple and Exponential" spreadsheet example of a 10-day SMA
 * and 10-day EMA (22.27, 22.19, …, 22.17). The EXPECTED values below are NOT copied from that
 * published table (it could not be checked from here): they are hand-computed in this file,
 * independently of the classes, from the TA-Lib definitions —
 *   SMA(N)_t = (x_{t-N+1} + … + x_t) / N, first value at input N;
 *   EMA(N): k = 2 / (N + 1), seeded with SMA(N) of the first N inputs (first value at input N),
 *           then EMA_t = EMA_{t-1} + k · (x_t − EMA_{t-1}).
 * The tiny exact examples (period 3 on 2, 4, 6, 8, 10) are worked out by hand in the comments.
 */
import test from 'ava';
import fc from 'fast-check';
import { EMA } from '../../../lib/indicators/ema.ts';
import { SMA } from '../../../lib/indicators/sma.ts';
import type { Indicator } from '../../../lib/indicators/types.ts';
import { ConfigError } from '../../../lib/errors.ts';

const STOCKCHARTS_CLOSES = [
  22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39, 22.38, 22.61, 23.36, 24.05, 23.75, 23.83, 23.95, 23.63, 23.82, 23.87, 23.65, 23.19, 23.1, 23.33, 22.68,
  23.1, 22.4, 22.17,
];

/** Naive SMA: mean of the last N inputs, recomputed from scratch every time. */
function referenceSma(xs: readonly number[], n: number): Array<number | undefined> {
  return xs.map((_, i) => (i + 1 < n ? undefined : xs.slice(i + 1 - n, i + 1).reduce((a, b) => a + b, 0) / n));
}

/** TA-Lib EMA written out directly (SMA seed, then k = 2/(N+1)). */
function referenceEma(xs: readonly number[], n: number): Array<number | undefined> {
  const k = 2 / (n + 1);
  const out: Array<number | undefined> = [];
  let ema: number | undefined;
  for (let i = 0; i < xs.length; i++) {
    if (i + 1 < n) out.push(undefined);
    else if (i + 1 === n) out.push((ema = xs.slice(0, n).reduce((a, b) => a + b, 0) / n));
    else out.push((ema = ema! + k * (xs[i]! - ema!)));
  }
  return out;
}

const run = (ind: Indicator, xs: readonly number[]) => xs.map((x) => ind.update(x));

function assertClose(t: { true(v: boolean, m?: string): void; is(a: unknown, b: unknown, m?: string): void }, got: ReadonlyArray<number | undefined>, want: ReadonlyArray<number | undefined>, tol = 1e-9): void {
  t.is(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === undefined) t.is(got[i], undefined, `index ${i}`);
    else t.true(got[i] !== undefined && Math.abs(got[i]! - want[i]!) <= tol * Math.max(1, Math.abs(want[i]!)), `index ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

test('SMA: matches hand-computed exact values on 2, 4, 6, 8, 10 (period 3)', (t) => {
  // (2+4+6)/3 = 4, (4+6+8)/3 = 6, (6+8+10)/3 = 8
  t.deepEqual(run(new SMA(3), [2, 4, 6, 8, 10]), [undefined, undefined, 4, 6, 8]);
});

test('EMA: matches hand-computed exact values on 2, 4, 6, 8, 10 (period 3, TA-Lib SMA seed)', (t) => {
  // k = 2/4 = 0.5; seed = (2+4+6)/3 = 4; 4 + 0.5·(8−4) = 6; 6 + 0.5·(10−6) = 8
  t.deepEqual(run(new EMA(3), [2, 4, 6, 8, 10]), [undefined, undefined, 4, 6, 8]);
  // k = 2/3 (period 2): seed (1+3)/2 = 2; 2 + 2/3·(8−2) = 6; 6 + 2/3·(0−6) = 2
  assertClose(t, run(new EMA(2), [1, 3, 8, 0]), [undefined, 2, 6, 2]);
});

test('SMA: 10-period values on the StockCharts ChartSchool closes equal the hand-computed reference', (t) => {
  const got = run(new SMA(10), STOCKCHARTS_CLOSES);
  assertClose(t, got, referenceSma(STOCKCHARTS_CLOSES, 10));
  // Spot values, rounded to cents as in the spreadsheet layout: first SMA (22.27+…+22.29)/10 = 222.21/10.
  t.is(got[9]!.toFixed(2), '22.22');
  t.is(got[29]!.toFixed(2), '23.13');
});

test('EMA: 10-period values on the StockCharts ChartSchool closes equal the hand-computed reference', (t) => {
  const got = run(new EMA(10), STOCKCHARTS_CLOSES);
  assertClose(t, got, referenceEma(STOCKCHARTS_CLOSES, 10));
  t.is(got[9]!.toFixed(2), '22.22'); // seeded with the 10-day SMA
  t.is(got[10]!.toFixed(2), '22.21'); // 22.221 + (2/11)·(22.15 − 22.221) = 22.208…
  t.is(got[29]!.toFixed(2), '22.92');
});

for (const [name, make, reference] of [
  ['SMA', (p: number) => new SMA(p), referenceSma],
  ['EMA', (p: number) => new EMA(p), referenceEma],
] as const) {
  test(`${name}: warmup equals the period and update returns undefined until warmup inputs`, (t) => {
    for (const period of [1, 2, 5, 20]) {
      const ind = make(period);
      t.is(ind.warmup, period);
      for (let i = 1; i < period; i++) {
        t.is(ind.update(i), undefined);
        t.false(ind.ready);
        t.is(ind.value, undefined);
      }
      const v = ind.update(period);
      t.not(v, undefined);
      t.true(ind.ready);
      t.is(ind.value, v);
    }
  });

  test(`${name}: never returns undefined once ready`, (t) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (period, xs) => {
        const out = run(make(period), xs);
        return out.every((v, i) => (i + 1 < period ? v === undefined : typeof v === 'number' && Number.isFinite(v)));
      }),
    );
    t.pass();
  });

  test(`${name}: reset returns to the state of a fresh instance`, (t) => {
    const xs = STOCKCHARTS_CLOSES;
    const used = make(7);
    run(used, [5, 1e6, -3, 42, 17, 8, 9, 10, 11]);
    used.reset();
    t.false(used.ready);
    t.is(used.value, undefined);
    t.deepEqual(run(used, xs), run(make(7), xs));
  });

  test(`${name}: is deterministic and instances share no state`, (t) => {
    const a = make(5);
    const b = make(5);
    const outA: Array<number | undefined> = [];
    const outB: Array<number | undefined> = [];
    for (const x of STOCKCHARTS_CLOSES) {
      outA.push(a.update(x));
      outB.push(b.update(x));
    }
    t.deepEqual(outA, outB);
    t.deepEqual(run(make(5), STOCKCHARTS_CLOSES), outA);
  });

  test(`${name}: refuses invalid periods with a ConfigError`, (t) => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number]) t.throws(() => make(bad), { instanceOf: ConfigError }, String(bad));
  });

  test(`${name}: of a constant series is the constant (property)`, (t) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 300 }), (period, c, extra) => {
        const out = run(make(period), Array.from({ length: period + extra }, () => c));
        return out.slice(period - 1).every((v) => Math.abs(v! - c) <= 1e-12 * Math.max(1, Math.abs(c)));
      }),
    );
    t.pass();
  });

  test(`${name}: equals the naive reference on random series (property)`, (t) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 400 }), (period, xs) => {
        const got = run(make(period), xs);
        const want = reference(xs, period);
        return got.every((v, i) => (want[i] === undefined ? v === undefined : Math.abs(v! - want[i]!) <= 1e-9 * Math.abs(want[i]!)));
      }),
    );
    t.pass();
  });
}

test('SMA: stays exact over a long run (the running sum does not drift)', (t) => {
  const sma = new SMA(3);
  let v: number | undefined;
  for (let i = 0; i < 100_000; i++) v = sma.update(i % 2 === 0 ? 1e9 : 0.1);
  // Last three inputs: 0.1, 1e9, 0.1 (i = 99_997, 99_998, 99_999)
  t.true(Math.abs(v! - (0.1 + 1e9 + 0.1) / 3) < 1e-6);
});

test('SMA and EMA: updateInto writes exactly what update returns, and nothing while warming up; ready, value and reset agree', (t) => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (xs, period) => {
      for (const make of [() => new SMA(period), () => new EMA(period)]) {
        const returning = make();
        const writing = make();
        const column = new Float64Array(xs.length).fill(Number.NaN);
        xs.forEach((x, i) => {
          const value = returning.update(x);
          writing.updateInto(x, column, i);
          // Bit for bit, NaN included where nothing was written yet.
          if (!Object.is(column[i], value ?? Number.NaN)) throw new Error(`row ${i}: wrote ${column[i]}, update gave ${value}`);
          if (writing.ready !== (value !== undefined) || !Object.is(writing.value, value)) throw new Error(`row ${i}: ready/value disagree with update`);
        });
        writing.reset();
        if (writing.ready || writing.value !== undefined) throw new Error('reset leaves no value');
      }
    }),
  );
  t.pass();
});
