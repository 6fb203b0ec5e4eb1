/** Price-input indicators (number in) for the shared contract test; see `catalogue.ts`. */
import { EMA } from '../../../lib/indicators/ema.ts';
import { SMA } from '../../../lib/indicators/sma.ts';
import type { CatalogueEntry } from './catalogue.ts';

export const PRICE_INDICATORS: readonly CatalogueEntry[] = [
  { name: 'SMA(1)', input: 'price', warmup: 1, make: () => new SMA(1) },
  { name: 'SMA(20)', input: 'price', warmup: 20, make: () => new SMA(20) },
  { name: 'EMA(9)', input: 'price', warmup: 9, make: () => new EMA(9) },
];
