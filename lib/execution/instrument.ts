import { ConfigError } from '../errors.ts';

/**
 * How one symbol trades. Defaults describe a US stock: multiplier 1, whole shares in lots of
 * 1, a price tick of 0.01, shortable, no margin per contract.
 */
export interface InstrumentSpec {
  /** Currency per point per unit (futures: e.g. 50 for ES). */
  readonly multiplier: number;
  /**
   * Futures-like: initial margin per contract. Such a position is marked to market (its value
   * in equity is its unrealised P&L) and uses `|quantity| × margin` of buying power.
   */
  readonly marginPerContract: number | undefined;
  /** Quantities are whole multiples of this (unless `fractional`). */
  readonly lotSize: number;
  /** Slippage-adjusted fill prices are rounded to this tick, against the trader. */
  readonly tickSize: number;
  readonly shortable: boolean;
  /** Quantities may be fractional (crypto, fractional shares). */
  readonly fractional: boolean;
}

/** What a config or caller may set per symbol (everything optional). */
export type InstrumentInput = Partial<InstrumentSpec>;

const STOCK: InstrumentSpec = { multiplier: 1, marginPerContract: undefined, lotSize: 1, tickSize: 0.01, shortable: true, fractional: false };

/**
 * The instrument spec of `symbol`: its own entry over the `"*"` entry over stock defaults,
 * checked (positive multiplier, lot and tick; a non-negative margin), errors at `path`.
 *
 * @example
 * ```ts
 * instrumentSpec({ ES: { multiplier: 50, marginPerContract: 12000, tickSize: 0.25 } }, 'ES').multiplier; // 50
 * ```
 */
export function instrumentSpec(specs: Readonly<Record<string, InstrumentInput>> | undefined, symbol: string, path = 'broker.instruments'): InstrumentSpec {
  const spec = { ...STOCK, ...(specs?.['*'] ?? {}), ...(specs?.[symbol] ?? {}) };
  const where = specs?.[symbol] ? `${path}.${symbol}` : `${path}.*`;
  for (const key of ['multiplier', 'lotSize', 'tickSize'] as const) {
    if (!(Number.isFinite(spec[key]) && spec[key] > 0)) throw ConfigError.at(`${where}.${key}`, spec[key], 'a number > 0');
  }
  if (spec.marginPerContract !== undefined && !(Number.isFinite(spec.marginPerContract) && spec.marginPerContract > 0)) throw ConfigError.at(`${where}.marginPerContract`, spec.marginPerContract, 'a margin > 0 per contract');
  return spec;
}
