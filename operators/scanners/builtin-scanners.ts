import { gapScanner } from './builtin/gap.ts';
import { newHighLow } from './builtin/new-high-low.ts';
import { priceVolumeFilter } from './builtin/price-volume-filter.ts';
import { relativeVolume } from './builtin/relative-volume.ts';
import { topDollarVolume } from './builtin/top-dollar-volume.ts';
import type { ScannerDefinition } from './scanner-registry.ts';

/** The scanners sessionflow ships, registered when the registry is first used from a config. */
export const BUILTIN_SCANNERS: readonly ScannerDefinition[] = [topDollarVolume, gapScanner, relativeVolume, newHighLow, priceVolumeFilter];
