import type moment from 'moment-timezone';
import { lazyModule } from '../lazy-module.ts';

/**
 * moment-timezone with its zone table, loaded on first use (see lazyModule): the calendars,
 * the store's wall-clock zones, the importer and the report call it when they first convert
 * a time, so importing the package does not load the tz database.
 */
export const momentTz = lazyModule<typeof moment>('moment-timezone');
