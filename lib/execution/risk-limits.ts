import { ConfigError } from '../errors.ts';

/**
 * What the broker refuses, as a broker would. Every limit is optional; each rejection is
 * recorded with its rule, limit and the value that broke it. Limits apply to fills that add
 * risk (open, add to or reverse a position); fills that only reduce a position always pass.
 */
export interface RiskLimits {
  /** Buying power = equity × leverage − gross exposure (default 1: a cash account). */
  readonly leverage?: number;
  /** Largest position value per symbol, in currency. */
  readonly maxPositionValue?: number;
  /** Largest position per symbol, in units. */
  readonly maxPositionShares?: number;
  /** Largest Σ |position value|, as a fraction of equity (1.5 = 150 %). */
  readonly maxGrossExposure?: number;
  /** Largest |Σ position value|, as a fraction of equity. */
  readonly maxNetExposure?: number;
  /** Most symbols with an open position at once. */
  readonly maxOpenPositions?: number;
  /** Largest value of one fill, in currency. */
  readonly maxOrderValue?: number;
  /** Daily loss limit: when equity falls this fraction below the day's starting equity, flatten and stop trading for the day. */
  readonly maxDailyLoss?: number;
  /** Kill switch: when equity falls this fraction below its peak, flatten and stop trading for the rest of the run. */
  readonly maxDrawdown?: number;
  /** Close every position at its last bar's close of each session and cancel all orders (intraday strategies). */
  readonly flattenAtClose?: boolean;
}

/**
 * `limits`, checked: every number finite and > 0 (fractions of equity and loss limits
 * included); errors name the JSON path under `path`.
 *
 * @example
 * ```ts
 * riskLimits({ leverage: 2, maxDailyLoss: 0.02 });
 * ```
 */
export function riskLimits(limits: RiskLimits = {}, path = 'broker.risk'): RiskLimits {
  for (const [key, value] of Object.entries(limits)) {
    if (key === 'flattenAtClose') {
      if (typeof value !== 'boolean') throw ConfigError.at(`${path}.${key}`, value, 'true or false');
      continue;
    }
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw ConfigError.at(`${path}.${key}`, value, 'a number > 0');
    if ((key === 'maxDailyLoss' || key === 'maxDrawdown') && value >= 1) throw ConfigError.at(`${path}.${key}`, value, 'a fraction of equity below 1 (0.02 = 2 %)');
    if (key === 'maxOpenPositions' && !Number.isInteger(value)) throw ConfigError.at(`${path}.${key}`, value, 'a whole number of positions');
  }
  return limits;
}
