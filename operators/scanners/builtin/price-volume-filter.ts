import * as v from 'valibot';
import type { ScannerDefinition } from '../scanner-registry.ts';
import { wholeNumberParam } from './whole-number-param.ts';

const PRICE = v.pipe(v.number(), v.minValue(0, 'a price >= 0'));
const VOLUME = v.pipe(v.number(), v.minValue(0, 'a volume >= 0'));

/**
 * Price and volume range filter: picks universe symbols whose price and volume lie in the
 * ranges — from the previous session's daily bar (`basis: "prior"`, usable before the open)
 * or from today's bars so far (`"today"`: last close, volume since the open) — scored by
 * volume; with `dropFailing` it also drops active symbols that fall outside.
 *
 * @example
 * ```json
 * { "name": "price-volume-filter", "params": { "minPrice": 5, "maxPrice": 200, "minVolume": 1000000 } }
 * ```
 */
export const priceVolumeFilter: ScannerDefinition = {
  kind: 'scanner',
  name: 'price-volume-filter',
  description: 'symbols whose price and volume lie in ranges (prior session or today so far)',
  schedule: ['pre'],
  params: {
    minPrice: { description: 'lowest price', default: 0, schema: PRICE },
    maxPrice: { description: 'highest price (null: no limit)', default: null, schema: v.nullable(PRICE) },
    minVolume: { description: 'lowest volume', default: 0, schema: VOLUME },
    maxVolume: { description: 'highest volume (null: no limit)', default: null, schema: v.nullable(VOLUME) },
    basis: { description: '"prior" (previous session) or "today" (so far)', default: 'prior', schema: v.picklist(['prior', 'today'], '"prior" or "today"') },
    dropFailing: { description: 'drop active symbols outside the ranges', default: false, schema: v.boolean() },
    count: wholeNumberParam('symbols to return at most', 50),
  },
  create(params) {
    const minPrice = params.minPrice as number;
    const maxPrice = (params.maxPrice as number | null) ?? Number.POSITIVE_INFINITY;
    const minVolume = params.minVolume as number;
    const maxVolume = (params.maxVolume as number | null) ?? Number.POSITIVE_INFINITY;
    const today = params.basis === 'today';
    const dropFailing = params.dropFailing as boolean;
    const count = params.count as number;
    return {
      async scan(view) {
        if (today && view.pre) return {};
        const symbols = [...new Set([...view.universe, ...(dropFailing ? view.active : [])])];
        const measured = await Promise.all(
          symbols.map(async (symbol) => {
            if (today) {
              const bars = await view.today(symbol);
              if (!bars || bars.length === 0) return { symbol, price: Number.NaN, volume: Number.NaN };
              let volume = 0;
              for (let i = 0; i < bars.length; i++) volume += bars.volume[i]!;
              return { symbol, price: bars.close[bars.length - 1]!, volume };
            }
            const [prior] = await view.daily(symbol, 1);
            return { symbol, price: prior?.close ?? Number.NaN, volume: prior?.volume ?? Number.NaN };
          }),
        );
        const passes = (m: { price: number; volume: number }): boolean => m.price >= minPrice && m.price <= maxPrice && m.volume >= minVolume && m.volume <= maxVolume;
        const universe = new Set(view.universe);
        const add = measured
          .filter((m) => universe.has(m.symbol) && passes(m))
          .map((m) => ({ symbol: m.symbol, score: m.volume, reason: `price ${m.price}, volume ${m.volume} (${today ? 'today so far' : 'prior session'})` }))
          .sort((a, b) => b.score - a.score)
          .slice(0, count);
        const drop = dropFailing ? measured.filter((m) => view.active.includes(m.symbol) && !passes(m)).map((m) => ({ symbol: m.symbol, reason: `price ${m.price}, volume ${m.volume} outside the ranges` })) : [];
        return { add, drop };
      },
    };
  },
};
