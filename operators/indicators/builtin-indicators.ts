import { EMA } from '../../lib/indicators/ema.ts';
import { SMA } from '../../lib/indicators/sma.ts';
import type { IndicatorDefinition } from './indicator-registry.ts';

/**
 * The indicators a session config can name out of the box, as data: the registry registers
 * them when it loads. Each entry states its TA-Lib convention in `description` (the class's
 * TSDoc has the full definition and reference).
 */
export const BUILTIN_INDICATORS: readonly IndicatorDefinition[] = [
  { kind: 'indicator', name: 'sma', description: 'simple moving average of the close (TA-Lib SMA)', params: [], inputs: ['close'], outputs: ['sma'], warmup: (p) => p, create: (p) => new SMA(p) },
  { kind: 'indicator', name: 'ema', description: 'exponential moving average of the close, SMA-seeded (TA-Lib EMA)', params: [], inputs: ['close'], outputs: ['ema'], warmup: (p) => p, create: (p) => new EMA(p) },
];
