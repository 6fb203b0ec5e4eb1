import { dirname, resolve } from 'node:path';
import { readConfigJson } from '../../lib/config/parse-config.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import type { ParameterBatch } from './run-parameter-batch.ts';

/**
 * A sweep's config as read (a file's JSON, before validation: each parameter set is applied
 * to a copy), with the folder its relative paths resolve against and the file for messages.
 *
 * @example
 * ```ts
 * sweepConfig('sessions/spy.json'); // { config: {…}, baseDir: '/abs/sessions', file: '/abs/sessions/spy.json' }
 * ```
 */
export function sweepConfig(config: string | SessionConfigInput | Readonly<Record<string, unknown>>, baseDir?: string): Omit<ParameterBatch, 'sets'> {
  if (typeof config !== 'string') return { config, baseDir: resolve(baseDir ?? process.cwd()) };
  const file = resolve(config);
  return { config: readConfigJson(file), baseDir: dirname(file), file };
}
