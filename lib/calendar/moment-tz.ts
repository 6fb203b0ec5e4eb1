import { createRequire } from 'node:module';
import type moment from 'moment-timezone';

let loaded: typeof moment | undefined;

/**
 * moment-timezone (with its zone table), loaded on first use: a process that only imports
 * sessionflow, or prints `--help`, never needs the tz database. The calendars, the store's
 * wall-clock zones, the importer and the report call this when they first convert a time.
 *
 * @example
 * ```ts
 * momentTz().tz.zone('America/New_York') !== null; // true
 * ```
 */
export function momentTz(): typeof moment {
  return (loaded ??= createRequire(import.meta.url)('moment-timezone') as typeof moment);
}
