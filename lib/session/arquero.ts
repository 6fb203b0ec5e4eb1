import type * as Arquero from 'arquero';
import { lazyModule } from '../lazy-module.ts';

/** arquero, loaded on first use (see lazyModule): only result tables need it. */
export const arquero = lazyModule<typeof Arquero>('arquero');
