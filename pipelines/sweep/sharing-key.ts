import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseInterval } from '../../lib/calendar/interval.ts';
import { trailingSessionsFor } from '../../lib/config/trailing-sessions-for.ts';
import { historyNeedsOf } from '../../lib/session/create-backtest.ts';
import type { PreparedSet } from './prepare-parameter-set.ts';

/**
 * What parameter sets must have in common to share a backtest in a batch (see
 * runParameterBatch): the config apart from strategies and broker, and the history their
 * warm-ups load (an EMA warmed on more sessions has other values). Sets with scanners run
 * alone: a symbol one set's broker carries into the day would reach every set's strategies.
 *
 * @example
 * ```ts
 * sharingKey(a) === sharingKey(b); // a and b run as one backtest when in the same batch
 * ```
 */
export function sharingKey(set: PreparedSet): string {
  const { strategies: _strategies, broker: _broker, name: _name, ...shared } = set.config;
  if (set.config.scanners.length > 0) return `alone:${set.index}`;
  const calendar = getCalendar(set.config.calendar);
  const sessions = calendar.sessions(set.config.backtest.start, set.config.backtest.end);
  const needs = historyNeedsOf(set.components).filter((r) => r.bars > 0);
  const daily = needs.filter((r) => parseInterval(r.interval).sessions > 0);
  const intraday = needs.filter((r) => parseInterval(r.interval).sessions === 0);
  const intervals = [...new Set(needs.map((r) => parseInterval(r.interval).name))].sort();
  return JSON.stringify([shared, trailingSessionsFor(intraday, calendar, sessions), trailingSessionsFor(daily, calendar, sessions), intervals]);
}
