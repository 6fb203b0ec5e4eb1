import type { ParamSpecs } from '../../lib/config/validate-params.ts';
import { Registry, type RegisterOptions, type RegistryItem } from '../../lib/registry.ts';
import type { ScanView } from '../../lib/session/scan-view.ts';
import { BUILTIN_SCANNERS } from './builtin-scanners.ts';

/** A symbol a scan picked, with its score (higher is better) and why. */
export interface ScanPick {
  readonly symbol: string;
  readonly score?: number;
  readonly reason?: string;
}

/** What a scan decides: symbols to add to the day and symbols to drop from it. */
export interface ScanResult {
  readonly add?: readonly ScanPick[];
  readonly drop?: readonly ScanPick[];
}

/** A configured scanner: reads the as-of view, returns picks (may be async: the clock waits). */
export interface Scanner {
  scan(view: ScanView): ScanResult | Promise<ScanResult>;
}

/**
 * A scanner that session configs can name (`scanners: [{name, params, schedule, universe}]`).
 * It describes itself (parameters with defaults, default schedule) so configs are validated
 * before the first day and `sessionflow scanners` can print it.
 */
export interface ScannerDefinition extends RegistryItem {
  readonly kind: 'scanner';
  readonly params: ParamSpecs;
  /** When it runs unless the config says otherwise (`"pre"`, `"10:00"`, `"every 15m"`, `"open+1m"`). */
  readonly schedule: readonly string[];
  /** Build one scanner from validated params. */
  create(params: Readonly<Record<string, unknown>>): Scanner;
}

/** The process-wide scanner registry (same rules as calendars, indicators and strategies). */
export const SCANNERS = new Registry<ScannerDefinition>('scanner');

/**
 * Make a scanner available to session configs. Duplicate names are refused unless
 * `{ override: true }`; names are matched case-insensitively.
 *
 * @example
 * ```ts
 * registerScanner({ kind: 'scanner', name: 'always-spy', description: 'adds SPY', params: {}, schedule: ['pre'], create: () => ({ scan: () => ({ add: [{ symbol: 'SPY' }] }) }) });
 * ```
 */
export function registerScanner(definition: ScannerDefinition, options: RegisterOptions = {}): ScannerDefinition {
  return SCANNERS.register(definition, options);
}

for (const definition of BUILTIN_SCANNERS) registerScanner(definition);
