/**
 * The indicators the shared contract test (`contract.spec.ts`) runs over. Each group of
 * indicators keeps its own list file so the lists can grow independently; this file only joins
 * them. `warmup` here is the number of inputs before the first value as the indicator's
 * published definition states it, written out by hand — not read from the instance — so the
 * contract test checks the class against the definition.
 */
import type { Indicator } from '../../../lib/indicators/types.ts';
import { BAR_INDICATORS } from './catalogue-bar.ts';
import { PRICE_INDICATORS } from './catalogue-price.ts';

/** A bar as bar-input indicators receive it. */
export interface TestBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** One indicator configuration under contract test. */
export interface CatalogueEntry {
  /** Shown in test titles, e.g. `'RSI(14)'`. */
  readonly name: string;
  /** `price` indicators take the close as a number; `bar` indicators take the whole bar. */
  readonly input: 'price' | 'bar';
  /** Inputs before the first value, from the indicator's definition. */
  readonly warmup: number;
  readonly make: () => Indicator<never, unknown>;
}

export const CATALOGUE: readonly CatalogueEntry[] = [...PRICE_INDICATORS, ...BAR_INDICATORS];
