import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * sessionflow's own version, from its package.json. The file is found by walking up from this
 * module, because it sits two folders up in the sources (lib/cli/) and three in the compiled
 * package (dist/lib/cli/).
 *
 * @example
 * ```ts
 * packageVersion(); // '0.2.0'
 * ```
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sessionflow' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // Not this folder (or not readable): try the next one up.
    }
  }
  throw new Error(`sessionflow's package.json was not found above ${import.meta.url}`);
}
