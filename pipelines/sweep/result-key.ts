import { createHash } from 'node:crypto';
import type { ParameterBatch } from './run-parameter-batch.ts';
import type { ParameterSet } from './expand-grid.ts';

/**
 * The key a parameter set's result is stored under in Redis: a hash of the package version,
 * the config (as read, with the folder its relative paths resolve against) and the set's
 * parameters. The same sweep run again finds its results; another config, set or version
 * never does.
 *
 * @example
 * ```ts
 * resultKey('0.2.0', { config, baseDir: '/data/sweeps' }, { 'strategies[0].params.fast': 5 }); // 'sessionflow:result:3f1c…'
 * ```
 */
export function resultKey(version: string, base: Pick<ParameterBatch, 'config' | 'baseDir'>, parameters: ParameterSet): string {
  const text = canonicalJson({ version, baseDir: base.baseDir, config: base.config, parameters });
  return `sessionflow:result:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
