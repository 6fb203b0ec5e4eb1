import { packageRoot } from '../package-files.ts';

/**
 * sessionflow's own version, from its package.json.
 *
 * @example
 * ```ts
 * packageVersion(); // '0.2.0'
 * ```
 */
export function packageVersion(): string {
  return packageRoot().manifest.version;
}
