/**
 * The contract every indicator keeps (lib/indicators/types.ts), checked for every entry of the
 * catalogue on random bar series:
 * - the first value arrives at input number `warmup` (the definition's count), `ready` and
 *   `warmup` agree with that;
 * - once ready, `update` never returns `undefined` and `value` is the last returned value;
 * - `reset()` gives exactly the behaviour of a fresh instance;
 * - two instances fed the same inputs give identical outputs (no hidden shared state).
 */
import test from 'ava';
import fc from 'fast-check';
import type { Indicator } from '../../../lib/indicators/types.ts';
import { CATALOGUE, type CatalogueEntry, type TestBar } from './catalogue.ts';

/** Random but valid bars: positive prices, low <= open/close <= high, volume >= 0. */
const barArb = fc
  .record({
    base: fc.double({ min: 1, max: 1000, noNaN: true }),
    a: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
    b: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
    up: fc.double({ min: 0, max: 0.02, noNaN: true }),
    down: fc.double({ min: 0, max: 0.02, noNaN: true }),
    volume: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map(({ base, a, b, up, down, volume }): TestBar => {
    const open = base * (1 + a);
    const close = base * (1 + b);
    return { open, close, high: Math.max(open, close) * (1 + up), low: Math.min(open, close) * (1 - down), volume };
  });

function feed(entry: CatalogueEntry, indicator: Indicator<never, unknown>, bars: readonly TestBar[]): unknown[] {
  const update = indicator.update.bind(indicator) as (input: unknown) => unknown;
  return bars.map((bar) => update(entry.input === 'price' ? bar.close : bar));
}

const seriesArb = (entry: CatalogueEntry) => fc.array(barArb, { minLength: entry.warmup + 5, maxLength: entry.warmup + 60 });

test('the catalogue covers at least the moving averages', (t) => {
  t.true(CATALOGUE.length >= 3);
  t.is(new Set(CATALOGUE.map((e) => e.name)).size, CATALOGUE.length, 'names are unique');
});

for (const entry of CATALOGUE) {
  test(`${entry.name}: first value at input ${entry.warmup}, then never undefined`, (t) => {
    fc.assert(
      fc.property(seriesArb(entry), (bars) => {
        const indicator = entry.make();
        if (indicator.warmup !== entry.warmup) return false;
        if (indicator.ready || indicator.value !== undefined) return false;
        const update = indicator.update.bind(indicator) as (input: unknown) => unknown;
        for (let i = 0; i < bars.length; i++) {
          const out = update(entry.input === 'price' ? bars[i]!.close : bars[i]);
          const shouldBeReady = i + 1 >= entry.warmup;
          if ((out !== undefined) !== shouldBeReady) return false;
          if (indicator.ready !== shouldBeReady) return false;
          // Object.is: a number output may legitimately be NaN (e.g. no swing confirmed yet).
          if (shouldBeReady && !Object.is(indicator.value, out)) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
    t.pass();
  });

  test(`${entry.name}: reset() behaves like a fresh instance`, (t) => {
    fc.assert(
      fc.property(seriesArb(entry), seriesArb(entry), (first, second) => {
        const reused = entry.make();
        feed(entry, reused, first);
        reused.reset();
        if (reused.ready || reused.value !== undefined) return false;
        t.deepEqual(feed(entry, reused, second), feed(entry, entry.make(), second));
        return true;
      }),
      { numRuns: 25 },
    );
  });

  test(`${entry.name}: deterministic across instances`, (t) => {
    fc.assert(
      fc.property(seriesArb(entry), (bars) => {
        t.deepEqual(feed(entry, entry.make(), bars), feed(entry, entry.make(), bars));
        return true;
      }),
      { numRuns: 25 },
    );
  });
}
