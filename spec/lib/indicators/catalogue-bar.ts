/** Bar-input indicators (`{open, high, low, close, volume}` in) for the shared contract test; see `catalogue.ts`. */
import type { CatalogueEntry } from './catalogue.ts';

export const BAR_INDICATORS: readonly CatalogueEntry[] = [];
